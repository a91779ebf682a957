"""Bundle tutorial notebooks into self-contained copies for Kaggle and Colab.

Usage::

    python scripts/bundle.py [--out dist] [--package-dir seqtut] [--pyproject pyproject.toml]
                             [NOTEBOOK ...]

Each ``notebooks/NN_name.ipynb`` becomes ``dist/NN_name.ipynb``: the same notebook
(outputs kept) with a one-line markdown note and one setup code cell placed first; the
setup cell's code is hidden in Jupyter, Colab and Kaggle (``SETUP_CELL_METADATA``).
The setup cell embeds the ``seqtut`` package source as a base64 zip, so
``import seqtut`` works on a hosted kernel where nothing can be installed.
Output is deterministic: bundling twice gives byte-identical files.

Only the standard library and nbformat are used.
"""

from __future__ import annotations

import argparse
import ast
import base64
import hashlib
import io
import json
import re
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_NAME = "seqtut"
EMBED_FOLDER = "seqtut_embedded"
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
GITHUB_URL = re.compile(r"^https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")

SETUP_CODE = '''\
# @title Setup: make `import seqtut` work here, installing nothing (the code is hidden; show it to read it)
# An importable seqtut with the version embedded below is used as is; otherwise the
# embedded copy (the long string on the last line) is unpacked into ./{folder}/.
import base64
import importlib
import io
import platform
import shutil
import sys
import zipfile
from pathlib import Path


def _check_floors(python, floors):
    """Say in one line when this Python or a package seqtut needs is older than it supports, or missing."""
    from importlib.metadata import PackageNotFoundError, version as installed

    def key(text):
        return tuple(int(part) for part in text.split("+")[0].split(".")[:3] if part.isdigit())

    low = []
    if key(platform.python_version()) < key(python):
        low.append(f"Python {{platform.python_version()}} is below {{python}}")
    for name, floor in floors.items():
        try:
            have = installed(name)
        except PackageNotFoundError:
            low.append(f"{{name}} is missing (needs >= {{floor}})")
            continue
        if key(have) < key(floor):
            low.append(f"{{name}} {{have}} is below {{floor}}")
    if low:
        print("warning: " + "; ".join(low) + ": seqtut needs newer versions; upgrade them before going on")


def _load_seqtut(version, blob):
    """Return (seqtut module, "installed" or "embedded") for seqtut `version`."""
    folder = Path.cwd() / "{folder}"
    try:
        import seqtut

        usable = getattr(seqtut, "__version__", None) == version
    except Exception:  # not installed, or broken: fall back to the embedded copy
        usable = False
    if not usable:
        shutil.rmtree(folder / "seqtut", ignore_errors=True)
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(blob))) as archive:
            archive.extractall(folder)
        for name in [n for n in sys.modules if n == "seqtut" or n.startswith("seqtut.")]:
            del sys.modules[name]
        if str(folder) in sys.path:
            sys.path.remove(str(folder))
        sys.path.insert(0, str(folder))
        importlib.invalidate_caches()
        seqtut = importlib.import_module("seqtut")
    where = Path(seqtut.__file__).resolve()
    source = "embedded" if folder.resolve() in where.parents else "installed"
    label = "embedded copy at" if source == "embedded" else "installed at"
    print(f"seqtut {{seqtut.__version__}}: {{label}} {{where}}")
    return seqtut, source


_check_floors({python}, {floors})
seqtut, SEQTUT_SOURCE = _load_seqtut({version}, "{blob}")
'''

SETUP_NOTE = """\
**Setup for Kaggle and Colab:** the hidden cell below carries the helper package `seqtut` \
{version} and unpacks it into `./{folder}/` unless that version is importable; nothing is \
installed, and torch, numpy, matplotlib, seaborn, statsmodels and tqdm come from the platform."""

SETUP_CELL_METADATA = {
    "cellView": "form",  # Colab: shows the "# @title" line, hides the code
    "jupyter": {"source_hidden": True},  # nbformat's flag: JupyterLab and Notebook 7 collapse the input
    "_kg_hide-input": True,  # Kaggle: the input is hidden behind a "Code" button
    "tags": ["hide-input"],  # Jupyter Book and nbconvert templates
}
"""Cell metadata that hides the set-up code where a learner opens a bundle; running it is unchanged."""


