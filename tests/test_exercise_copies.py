"""No exercise can be solved by copying code its notebook displays above it.

For each `my_<exercise>` in solutions/, the code a learner has seen before the notebook's
"## Exercises" heading (every code cell, and every output: `show()`n sources and printed claims)
is compared with the solution's body, token by token. Names a learner chooses are replaced by one
placeholder (so renaming variables does not hide a copy); attributes, keyword names, builtins and
`torch`/`nn`/`F`/`np` are kept. A solution token counts as copied when it lies in a run of 5
tokens (the whole solution, if shorter) that also appears in the displayed code. A solution fails
when 70 % or more of its tokens are copied: the exercise then asks for nothing new.
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import inspect
import io
import json
import keyword
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEPT = set(dir(builtins)) | {"torch", "nn", "F", "np", "math", "self"}
RUN = 5  # tokens in a run that counts as copied
MOSTLY = 0.70  # the share of copied tokens that makes a solution a copy
SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
FSTRING_START, FSTRING_END = getattr(tokenize, "FSTRING_START", None), getattr(tokenize, "FSTRING_END", None)


def whole_strings(tokens: list[tokenize.TokenInfo]) -> list[tokenize.TokenInfo]:
    """Each f-string as one STRING token: Python 3.12 splits it into parts (PEP 701), 3.11 does not."""
    kept, depth = [], 0
    for token in tokens:
        if token.type == FSTRING_START:
            kept += [token._replace(type=tokenize.STRING)] if depth == 0 else []
            depth += 1
        elif token.type == FSTRING_END:
            depth -= 1
        elif depth == 0:
            kept.append(token)
    return kept


def normalized_tokens(code: str) -> list[str]:
    """The code's tokens, with the names a learner chooses replaced by 'NAME' and strings by 'STR'."""
    found: list[str] = []
    raw = whole_strings([t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type not in SKIPPED])
    for index, token in enumerate(raw):
        text = token.string
        following = raw[index + 1].string if index + 1 < len(raw) else ""
        attribute = index > 0 and raw[index - 1].string == "."
        keyword_argument = following == "=" and found and found[-1] in ("(", ",")
        if token.type == tokenize.STRING:
            text = "STR"
        elif token.type == tokenize.NAME and not (
            keyword.iskeyword(text) or text in KEPT or attribute or keyword_argument
        ):
            text = "NAME"
        found.append(text)
    return found


def copied_share(solution: str, displayed: list[str]) -> float:
    """The share of the solution's tokens that lie in a run of `RUN` tokens found in displayed code."""
    tokens = normalized_tokens(solution)
    run = min(RUN, len(tokens))
    seen: set[tuple[str, ...]] = set()
    for code in displayed:
        try:
            shown = normalized_tokens(code)
        except (tokenize.TokenError, IndentationError, SyntaxError):  # printed text that is not Python
            continue
        seen |= {tuple(shown[i : i + run]) for i in range(len(shown) - run + 1)}
    copied = [False] * len(tokens)
    for start in range(len(tokens) - run + 1):
        if tuple(tokens[start : start + run]) in seen:
            copied[start : start + run] = [True] * run
    return sum(copied) / max(1, len(tokens))


def displayed_above_exercises(notebook: Path) -> list[str]:
    """Every code cell and every text output before the notebook's '## Exercises' heading."""
    cells = json.loads(notebook.read_text())["cells"]
    heading = next(
        i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and "## Exercises" in "".join(c["source"])
    )
    displayed = []
    for cell in cells[:heading]:
        if cell["cell_type"] != "code":
            continue
        displayed.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            text = "".join(output.get("text") or output.get("data", {}).get("text/plain", ""))
            displayed.append(text)
    return displayed


def solution_bodies() -> list[tuple[str, str, str]]:
    """(notebook stem, function name, body without its docstring) for every `my_*` in solutions/."""
    found = []
    for path in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.py")):
        spec = importlib.util.spec_from_file_location(f"_copies_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, value in vars(module).items():
            if name.startswith("my_") and inspect.isfunction(value) and value.__module__ == module.__name__:
                function = ast.parse(inspect.getsource(value)).body[0]
                body = function.body
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    body = body[1:]  # the docstring
                found.append((path.stem, name, "\n".join(ast.unparse(statement) for statement in body)))
    return found


@pytest.mark.parametrize(
    ("notebook", "name", "body"), [pytest.param(*s, id=f"{s[0]}-{s[1]}") for s in solution_bodies()]
)
def test_no_solution_is_mostly_a_copy_of_code_displayed_above_its_exercise(notebook, name, body):
    share = copied_share(body, displayed_above_exercises(ROOT / "notebooks" / f"{notebook}.ipynb"))
    assert share < MOSTLY, f"{notebook}: {share:.0%} of {name}'s tokens are in code displayed above the exercise"


def test_the_copy_measure_sees_a_renamed_copy_and_not_new_code():
    shown = ["def f(ids, pad_id):\n    return ids == pad_id\n"]
    assert copied_share("return tokens == pad", shown) == 1.0
    assert copied_share("return tokens.ne(pad).cumsum(1) == 0", shown) < MOSTLY


def test_an_f_string_is_one_token_on_every_python():
    assert normalized_tokens('x = f"{a:.2f} and {b}" + "c"\n') == ["NAME", "=", "STR", "+", "STR"]
