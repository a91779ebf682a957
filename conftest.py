"""Repository-wide pytest setup: fast mode and one thread for the notebook kernels nbval starts."""

import os
from pathlib import Path

# Set before any kernel starts, so the kernels inherit them; an explicit value from the caller wins.
os.environ.setdefault("SEQTUT_FAST", "1")
os.environ.setdefault("SEQTUT_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("SEQTUT_PROGRESS", "0")

SANITIZE = Path(__file__).parent / "tests" / "nbval_sanitize.cfg"

# Notebooks used as test inputs are data, not tutorial notebooks for nbval to run.
collect_ignore_glob = ["tests/fixtures/*"]


def pytest_configure(config):
    """Point nbval at the sanitize file by absolute path, whatever the current directory."""
    if getattr(config.option, "nbval_sanitize_with", "absent") is None:
        config.option.nbval_sanitize_with = str(SANITIZE)


# The browser walkthrough needs chromium, JupyterLab and Playwright: `make browser-test` runs it.
if os.environ.get("SEQTUT_BROWSER") != "1":
    collect_ignore_glob.append("tests/browser/*")
