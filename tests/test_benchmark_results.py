"""benchmarks/results.py: each benchmark rewrites its own block of RESULTS.md and nothing else."""

import importlib.util
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


def test_the_time_to_the_originals_final_level_is_its_first_arrival_not_its_whole_training():
    """'at its final X': the original's seconds when it first reached X (its best may come earlier), not its total."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    probe = bench.Probe.__new__(bench.Probe)  # an LSTM section's probe, without building its data
    probe.higher_is_better, probe.target, probe.name = False, 0.05, "test MAE"
    history = [[1, 10.0, 9.0], [2, 20.0, 6.4], [3, 30.0, 6.6], [4, 40.0, 6.5]]  # (epoch, seconds, MAE): final 6.5
    original = {"epochs": 4, "seconds": 40.0, "history": history}
    seqtut = [{"epochs": 2, "seconds": 0.2, "final": 0.01, "history": [[1, 0.1, 5.0], [2, 0.2, 0.01]]}]
    found = {"section": "many-to-one", "probe": probe, "original": original, "seqtut": seqtut}
    timing, _ = bench.comparison_rows(found)
    assert "at its final 6.5000, first reached at epoch 2: 20.0 s vs 0.10 s = 200×" in timing
    assert "> 200× (its total / seqtut's time to target)" in timing  # the total, 40 s, over seqtut's 0.2 s
