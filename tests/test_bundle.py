"""Tests for ``scripts/bundle.py`` (self-contained notebooks for Kaggle / Colab).

Most tests bundle ``tests/fixtures/bundle/00_fixture.ipynb`` together with a tiny
stand-in ``seqtut`` package written to ``tmp_path``, so they do not depend on the
real package. ``test_real_notebook_runs_isolated_and_its_checkers_work`` bundles notebook 00
with the repository's ``seqtut/``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "bundle" / "00_fixture.ipynb"
STANDIN_VERSION = "0.0.0+standin"
SETUP_LINE = re.compile(r"^seqtut (\S+): (embedded copy|installed) at (.+)$", re.MULTILINE)


def _load_bundle_module() -> ModuleType:
    """Import ``scripts/bundle.py`` by path (``scripts`` is not a package)."""
    spec = importlib.util.spec_from_file_location("bundle", REPO_ROOT / "scripts" / "bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle = _load_bundle_module()


def write_standin(root: Path, version: str = STANDIN_VERSION) -> Path:
    """Write a throwaway ``seqtut`` package under ``root``; return its package dir."""
    package = root / "seqtut"
    files = {
        "__init__.py": f'''\
            """Stand-in seqtut for bundle tests."""
            from seqtut import helpers

            __version__ = "{version}"


            def setup() -> str:
                """Mimic seqtut.setup(): report the device."""
                return helpers.device_name()
            ''',
        "helpers.py": '''\
            """Helpers that read package data, like the real package does."""
            from pathlib import Path


            def device_name() -> str:
                """Return "cpu" after checking the bundled data file is present."""
                rows = (Path(__file__).parent / "data" / "numbers.csv").read_text().split()
                assert rows == ["x", "1", "2"]
                return "cpu"
            ''',
        "data/numbers.csv": "x\n1\n2\n",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(textwrap.dedent(text))
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "helpers.cpython-311.pyc").write_bytes(b"\0junk")
    return package


def setup_blob(notebook: dict) -> str:
    """The base64 blob on the last line of the bundled setup cell."""
    last_line = "".join(notebook["cells"][1]["source"]).splitlines()[-1]
    match = re.search(r'"([A-Za-z0-9+/=]{20,})"\)$', last_line)
    assert match, last_line[:200]
    return match.group(1)


@pytest.fixture
def standin(tmp_path: Path) -> Path:
    """A stand-in seqtut package dir under ``tmp_path/src``."""
    return write_standin(tmp_path / "src")


def test_embeds_every_file_and_version(tmp_path: Path, standin: Path) -> None:
    """(a) Every package file (not bytecode) and the version end up in the bundle."""
    out = bundle.bundle_notebook(FIXTURE, tmp_path / "dist", package_dir=standin)
    nb = json.loads(out.read_text())
    source = json.loads(FIXTURE.read_text())

    assert nb["metadata"]["seqtut"] == {
        "version": STANDIN_VERSION,
        "bundled_from": "tests/fixtures/bundle/00_fixture.ipynb",
    }
    assert [c["cell_type"] for c in nb["cells"][:2]] == ["markdown", "code"]
    assert "installed" in "".join(nb["cells"][0]["source"])
    assert nb["cells"][2:] == source["cells"]  # originals, outputs kept
    setup = "".join(nb["cells"][1]["source"])
    assert f'_load_seqtut("{STANDIN_VERSION}", ' in setup
    assert "pip" not in setup

    embedded = bundle.decode_files(setup_blob(nb))
    expected = {
        f"seqtut/{p.relative_to(standin).as_posix()}"
        for p in standin.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert set(embedded) == expected
    assert {
        "seqtut/__init__.py",
        "seqtut/helpers.py",
        "seqtut/data/numbers.csv",
    } <= expected
    assert embedded["seqtut/helpers.py"] == (standin / "helpers.py").read_bytes()
    assert bundle.read_version(standin) == STANDIN_VERSION


def test_setup_cell_is_hidden_where_learners_open_it(tmp_path: Path, standin: Path) -> None:
    """The set-up code is hidden in Jupyter, Colab and Kaggle; one line says what it does."""
    out = bundle.bundle_notebook(FIXTURE, tmp_path / "dist", package_dir=standin)
    note, setup = json.loads(out.read_text())["cells"][:2]
    assert setup["metadata"]["jupyter"] == {"source_hidden": True}  # JupyterLab, Notebook 7
    assert setup["metadata"]["cellView"] == "form"  # Colab: the title line only
    assert setup["metadata"]["_kg_hide-input"] is True  # Kaggle
    assert "hide-input" in setup["metadata"]["tags"]
    title = "".join(setup["source"]).splitlines()[0]
    assert title.startswith("# @title Setup: ") and len(title) <= 120, title  # Colab shows it
    assert "\n" not in "".join(note["source"]) and "hidden cell" in "".join(note["source"])  # one line
    assert bundle.SETUP_CELL_METADATA["jupyter"] == {"source_hidden": True}  # not mutated by bundling


def test_python_floor_comes_from_requires_python() -> None:
    assert bundle.read_python_floor() == "3.11"


def test_setup_cell_warns_about_an_old_python(tmp_path: Path, standin: Path) -> None:
    blob = bundle.encode_files(bundle.collect_package_files(standin))
    floors = {"torch": "0.1", "numpy": "0.1", "matplotlib": "0.1"}
    code = bundle.setup_cell_source(STANDIN_VERSION, blob, floors, python="99.0")
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = run_isolated(code, workdir)
    assert result.returncode == 0, result.stderr[-2000:]
    warnings = [line for line in result.stdout.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and re.search(r"Python \S+ is below 99\.0", warnings[0]), result.stdout


def test_default_package_dir_is_repository_seqtut() -> None:
    """Without ``--package-dir`` the repository's ``seqtut/`` is embedded."""
    assert bundle.REPO_ROOT / "seqtut" == REPO_ROOT / "seqtut"
    assert bundle.bundle_notebook.__kwdefaults__["package_dir"] == REPO_ROOT / "seqtut"


