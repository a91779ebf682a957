"""Give committed notebooks the metadata JupyterLab expects, and nothing machine-specific.

Sets the `python3` kernelspec and `language_info` (without either, JupyterLab marks a notebook
modified the moment it opens, measured with JupyterLab 4.6), and drops `language_info.version`:
it records the Python of whoever executed the notebook last, and Lab does not need it.
Usage: python scripts/notebook_metadata.py [NOTEBOOK.ipynb ...]   (default: notebooks/*.ipynb)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


def set_metadata(metadata: dict) -> None:
    """Give a notebook's `metadata` (in place) the committed kernelspec and version-free language_info.

    `make lab`'s pre-save hook (scripts/lab.py) applies this too, so Lab saves what `make sync` commits.
    """
    metadata["kernelspec"] = dict(KERNELSPEC)
    metadata["language_info"] = dict(LANGUAGE_INFO)


def normalize(path: Path) -> bool:
    """Rewrite `path` with the kernelspec and a version-free language_info; return True if it changed."""
    text = path.read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=4)
    set_metadata(notebook.metadata)
    new = nbformat.writes(notebook) + "\n"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        if normalize(path):
            print(f"metadata set: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
