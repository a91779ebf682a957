"""The version matrix (`make compat`): seqtut's checks on the oldest versions its bounds allow and on the newest.

For each end of the matrix a venv under build/compat/END gets seqtut's dependencies and test
tools, but not seqtut itself:

- oldest: every `>=` bound in pyproject.toml's [project] dependencies taken exactly (torch 2.3,
  numpy 1.24, matplotlib 3.8.4, ...); the test tools at their newest.
- newest: the newest of everything this machine's pip offers (torch is capped at 2.14.1 here,
  which installs from local disk).

Then, in that venv, three checks:

1. the unit tests and every notebook under nbval (fast mode), with the repository on PYTHONPATH;
2. two bundled notebooks (`scripts/bundle.py`) executed from an empty folder with no PYTHONPATH,
   so that the only seqtut they can import is the copy embedded in the notebook;
3. the `seqtut` versions the venv really holds, printed as the matrix row.

The two ends run side by side (one process each, one torch thread). A venv is reused while its
requirements are unchanged. Prints the matrix (versions × checks) and exits 1 if any check failed.
When both ends ran and passed, the matrix also goes between the `<!-- compat -->` markers of
benchmarks/RESULTS.md, with the date, the commit and the machine, so that the README can quote it.

    python scripts/compat.py                 # both ends
    python scripts/compat.py --ends newest   # one end
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bundle import lower_bounds  # scripts/bundle.py: this script's folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ("00_rnn_io", "06_transformer_masking")  # the LSTM shapes, and fused attention over masks
NEWEST_TORCH = "torch==2.14.1"  # the newest torch this machine's pip allows (its constraint file caps it)
SHOWN = ("torch", "numpy", "matplotlib", "seaborn", "pandas", "statsmodels", "tqdm")


def requirements(end: str, pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The pip requirements of one end: the package's dependencies (exact floors for `oldest`) and test tools."""
    with pyproject.open("rb") as handle:
        project = tomllib.load(handle)["project"]
    bounds = lower_bounds(pyproject)
    if len(bounds) != len(project["dependencies"]):
        raise ValueError(f"{pyproject}: every dependency needs a plain '>=' lower bound; bounded: {', '.join(bounds)}")
    if end == "oldest":
        wanted = [f"{name}=={floor}" for name, floor in bounds.items()]
    else:
        wanted = [NEWEST_TORCH if name == "torch" else name for name in bounds]
    test_tools = [r for r in project["optional-dependencies"]["test"] if not r.startswith("seqtut")]
    return wanted + test_tools


def build_venv(end: str, folder: Path, log: Path) -> None:
    """Create `folder` with `requirements(end)`, unless a venv with the same requirements is there."""
    wanted = requirements(end)
    stamp = folder / "requirements.txt"
    if stamp.exists() and stamp.read_text() == "\n".join(wanted) + "\n" and (folder / "bin" / "python").exists():
        return
    shutil.rmtree(folder, ignore_errors=True)
    with log.open("a") as out:
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, stdout=out, stderr=out)
        pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--only-binary", ":all:"]
        subprocess.run([*pip, *wanted], check=True, stdout=out, stderr=out)
    stamp.write_text("\n".join(wanted) + "\n")


def copy_repository(target: Path) -> Path:
    """A fresh copy of the repository's files (tracked, and untracked ones git does not ignore) at `target`."""
    shutil.rmtree(target, ignore_errors=True)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def versions(python: Path) -> dict[str, str]:
    """The installed versions of SHOWN, and Python's, as the venv reports them."""
    code = (
        "import importlib.metadata as m, json, platform; "
        f"print(json.dumps({{'python': platform.python_version(), **{{n: m.version(n) for n in {list(SHOWN)}}}}}))"
    )
    return json.loads(subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True).stdout)


def timed(command: list[str], log: Path, **kwargs) -> tuple[bool, float, str]:
    """Run `command`, appending its output to `log`; (passed, seconds, last line of output)."""
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    with log.open("a") as out:
        out.write(f"$ {' '.join(command)}\n{result.stdout}{result.stderr}\n")
    lines = (result.stdout + result.stderr).strip().splitlines()
    return result.returncode == 0, time.perf_counter() - started, lines[-1] if lines else ""


