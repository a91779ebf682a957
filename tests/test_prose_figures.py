"""No figure in the notebooks' prose is typed by hand: each one is printed by the notebook itself.

A figure is a number with a decimal point, a thousands separator, or "%", "×", "s" or "MiB" after it. Every
figure in a Markdown cell must appear in the stored outputs of the same notebook, exactly as
printed there, with three exceptions, each checked against its own source:

- a cell that names `benchmarks/RESULTS.md` may quote that file, as printed there;
- a cell about the original notebook may quote what the original printed (`ORIGINAL_PRINTED`,
  checked against its text when `../shared/seed/` sits beside the checkout);
- the "**Run time:**" line, which `make execute` writes from the run itself (`scripts/execute.py`)
  and which is checked against the seconds it stored in the notebook's metadata.

Inline code, LaTeX, section and version numbers ("section 3.4", "torch 2.13") are not figures.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SEED = ROOT.parent / "shared" / "seed" / "000_d7bfbc58b139adb2.txt"

FIGURE = re.compile(r"(?<![\w.,−-])[−-]?(\d{1,3}(?:,\d{3})+|\d+\.\d+|\d+)(\s?(?:%|×|s\b|MiB\b))?(?![\w])(?!\.\d)")
NOT_A_FIGURE = re.compile(r"(`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\*\*Run time:\*\*[^\n]*(?:\n#? ?[^\n*#]+)*)", re.S)
NAMED = re.compile(
    r"(?:section|sections|§|torch|PyTorch|Python|version|versions|matplotlib|numpy|statsmodels|tqdm)"
    r"(?:\s+\d[\d.]*(?:,|\s+and|\s+or)?)*\s*$"  # "torch 2.2 and 2.3", "versions 2.6, 2.13 and 2.14"
)

ORIGINAL_PRINTED = {
    "598,389": "In [18]: the first loss it prints, 598389.2 (the last mini-batch of epoch 1)",
    "17.63": "In [21]: tensor([[17.6299]]), its probe 10..17",
}
"""What the original notebook printed and the tutorial quotes, with where it printed it."""


def _outputs(cells: list[dict]) -> str:
    """Every text a notebook's code cells printed or displayed, in one string."""
    texts = []
    for cell in cells:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            texts.append("".join(output.get("text", "")))
            for kind in ("text/plain", "text/markdown"):
                texts.append("".join(output.get("data", {}).get(kind, "")))
    return "\n".join(texts)


def figures(markdown: str) -> list[str]:
    """The figures of a Markdown text, as written (inline code, LaTeX and the run-time line left out)."""
    text = NOT_A_FIGURE.sub(" ", markdown)
    found = []
    for match in FIGURE.finditer(text):
        number, unit = match.group(1), match.group(2)
        version = "." in number and not unit and NAMED.search(text[: match.start()])
        if ("." in number or "," in number or unit) and not version:
            found.append(number)
    return found


def printed(number: str, text: str) -> bool:
    """Whether `number` appears in `text` as a number of its own (not inside a longer one)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])(?!\.\d)", text) is not None


def unbacked(cells: list[dict]) -> list[str]:
    """'cell N: figure' for every figure of the Markdown cells that nothing backs."""
    outputs, results = _outputs(cells), RESULTS.read_text(encoding="utf-8")
    missing = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        for number in figures(source):
            if printed(number, outputs):
                continue
            if "RESULTS.md" in source and printed(number, results):
                continue
            if "original" in source and number in ORIGINAL_PRINTED:
                continue
            missing.append(f"cell {index}: {number}")
    return missing


def test_figures_are_found_where_they_are_and_only_there():
    text = "MAE 0.0005 (95 % interval), `1e-8`, $\\sqrt{2}$, section 3.4, torch 2.13.0, 1,000 windows, 3 steps, 2.5×"
    assert figures(text) == ["0.0005", "95", "1,000", "2.5"]
    assert figures("torch 2.2 and 2.3 give NaN; torch 2.6, 2.13 and 2.14 give 0.5") == ["0.5"]
    assert printed("0.98", "diff -0.98 per month") and not printed("0.98", "0.985") and not printed("1.3", "21.3")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_in_the_prose_is_printed_by_the_notebook(notebook):
    """Prose figures cannot go stale: each is in the stored outputs of a full run (or a checked source)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    missing = unbacked(cells)
    assert not missing, (
        f"{notebook.name}: figures in the prose that no output of the notebook prints: {', '.join(missing)}. "
        "Print each one in a cell (or quote benchmarks/RESULTS.md as printed there, in a cell that names it)."
    )


@pytest.mark.skipif(not SEED.exists(), reason="the original notebook lies in ../shared/seed/ beside a dev checkout")
def test_what_the_original_printed_is_quoted_right():
    seed = SEED.read_text(encoding="utf-8")
    assert "598389.2" in seed.split("In [21]")[0]  # In [18]'s first printed loss
    assert "tensor([[17.6299]]" in seed
    assert set(ORIGINAL_PRINTED) == {"598,389", "17.63"}
