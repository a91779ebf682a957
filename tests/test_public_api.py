"""The README's promise, "tests/: unit tests for every public function", kept: each is named in some test file."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE, TESTS = ROOT / "seqtut", ROOT / "tests"


def module_level_functions(tree: ast.Module) -> list[str]:
    """The names of the functions a module defines at module level, also under a module-level if, try or with."""
    found, statements = [], list(tree.body)
    while statements:
        statement = statements.pop(0)
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append(statement.name)
        elif not isinstance(statement, ast.ClassDef):  # an if, try, with: their blocks are module level too
            for block in ("body", "orelse", "finalbody", "handlers"):
                statements.extend(getattr(statement, block, []))
    return found


def public_functions() -> list[str]:
    """'seqtut/module.py: name' for every public (no leading underscore) module-level function of the package."""
    return [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for name in module_level_functions(ast.parse(path.read_text(encoding="utf-8")))
        if not name.startswith("_")
    ]


def test_module_level_functions_finds_defs_under_if_and_try_but_not_methods_or_nested_defs():
    source = """
def shown(): pass
def _hidden(): pass
async def waited(): pass
if True:
    def under_if(): pass
else:
    def under_else(): pass
try:
    def under_try(): pass
except ImportError:
    def under_except(): pass
class Model:
    def method(self): pass
def outer():
    def inner(): pass
"""
    assert module_level_functions(ast.parse(source)) == [
        "shown",
        "_hidden",
        "waited",
        "outer",
        "under_if",
        "under_else",
        "under_try",
        "under_except",
    ]


def test_every_public_module_level_function_is_named_in_a_test_file():
    """A function counts as tested when its name appears, as a whole word, in some file under tests/.

    A weak test of testing, but one that fails for a function added with no test at all.
    """
    functions = public_functions()
    assert len(functions) > 100  # the scan found the package
    tests = "\n".join(path.read_text(encoding="utf-8") for path in sorted(TESTS.rglob("*.py")))
    named = set(re.findall(r"\w+", tests))
    untested = [function for function in functions if function.rsplit(": ", 1)[1] not in named]
    assert not untested, "public functions named in no test under tests/:\n" + "\n".join(untested)