def check_end(end: str, build: Path) -> dict:
    """Build one end's venv and run its checks; a dict of versions and (passed, seconds, summary) per check."""
    folder = build / end
    folder.parent.mkdir(parents=True, exist_ok=True)
    log = build / f"{end}.log"
    log.write_text("")
    started = time.perf_counter()
    build_venv(end, folder, log)
    python = folder / "bin" / "python"
    row: dict = {"end": end, "install_seconds": time.perf_counter() - started, "versions": versions(python)}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(OMP_NUM_THREADS="1", SEQTUT_THREADS="1", SEQTUT_FAST="1", SEQTUT_PROGRESS="0")
    tests = [str(python), "-m", "pytest", "--nbval", "--nbval-current-env", "-q", "-p", "no:cacheprovider"]
    repo = copy_repository(folder / "repo")  # the notebooks write runs/ and build/: one copy per end
    row["pytest"] = timed(tests, log, cwd=repo, env={**env, "PYTHONPATH": str(repo)})
    with tempfile.TemporaryDirectory(prefix=f"seqtut-compat-{end}-") as empty:
        bundles = Path(empty) / "dist"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "bundle.py"), "--out", str(bundles)], check=True,
                       capture_output=True)  # fmt: skip
        for name in BUNDLED:
            execute = [str(python), "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                       "--ExecutePreprocessor.timeout=600", "--output-dir", empty,
                       str(bundles / f"{name}.ipynb")]  # fmt: skip
            row[f"bundle {name}"] = timed(execute, log, cwd=empty, env=env)  # inline figures, as in Jupyter
    return row


def matrix(rows: list[dict]) -> str:
    """The matrix as Markdown: one row per end, versions then each check's outcome and time."""
    checks = [key for key in rows[0] if key == "pytest" or key.startswith("bundle ")]
    head = ["end", "Python", *SHOWN, *checks]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row["end"], row["versions"]["python"], *(row["versions"][name] for name in SHOWN)]
        for check in checks:
            passed, seconds, summary = row[check]
            cells.append(
                f"{'pass' if passed else 'FAIL'} ({seconds:.0f} s{'; ' + summary if check == 'pytest' else ''})"
            )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def record(table: str, seconds: float, results: Path = ROOT / "benchmarks" / "RESULTS.md") -> None:
    """Put the matrix between the `<!-- compat -->` markers of `results` (appended if it has none)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = (
        "<!-- compat -->\n## Version matrix\n\n"
        f"Written by `scripts/compat.py` (`make compat`) on {now}, code `{commit.stdout.strip() or 'unknown'}`, "
        f"{os.cpu_count()} cores, both ends side by side ({seconds:.0f} s in all, installs included).\n\n"
        f"{table}\n<!-- /compat -->\n"
    )
    existing = results.read_text(encoding="utf-8") if results.exists() else ""
    if "<!-- compat -->" in existing:
        existing = re.sub(r"<!-- compat -->.*?<!-- /compat -->\n?", lambda _: block, existing, flags=re.S)
    else:
        existing += ("\n" if existing else "") + block
    results.write_text(existing, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ends", default="oldest,newest", help="comma-separated: oldest, newest")
    parser.add_argument("--build", type=Path, default=ROOT / "build" / "compat")
    args = parser.parse_args(argv)
    ends = args.ends.split(",")
    unknown = [end for end in ends if end not in ("oldest", "newest")]
    if unknown:
        parser.error(f"--ends: expected oldest and/or newest, got {unknown[0]!r}")
    for end in ends:
        print(f"[compat] {end}: " + " ".join(requirements(end)), flush=True)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(ends)) as pool:
        rows = list(pool.map(lambda end: check_end(end, args.build), ends))
    table = matrix(rows)
    print(table)
    print(f"[compat] {time.perf_counter() - started:.0f} s in all; logs in {args.build}/END.log")
    (args.build / "matrix.md").write_text(table + "\n")
    (args.build / "matrix.json").write_text(json.dumps(rows, indent=1) + "\n")
    failed = [
        f"{row['end']}: {key}"
        for row in rows
        for key, value in row.items()
        if isinstance(value, tuple) and not value[0]
    ]
    if failed:
        print("[compat] FAILED: " + "; ".join(failed))
        return 1
    if len(rows) == 2:
        record(table, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