@pytest.mark.parametrize(
    ("pyproject_text", "badge"),
    [
        (None, False),
        ("[project]\nname = 'seqtut'\n", False),
        ("[tool.seqtut]\nrepository = ''\n", False),
        ("[tool.seqtut]\nrepository = 'https://github.com/owner/repo'\n", True),
    ],
)
def test_badge_only_with_repository_url(tmp_path: Path, standin: Path, pyproject_text: str | None, badge: bool) -> None:
    """(b) The Colab badge appears exactly when ``[tool.seqtut] repository`` is set."""
    pyproject = tmp_path / "pyproject.toml"
    if pyproject_text is not None:
        pyproject.write_text(pyproject_text)
    argv = ["--out", str(tmp_path / "dist"), "--package-dir", str(standin)]
    assert bundle.main([*argv, "--pyproject", str(pyproject), str(FIXTURE)]) == 0

    nb = json.loads((tmp_path / "dist" / FIXTURE.name).read_text())
    first = "".join(nb["cells"][0]["source"])
    url = "https://colab.research.google.com/github/owner/repo/blob/main/dist/00_fixture.ipynb"
    assert (url in first) is badge
    assert len(nb["cells"]) == len(json.loads(FIXTURE.read_text())["cells"]) + 2 + badge


def test_output_is_deterministic(tmp_path: Path, standin: Path) -> None:
    """Bundling twice gives byte-identical files, even after file mtimes change."""
    first = bundle.bundle_notebook(FIXTURE, tmp_path / "a", package_dir=standin)
    for path in standin.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    second = bundle.bundle_notebook(FIXTURE, tmp_path / "b", package_dir=standin)
    assert first.read_bytes() == second.read_bytes()


def test_refuses_to_bundle_twice(tmp_path: Path, standin: Path) -> None:
    """A bundled notebook is not bundled again (it would get two setup cells)."""
    out = bundle.bundle_notebook(FIXTURE, tmp_path / "dist", package_dir=standin)
    with pytest.raises(ValueError, match="already bundled"):
        bundle.bundle_notebook(out, tmp_path / "again", package_dir=standin)


# --- isolation: run a bundled notebook where the repository's seqtut is hidden ---

