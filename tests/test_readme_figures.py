"""The README's figures are read from where they were measured, so none can go stale.

Every figure of the README (as `tests/test_prose_figures.py` defines one) must appear, as printed,
in `benchmarks/RESULTS.md` or in the stored outputs of a notebook that the same paragraph, bullet
or table row names (`06_transformer_masking`, or "(06)"), or be what the original printed
(`ORIGINAL_PRINTED`) in a piece about the original. Code blocks and inline code are left out.
"""

from __future__ import annotations

import json
import re

from test_prose_figures import ORIGINAL_PRINTED, RESULTS, ROOT, _outputs, figures, printed

README = ROOT / "README.md"
NAMES = re.compile(r"\b0(\d)_[a-z_]+|\((0\d)(?:, 0\d)*\)|\bnotebook (0\d)")


def pieces(text: str) -> list[str]:
    """Paragraphs, bullets and table rows: the units a figure and its source share."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    return [p for p in re.split(r"\n\s*\n|\n(?=\|)|\n(?=\s*- )", text) if p.strip()]


def named_notebooks(piece: str) -> set[str]:
    """The two-digit numbers of the notebooks a piece names."""
    found = set()
    for match in NAMES.finditer(piece):
        found |= {f"0{match.group(1)}"} if match.group(1) else set(re.findall(r"0\d", match.group(0)))
    return found


def test_notebooks_are_found_by_name_or_number():
    assert named_notebooks("| `06_transformer_masking` | x |") == {"06"}
    assert named_notebooks("printed loss (01, 02); notebook 08 says") == {"01", "02", "08"}


def test_every_figure_in_the_readme_is_read_from_results_or_a_notebook():
    results = RESULTS.read_text(encoding="utf-8")
    outputs = {
        path.stem[:2]: _outputs(json.loads(path.read_text(encoding="utf-8"))["cells"])
        for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    }
    missing = []
    for piece in pieces(README.read_text(encoding="utf-8")):
        sources = [results] + [outputs[n] for n in named_notebooks(piece) if n in outputs]
        quoted = set(ORIGINAL_PRINTED) if "original" in piece else set()  # what the original printed
        missing += [
            f"{n} ({piece.strip()[:60]}...)"
            for n in figures(piece)
            if n not in quoted and not any(printed(n, s) for s in sources)
        ]
    assert not missing, "README figures found neither in benchmarks/RESULTS.md nor in the notebooks they name:\n" + (
        "\n".join(missing)
    )
