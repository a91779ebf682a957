"""benchmarks/RESULTS.md is written in blocks: each benchmark owns the text between its two markers."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_block(name: str, body: str, out: Path = RESULTS) -> None:
    """Put `body` between the `<!-- name -->` and `<!-- /name -->` markers of `out` (appended if absent)."""
    block = f"<!-- {name} -->\n{body.rstrip(chr(10))}\n<!-- /{name} -->\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    existing = out.read_text(encoding="utf-8") if out.exists() else ""
    marked = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->\n?", flags=re.S)
    if marked.search(existing):
        existing = marked.sub(lambda _: block, existing)
    else:
        existing += ("\n" if existing else "") + block
    out.write_text(existing, encoding="utf-8")
