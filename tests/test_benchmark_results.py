"""benchmarks/results.py: each benchmark rewrites its own block of RESULTS.md and nothing else."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from results import write_block  # noqa: E402  (benchmarks/results.py)


def test_a_block_is_appended_then_replaced_in_place_leaving_the_others(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("# Results\n\n<!-- speed -->\nold speed\n<!-- /speed -->\n\ntail\n", encoding="utf-8")
    write_block("compat", "## Version matrix\n\nfirst\n", out)
    write_block("speed", "new speed", out)
    assert out.read_text(encoding="utf-8") == (
        "# Results\n\n<!-- speed -->\nnew speed\n<!-- /speed -->\n\ntail\n"
        "\n<!-- compat -->\n## Version matrix\n\nfirst\n<!-- /compat -->\n"
    )
    write_block("compat", "second", out)
    write_block("compat", "second", out)  # the same text again: the file does not change
    assert out.read_text(encoding="utf-8").endswith("tail\n\n<!-- compat -->\nsecond\n<!-- /compat -->\n")


def test_a_name_that_prefixes_another_does_not_take_its_block(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("<!-- speed-old -->\nkept\n<!-- /speed-old -->\n", encoding="utf-8")
    write_block("speed", "new", out)
    assert "kept" in out.read_text(encoding="utf-8") and "<!-- speed -->\nnew\n<!-- /speed -->" in out.read_text()