PRELUDE = '''\
import importlib.machinery
import sys
from pathlib import Path

ALLOWED = [Path(folder).resolve() for folder in {allowed!r}]


def _allowed(entry):
    resolved = Path(entry or ".").resolve()
    return any(resolved.is_relative_to(folder) for folder in ALLOWED)


class HideOtherSeqtut:
    """Find top-level `seqtut` only via sys.path entries under the allowed folders."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "seqtut":
            return None
        entries = [entry for entry in sys.path if _allowed(entry)]
        spec = importlib.machinery.PathFinder.find_spec(name, entries)
        if spec is None:
            raise ModuleNotFoundError("No module named 'seqtut' (hidden)", name=name)
        return spec


sys.meta_path.insert(0, HideOtherSeqtut)
sys.path[:0] = ["", *{extra_path!r}]  # a Jupyter kernel has its cwd on sys.path
try:
    from IPython.display import display
except ImportError:
    display = print
'''

EPILOGUE = '\nprint("SEQTUT_FINAL", sys.modules["seqtut"].__file__)\n'


def notebook_code(notebook: Path) -> str:
    """Code cells joined into one script, dropping ``%magic`` and ``!shell`` lines."""
    cells = json.loads(notebook.read_text())["cells"]
    lines = [
        line
        for cell in cells
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if not line.lstrip().startswith(("%", "!"))
    ]
    return "\n".join(lines) + "\n"


