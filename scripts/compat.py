"""The version matrix (`make compat`): seqtut's checks on the oldest versions its bounds allow and on the newest.

For each end of the matrix a venv under build/compat/END gets seqtut's dependencies and test
tools, but not seqtut itself:

- oldest: every `>=` bound in pyproject.toml's [project] dependencies taken exactly (torch 2.3,
  numpy 1.24, matplotlib 3.8.4, ...); the test tools at their newest.
- newest: the newest of everything this machine's pip offers (torch is capped at 2.14.1 here,
  which installs from local disk).
- newest-3.12, newest-3.13: the newest end again on Python 3.12 (Colab's) and 3.13, found on PATH
  or under pyenv (`~/.pyenv/versions/3.12.*`). Torch has no file on this disk for them: pip takes
  PyPI's build (a CUDA build, about 5 GB in the venv, the nvidia wheels shared between the two
  through pip's cache). A Python that is not here is one line, not a failure.

The 3.11 ends run on the interpreter that runs this script (`.venv`'s).

Then, in that venv, three checks:

1. the unit tests and every notebook under nbval (fast mode), with the repository on PYTHONPATH;
2. two bundled notebooks (`scripts/bundle.py`) executed from an empty folder with no PYTHONPATH,
   so that the only seqtut they can import is the copy embedded in the notebook;
3. the `seqtut` versions the venv really holds, printed as the matrix row.

The ends run side by side (one process each, one torch thread). A venv is reused while its
requirements are unchanged. Prints the matrix (versions × checks) and exits 1 if any check failed.
When the 3.11 ends ran and every end that ran passed, the matrix also goes between the `<!-- compat -->` markers of
benchmarks/RESULTS.md, with the date, the commit and the machine, so that the README can quote it.

    python scripts/compat.py                 # every end
    python scripts/compat.py --ends newest   # one end
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bundle import lower_bounds  # scripts/bundle.py: this script's folder is on sys.path
from results import write_block  # noqa: E402  (benchmarks/results.py)

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ("00_rnn_io", "06_transformer_masking")  # the LSTM shapes, and fused attention over masks
NEWEST_TORCH = "torch==2.14.1"  # the newest torch this machine's pip allows (its constraint file caps it)
SHOWN = ("torch", "numpy", "matplotlib", "seaborn", "pandas", "statsmodels", "tqdm")
INSTALL_ATTEMPTS = 3
ENDS = {"oldest": None, "newest": None, "newest-3.12": "3.12", "newest-3.13": "3.13"}
"""Each end and its Python: None is this script's own interpreter (3.11, the oldest requires-python allows)."""


def find_python(minor: str) -> Path | None:
    """A working `python{minor}`: on PATH, else the newest under `$PYENV_ROOT/versions` (pyenv's shims
    refuse a version that is installed but not selected); None when this machine has none."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    installed = sorted(
        pyenv.glob(f"{minor}.*/bin/python{minor}"),
        key=lambda path: [int(part) for part in path.parents[1].name.split(".") if part.isdigit()],  # 3.12.10 > 3.12.9
    )
    wanted = str(tuple(int(part) for part in minor.split(".")))
    for candidate in filter(None, [shutil.which(f"python{minor}"), *reversed(installed)]):
        probe = [str(candidate), "-c", "import sys, venv; print(sys.version_info[:2])"]
        answer = subprocess.run(probe, capture_output=True, text=True)
        if answer.returncode == 0 and answer.stdout.strip() == wanted:
            return Path(candidate)
    return None


def requirements(end: str, pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The pip requirements of one end: the package's dependencies (exact floors for `oldest`) and test tools."""
    with pyproject.open("rb") as handle:
        project = tomllib.load(handle)["project"]
    bounds = lower_bounds(pyproject)
    if len(bounds) != len(project["dependencies"]):
        raise ValueError(f"{pyproject}: every dependency needs a plain '>=' lower bound; bounded: {', '.join(bounds)}")
    if end == "oldest":
        wanted = [f"{name}=={floor}" for name, floor in bounds.items()]
    elif end.startswith("newest"):
        wanted = [NEWEST_TORCH if name == "torch" else name for name in bounds]
    else:
        raise ValueError(f"end: expected one of {', '.join(ENDS)}, got {end!r}")
    test_tools = [r for r in project["optional-dependencies"]["test"] if not r.startswith("seqtut")]
    return wanted + test_tools


def build_venv(end: str, folder: Path, log: Path, python: Path) -> bool:
    """Create `folder` with `python` and `requirements(end)`, unless a venv with the same requirements is there.

    True when it built one, False when it reused the venv there."""
    wanted = requirements(end)
    stamp = folder / "requirements.txt"
    if stamp.exists() and stamp.read_text() == "\n".join(wanted) + "\n" and (folder / "bin" / "python").exists():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    with log.open("a") as out:
        subprocess.run([str(python), "-m", "venv", str(folder)], check=True, stdout=out, stderr=out)
        pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--only-binary", ":all:"]
        for attempt in range(1, INSTALL_ATTEMPTS + 1):  # torch's wheels are GBs: a dropped download is retried
            out.write(f"$ {' '.join([*pip, *wanted])}  # attempt {attempt} of {INSTALL_ATTEMPTS}\n")
            out.flush()
            if subprocess.run([*pip, *wanted], stdout=out, stderr=out).returncode == 0:
                break
            if attempt == INSTALL_ATTEMPTS:
                tail = "\n".join(log.read_text().strip().splitlines()[-20:])
                raise RuntimeError(f"{end}: pip install failed {INSTALL_ATTEMPTS} times; the end of {log}:\n{tail}")
            time.sleep(30)
    stamp.write_text("\n".join(wanted) + "\n")
    return True


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


