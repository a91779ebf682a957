"""benchmarks/imports.py: the report of seaborn's import cost, and where it writes it."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("bench_imports", ROOT / "benchmarks" / "imports.py")
imports = importlib.util.module_from_spec(spec)
sys.modules["bench_imports"] = imports
spec.loader.exec_module(imports)

VERSIONS = {"seaborn": "0.13.2", "pandas": "3.1.1", "scipy": "1.17.1", "matplotlib": "3.11.2", "torch": "2.13.0"}


def run(pandas: float, stats: float, seaborn: float, calibs: list[float]) -> dict:
    seconds = {"pandas": pandas, "scipy.stats": stats, "seaborn": seaborn}
    return {"seconds": seconds, "versions": VERSIONS, "calibs": calibs}


def test_the_report_gives_the_median_import_in_seconds_and_calib_units():
    runs = [run(0.2, 0.6, 0.2, [5.0, 5.0]), run(0.3, 0.7, 0.2, [6.0, 4.0]), run(0.2, 0.5, 0.3, [5.0, 10.0])]
    text = imports.report(runs, [5.0, 5.0, 4.0, 10.0])
    # totals 1.0, 1.2, 1.0 s over their calibs' means 5.0, 5.0, 7.5 s: 0.2, 0.24, 0.133 units, median 0.2
    row = next(line for line in text.splitlines() if line.startswith("| `import seaborn`"))
    assert row == (
        "| `import seaborn` | 1.00 (5.00 / 5.00) → 0.200; 1.20 (6.00 / 4.00) → 0.240 uncertain; "
        "1.00 (5.00 / 10.00) → 0.133 uncertain | 1.00 | 0.200 (uncertain: most runs' calibs differ by more than 25%) |"
    )  # calibs further apart than 25 % of their mean: that run's ratio is uncertain, and so is a median of mostly such
    assert "Its parts, median seconds: pandas 0.20, scipy.stats 0.60, seaborn itself and the rest 0.20." in text
    assert (
        "seaborn 0.13.2, pandas 3.1.1, scipy 1.17.1" in text
        and "Calib runs in order: 5.00, 5.00, 4.00, 10.00 s" in text
    )


def test_the_report_goes_between_its_markers_and_nowhere_else(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("# Results\n\n<!-- speed -->\nspeed\n<!-- /speed -->\n")
    imports.write("first", out)
    imports.write("second", out)
    assert (
        out.read_text()
        == "# Results\n\n<!-- speed -->\nspeed\n<!-- /speed -->\n\n<!-- imports -->\nsecond\n<!-- /imports -->\n"
    )