def run_isolated(
    code: str, workdir: Path, extra_path: tuple[Path, ...] = (), timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that cannot see the repository's seqtut.

    How the repository's ``seqtut`` is hidden, whether or not it is installed:

    * the same interpreter (``sys.executable``) runs with ``-I``: no PYTHONPATH,
      no user site-packages, no script directory on ``sys.path``; the working
      directory is ``workdir`` (a tmp folder), never the repository root;
    * ``-I`` still processes the venv's ``.pth`` files, so an editable install
      (``pip install -e .``: a path entry or a setuptools finder hook) or a
      regular install would still provide ``seqtut``. The prelude therefore puts
      ``HideOtherSeqtut`` first on ``sys.meta_path``: the top-level ``seqtut`` is
      resolved only through ``sys.path`` entries inside ``workdir`` (or the
      ``extra_path`` folders a test adds on purpose to fake an installed copy),
      otherwise ``ModuleNotFoundError``. torch & co. import normally.
    * ``test_prelude_hides_seqtut`` checks that ``import seqtut`` fails there.

    The embedded copy still imports because the setup cell unpacks it into
    ``workdir/seqtut_embedded`` and puts that folder on ``sys.path`` itself.
    """
    script = workdir / "_bundled_notebook.py"
    extra = [str(folder) for folder in extra_path]
    prelude = PRELUDE.format(allowed=[str(workdir), *extra], extra_path=extra)
    script.write_text(prelude + "\n" + code + EPILOGUE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(SEQTUT_FAST="1", MPLBACKEND="Agg")
    return subprocess.run(
        [sys.executable, "-I", str(script)],
        check=False,
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_uses(result: subprocess.CompletedProcess[str], kind: str, folder: Path) -> str:
    """Assert the run succeeded and imported seqtut from ``folder``; return its version."""
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    setup = SETUP_LINE.search(result.stdout)
    assert setup, result.stdout[-3000:]
    version, label, path = setup.groups()
    assert label == kind
    final = re.search(r"^SEQTUT_FINAL (.+)$", result.stdout, re.MULTILINE)
    assert final
    for printed in (path, final.group(1)):
        assert Path(printed).resolve().is_relative_to(folder.resolve()), printed
    return version


def test_floors_come_from_pyproject() -> None:
    floors = bundle.read_floors()
    assert set(floors) == {"torch", "numpy", "matplotlib", "seaborn", "statsmodels", "tqdm"}  # every floored dependency
    assert floors["torch"] == "2.3" and floors["matplotlib"] == "3.8.4" and floors["seaborn"] == "0.13"
    assert floors["statsmodels"] == "0.15" and floors["tqdm"] == "4.66"


@pytest.mark.parametrize(
    ("floors", "warning"),
    [
        ({"torch": "0.1", "numpy": "0.1", "matplotlib": "0.1"}, None),
        ({"torch": "99.0", "numpy": "0.1", "matplotlib": "0.1"}, r"warning: torch \S+ is below 99\.0: seqtut"),
        ({"torch": "0.1", "numpy": "0.1", "matplotlib": "0.1", "nopkg-xyz": "1.0"}, r"nopkg-xyz is missing"),
    ],
)
def test_setup_cell_says_in_one_line_when_a_platform_package_is_too_old(
    tmp_path: Path, standin: Path, floors: dict[str, str], warning: str | None
) -> None:
    blob = bundle.encode_files(bundle.collect_package_files(standin))
    code = bundle.setup_cell_source(STANDIN_VERSION, blob, floors)
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = run_isolated(code, workdir)
    assert result.returncode == 0, result.stderr[-2000:]
    found = [line for line in result.stdout.splitlines() if line.startswith("warning:")]
    if warning is None:
        assert found == []
    else:
        assert len(found) == 1 and re.search(warning, found[0]), result.stdout


def test_prelude_hides_seqtut(tmp_path: Path) -> None:
    """Control: in the isolated interpreter no ``seqtut`` is importable at all."""
    result = run_isolated("import seqtut\n", tmp_path)
    assert result.returncode != 0
    assert "ModuleNotFoundError" in result.stderr, result.stderr[-2000:]


def test_bundled_notebook_uses_embedded_copy(tmp_path: Path, standin: Path) -> None:
    """(c) Executed in a clean tmp folder, the notebook imports the embedded copy."""
    out = bundle.bundle_notebook(FIXTURE, tmp_path / "dist", package_dir=standin)
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = run_isolated(notebook_code(out), workdir)
    embedded = workdir / "seqtut_embedded"
    assert assert_uses(result, "embedded copy", embedded) == STANDIN_VERSION
    notebook_file = re.search(r"^SEQTUT_FILE (.+)$", result.stdout, re.MULTILINE)
    assert notebook_file and Path(notebook_file.group(1)).is_relative_to(embedded)
    assert f"SEQTUT_VERSION {STANDIN_VERSION}" in result.stdout
    assert "DEVICE cpu" in result.stdout


@pytest.mark.parametrize(
    ("installed_version", "kind"),
    [(STANDIN_VERSION, "installed"), ("0.0.0+old", "embedded copy")],
)
def test_installed_copy_used_only_if_version_matches(
    tmp_path: Path, standin: Path, installed_version: str, kind: str
) -> None:
    """An importable seqtut is used only with the embedded version; else it is replaced."""
    out = bundle.bundle_notebook(FIXTURE, tmp_path / "dist", package_dir=standin)
    site = tmp_path / "site"
    write_standin(site, installed_version)
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = run_isolated(notebook_code(out), workdir, extra_path=(site,))
    folder = site if kind == "installed" else workdir / "seqtut_embedded"
    assert assert_uses(result, kind, folder) == STANDIN_VERSION


def test_real_notebook_runs_isolated_and_its_checkers_work(tmp_path: Path) -> None:
    """Bundled notebook 00 runs (SEQTUT_FAST=1) on the embedded repository seqtut, in a kernel
    without the repository: its stubs report "not implemented yet" and the solutions pass.

    One isolated run serves both claims, since each costs a fresh interpreter importing torch;
    `make compat` executes two bundles (00 and 06) end to end on the oldest and newest versions.
    """
    notebook = REPO_ROOT / "notebooks" / "00_rnn_io.ipynb"
    solutions = REPO_ROOT / "solutions" / "00_rnn_io.py"
    out = bundle.bundle_notebook(notebook, tmp_path / "dist")
    embedded_names = set(bundle.decode_files(setup_blob(json.loads(out.read_text()))))
    for module in (REPO_ROOT / "seqtut").rglob("*.py"):
        assert f"seqtut/{module.relative_to(REPO_ROOT / 'seqtut').as_posix()}" in embedded_names
    after = (
        "\n" + solutions.read_text() + "\n"
        "for _name, _fn in list(globals().items()):\n"
        "    if _name.startswith('my_') and callable(_fn):\n"
        "        getattr(check, _name.removeprefix('my_'))(_fn)\n"
    )
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = run_isolated(notebook_code(out) + after, workdir, timeout=300)
    version = assert_uses(result, "embedded copy", workdir / "seqtut_embedded")
    assert version == bundle.read_version(REPO_ROOT / "seqtut")
    assert "not implemented yet" in result.stdout
    passed = re.findall(r"^✓ (\w+): (?:all \d+ cases pass|the 1 case passes)$", result.stdout, re.MULTILINE)
    assert len(passed) >= 2, result.stdout[-3000:]
    assert "✗" not in result.stdout and "Traceback" not in result.stderr