def check_end(end: str, build: Path, base: Path) -> dict:
    """Build one end's venv from `base` and run its checks; versions and (passed, seconds, summary) per check."""
    folder = build / end
    folder.parent.mkdir(parents=True, exist_ok=True)
    log = build / f"{end}.log"
    log.write_text("")
    started = time.perf_counter()
    try:
        built = build_venv(end, folder, log, base)
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"[compat] {error}", flush=True)  # the cause, in CI's output; the other ends go on
        return {"end": end, "built": True, "install": (False, time.perf_counter() - started, str(error))}
    python = folder / "bin" / "python"
    row: dict = {"end": end, "built": built, "install_seconds": time.perf_counter() - started}
    row["versions"] = versions(python)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(OMP_NUM_THREADS="1", SEQTUT_THREADS="1", SEQTUT_FAST="1", SEQTUT_PROGRESS="0")
    tests = [str(python), "-m", "pytest", "--nbval", "--nbval-current-env", "-q", "-p", "no:cacheprovider"]
    repo = copy_repository(folder / "repo")  # the notebooks write runs/ and build/: one copy per end
    row["pytest"] = timed(tests, log, cwd=repo, env={**env, "PYTHONPATH": str(repo)})
    with tempfile.TemporaryDirectory(prefix=f"seqtut-compat-{end}-") as empty:
        bundles = Path(empty) / "dist"
        made = timed([sys.executable, str(ROOT / "scripts" / "bundle.py"), "--out", str(bundles)], log)
        for name in BUNDLED:
            if not made[0]:  # no bundle to run (a full disk, say): each bundled check fails with the reason
                row[f"bundle {name}"] = (False, made[1], f"bundle.py failed: {made[2]}")
                continue
            execute = [str(python), "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                       "--ExecutePreprocessor.timeout=600", "--output-dir", empty,
                       str(bundles / f"{name}.ipynb")]  # fmt: skip
            row[f"bundle {name}"] = timed(execute, log, cwd=empty, env=env)  # inline figures, as in Jupyter
    return row


def matrix(rows: list[dict]) -> str:
    """The matrix as Markdown: one row per end, versions then each check's outcome and time."""
    checks = ["pytest", *(f"bundle {name}" for name in BUNDLED)]
    head = ["end", "Python", *SHOWN, *checks]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        if "install" in row:  # its venv could not be built: nothing ran
            cells = [row["end"], *["?"] * (1 + len(SHOWN)), *["not run: install FAILED"] * len(checks)]
            lines.append("| " + " | ".join(cells) + " |")
            continue
        cells = [row["end"], row["versions"]["python"], *(row["versions"][name] for name in SHOWN)]
        for check in checks:
            passed, seconds, summary = row[check]
            cells.append(
                f"{'pass' if passed else 'FAIL'} ({seconds:.0f} s{'; ' + summary if check == 'pytest' else ''})"
            )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def installs(rows: list[dict]) -> str:
    """What the total time holds of the installs: which ends built their venv, which reused one."""
    built = [row["end"] for row in rows if row["built"]]
    reused = [row["end"] for row in rows if not row["built"]]
    if not reused:
        return "installs included"
    if not built:
        return "no install: every venv reused from an earlier run"
    return f"installs included for {', '.join(built)}; {', '.join(reused)} reused an earlier venv"


def record(
    table: str, seconds: float, skipped: list[str], how: str, results: Path = ROOT / "benchmarks" / "RESULTS.md"
) -> None:
    """Put the matrix between the `<!-- compat -->` markers of `results` (appended if it has none)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = (
        "## Version matrix\n\n"
        f"Written by `scripts/compat.py` (`make compat`) on {now}, code `{commit.stdout.strip() or 'unknown'}`, "
        f"{os.cpu_count()} cores, every end side by side ({seconds:.0f} s in all, {how})."
        + "".join(f" {line}." for line in skipped)
        + f"\n\n{table}"
    )
    write_block("compat", body, results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ends", default=",".join(ENDS), help=f"comma-separated, from: {', '.join(ENDS)}")
    parser.add_argument("--build", type=Path, default=ROOT / "build" / "compat")
    args = parser.parse_args(argv)
    ends = args.ends.split(",")
    unknown = [end for end in ends if end not in ENDS]
    if unknown:
        parser.error(f"--ends: expected some of {', '.join(ENDS)}, got {unknown[0]!r}")
    bases: dict[str, Path] = {}
    skipped = []
    for end in ends:
        minor = ENDS[end]
        base = Path(sys.executable) if minor is None else find_python(minor)
        if base is None:
            skipped.append(f"{end} not run: no Python {minor} on PATH or under pyenv")
            print(f"[compat] {skipped[-1]}", flush=True)
            continue
        bases[end] = base
        print(f"[compat] {end} ({base}): " + " ".join(requirements(end)), flush=True)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(bases)) as pool:
        rows = list(pool.map(lambda end: check_end(end, args.build, bases[end]), bases))
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
    if {"oldest", "newest"} <= set(bases):
        record(table, time.perf_counter() - started, skipped, installs(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