COLAB_BADGE = (
    "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
    "(https://colab.research.google.com/github/{owner}/{repo}/blob/main/dist/{name})"
)


def read_version(package_dir: Path) -> str:
    """Return ``__version__`` from ``package_dir/__init__.py`` without importing it."""
    init = package_dir / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8"), str(init)).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise ValueError(f"no string __version__ assignment in {init}")


def collect_package_files(package_dir: Path) -> dict[str, bytes]:
    """Map ``seqtut/<relative path>`` to file bytes, sorted, without caches/bytecode."""
    files: dict[str, bytes] = {}
    for path in sorted(package_dir.rglob("*")):
        relative = path.relative_to(package_dir)
        if not path.is_file() or "__pycache__" in relative.parts:
            continue
        if path.suffix in {".pyc", ".pyo"}:
            continue
        files[f"{PACKAGE_NAME}/{relative.as_posix()}"] = path.read_bytes()
    if f"{PACKAGE_NAME}/__init__.py" not in files:
        raise ValueError(f"{package_dir} has no __init__.py")
    return files


def encode_files(files: dict[str, bytes]) -> str:
    """Pack ``files`` into a deterministic deflated zip and return it as base64 text."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever platform bundles
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def decode_files(blob: str) -> dict[str, bytes]:
    """Inverse of :func:`encode_files` (used by tests and for inspection)."""
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(blob))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def read_repository_url(pyproject: Path) -> str | None:
    """Return ``[tool.seqtut] repository`` from ``pyproject``, or None if unset/empty."""
    if not pyproject.is_file():
        return None
    with pyproject.open("rb") as handle:
        config = tomllib.load(handle)
    url = config.get("tool", {}).get(PACKAGE_NAME, {}).get("repository")
    if not isinstance(url, str) or not url.strip():
        return None
    return url.strip()


def colab_badge(repository_url: str, notebook_name: str) -> str:
    """Markdown "Open in Colab" badge for ``dist/<notebook_name>`` on branch main."""
    match = GITHUB_URL.match(repository_url)
    if match is None:
        raise ValueError(
            f"[tool.seqtut] repository must look like https://github.com/OWNER/REPO, got {repository_url!r}"
        )
    owner, repo = match.groups()
    return COLAB_BADGE.format(owner=owner, repo=repo, name=notebook_name)


FLOORED = ("torch", "numpy", "matplotlib", "seaborn", "statsmodels", "tqdm")
"""The platform packages whose version the setup cell checks against `pyproject.toml`'s lower bounds."""


def lower_bounds(pyproject: Path = REPO_ROOT / "pyproject.toml") -> dict[str, str]:
    """``{"torch": "2.3", ...}``: the plain ``>=`` bound of each ``[project]`` dependency that has one."""
    with pyproject.open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    matches = (re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)", r.strip()) for r in dependencies)
    return dict(match.groups() for match in matches if match)


def read_floors(pyproject: Path = REPO_ROOT / "pyproject.toml") -> dict[str, str]:
    """``{"torch": "2.3", ...}``: the ``>=`` bounds of ``FLOORED`` in ``[project] dependencies``."""
    bounds = lower_bounds(pyproject)
    missing = [name for name in FLOORED if name not in bounds]
    if missing:
        raise ValueError(f"{pyproject}: no '>=' lower bound for {', '.join(missing)} in [project] dependencies")
    return {name: bounds[name] for name in FLOORED}


def read_python_floor(pyproject: Path = REPO_ROOT / "pyproject.toml") -> str:
    """``"3.11"``: the plain ``>=`` bound of ``[project] requires-python``."""
    with pyproject.open("rb") as handle:
        requires = tomllib.load(handle)["project"].get("requires-python", "")
    match = re.fullmatch(r"\s*>=\s*([0-9.]+)\s*", requires)
    if match is None:
        raise ValueError(f"{pyproject}: requires-python must be a plain '>=' bound, got {requires!r}")
    return match.group(1)


