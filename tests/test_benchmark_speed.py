"""benchmarks/speed.py: a --quick run keeps the last full run's Transformer table, dated, not a blank."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import speed  # noqa: E402  (benchmarks/speed.py)

TABLE = "| task | settings |\n|---|---|\n| transformer | today |\n"
FULL = (
    "<!-- speed -->\n## Speed (issue #12)\n\n- Date: 2026-12-03 09:57 UTC; code: `2dadd3a`\n\n"
    f"Transformer training time (one thread), the settings before the issue against today's:\n\n{TABLE}"
    "<!-- /speed -->\n"
)


def test_quick_keeps_the_full_runs_table_with_its_date_and_code():
    kept = speed.kept_transformer_table(FULL)
    assert kept.startswith("Transformer seeds last run on 2026-12-03 09:57 UTC, code `2dadd3a` (this run was `--quick`")
    assert kept.endswith("\n\n" + TABLE)


def test_a_second_quick_run_keeps_the_first_date_not_its_own():
    once = speed.kept_transformer_table(FULL)
    quick = f"<!-- speed -->\n- Date: 2026-12-09 10:00 UTC; code: `abc1234`\n\n{once}<!-- /speed -->\n"
    assert speed.kept_transformer_table(quick) == once


def test_with_no_table_to_keep_it_says_the_seeds_were_not_run():
    assert speed.kept_transformer_table("").startswith("Transformer seeds: not run (`--quick`)")