def setup_cell_source(version: str, blob: str, floors: dict[str, str] | None = None, python: str | None = None) -> str:
    """Source of the setup code cell (its title line first, the blob on the last line)."""
    floors = read_floors() if floors is None else floors
    python = read_python_floor() if python is None else python
    return SETUP_CODE.format(
        folder=EMBED_FOLDER,
        version=json.dumps(version),
        blob=blob,
        floors=json.dumps(floors),
        python=json.dumps(python),
    ).rstrip("\n")


def _display_path(path: Path) -> str:
    """``path`` relative to the repository root if inside it, else just its name."""
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.name


def _read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a v4 notebook, giving id-less cells stable ids (nbformat would pick random ones)."""
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("nbformat") != 4:
        raise ValueError(f"{path}: only nbformat 4 notebooks are supported")
    if raw.get("nbformat_minor", 0) >= 5:
        for index, cell in enumerate(raw.get("cells", [])):
            if "id" not in cell:
                digest = hashlib.sha1(f"{index}:{cell.get('source', '')}".encode()).hexdigest()
                cell["id"] = digest[:8]
    return nbformat.from_dict(raw)


def _new_cell(kind: str, source: str, cell_id: str, with_id: bool) -> nbformat.NotebookNode:
    """A markdown or code cell with a fixed id (none for notebooks older than 4.5)."""
    maker = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
    cell = maker(source, id=cell_id)
    if not with_id:
        del cell["id"]
    return cell


def bundle_notebook(
    notebook: Path,
    out_dir: Path,
    *,
    package_dir: Path = REPO_ROOT / PACKAGE_NAME,
    repository_url: str | None = None,
) -> Path:
    """Write the self-contained copy of ``notebook`` into ``out_dir``; return its path."""
    target = out_dir / notebook.name
    if target.resolve() == notebook.resolve():
        raise ValueError(f"refusing to overwrite the source notebook {notebook}")
    nb = _read_notebook(notebook)
    if PACKAGE_NAME in nb.metadata:
        raise ValueError(f"{notebook} is already bundled (metadata has '{PACKAGE_NAME}')")
    version = read_version(package_dir)
    blob = encode_files(collect_package_files(package_dir))
    with_ids = nb.nbformat_minor >= 5
    cells = [
        _new_cell(
            "markdown",
            SETUP_NOTE.format(version=version, folder=EMBED_FOLDER),
            "seqtut-setup-note",
            with_ids,
        ),
        _new_cell("code", setup_cell_source(version, blob), "seqtut-setup", with_ids),
    ]
    cells[1].metadata.update(json.loads(json.dumps(SETUP_CELL_METADATA)))  # a deep copy
    if repository_url:
        badge = colab_badge(repository_url, notebook.name)
        cells.insert(0, _new_cell("markdown", badge, "seqtut-colab-badge", with_ids))
    nb.cells = cells + nb.cells
    nb.metadata[PACKAGE_NAME] = {
        "version": version,
        "bundled_from": _display_path(notebook),
    }
    nbformat.validate(nb)
    out_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8", newline="\n")
    return target


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        metavar="NOTEBOOK",
        help="notebooks to bundle (default: notebooks/*.ipynb)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO_ROOT / "dist",
        help="output folder (default: dist/)",
    )
    parser.add_argument(
        "--package-dir",
        type=Path,
        default=REPO_ROOT / PACKAGE_NAME,
        help="package source to embed (default: seqtut/)",
    )
    parser.add_argument(
        "--pyproject",
        type=Path,
        default=REPO_ROOT / "pyproject.toml",
        help="where to read [tool.seqtut] repository (default: pyproject.toml)",
    )
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        print("bundle: no notebooks to bundle", file=sys.stderr)
        return 1
    url = read_repository_url(args.pyproject)
    version = read_version(args.package_dir)
    for notebook in notebooks:
        target = bundle_notebook(notebook, args.out, package_dir=args.package_dir, repository_url=url)
        print(f"wrote {target} (seqtut {version}, badge: {'yes' if url else 'no'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
