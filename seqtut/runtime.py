"""The run time: fast mode, seeding, CPU threads, device choice and progress bars.

Environment variables, read here and nowhere else:

- `SEQTUT_FAST=1`: shrink epochs and data so a notebook runs in seconds (CI uses it).
- `SEQTUT_DEVICE=cpu|cuda|mps`: override the automatic device choice.
- `SEQTUT_THREADS=N`: CPU threads for torch (default 1: tiny models run fastest on one).
- `SEQTUT_PROGRESS=0`: switch progress bars off.
- `SEQTUT_RESULTS=FILE`: `sections.report` also appends each headline result to FILE.
- `SEQTUT_STRICT=1`: claims marked machine-dependent raise when they fail, as every other claim does
  (the Makefile sets it, so `make run`, `make test` and CI hold the stored run's numbers).

Fast versus full mode is decided here, by `fast_mode`, and nowhere else.
"""

from __future__ import annotations

import os
import platform
import random
import time
import warnings
from collections.abc import Iterable, Iterator
from typing import TypeVar

import numpy as np
import torch

from seqtut.checks import non_negative_int, one_of, positive_int

T = TypeVar("T")


ON, OFF = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
MAX_SEED = 2**32 - 1
"""The largest seed every generator accepts (NumPy's legacy seeding stops at 2**32 - 1)."""


def _flag(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1"/"true"/"yes"/"on" mean on; unset or empty: `default`)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in ON


def check_environment() -> None:
    """Raise a ValueError naming the first SEQTUT_* variable whose value cannot be used."""
    for name in ("SEQTUT_FAST", "SEQTUT_PROGRESS", "SEQTUT_STRICT"):
        value = os.environ.get(name, "").strip().lower()
        if value and value not in ON + OFF:
            raise ValueError(f"{name}: expected one of {', '.join(ON + OFF)}, got {os.environ[name]!r}")
    set_threads()  # checks SEQTUT_THREADS
    device = os.environ.get("SEQTUT_DEVICE")
    if device:
        try:
            choose_device(device)
        except ValueError as error:
            raise ValueError(f"SEQTUT_DEVICE: {str(error).removeprefix('device: ')}") from None


FAST: bool = _flag("SEQTUT_FAST", False)
"""True when `SEQTUT_FAST=1`: every section trains on less data for fewer epochs."""


def fast_mode(fast: bool | None = None) -> bool:
    """`fast` when given, else `SEQTUT_FAST`: the one place that decides fast versus full."""
    return FAST if fast is None else bool(fast)


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and torch so a run prints the same numbers every time."""
    non_negative_int(seed, "seed")
    if seed > MAX_SEED:
        raise ValueError(f"seed: expected at most {MAX_SEED}, got {seed}")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def set_threads(threads: int | None = None) -> int:
    """Use `threads` CPU threads (default: `SEQTUT_THREADS`, else 1) and return the number.

    On a 2-core machine torch's default of two threads ran a tiny LSTM 8-50x slower than
    one thread: the OpenMP threads spin while they wait for each other.
    """
    if threads is None:
        text = os.environ.get("SEQTUT_THREADS", "1")
        if not text.strip().isdigit() or int(text) < 1:
            raise ValueError(f"SEQTUT_THREADS: expected an int >= 1, got {text!r}")
        threads = int(text)
    positive_int(threads, "threads")
    torch.set_num_threads(threads)
    return threads


DEVICES = ("cpu", "cuda", "mps")


def choose_device(prefer: str | None = None, *, recurrent: bool = False) -> torch.device:
    """Pick CUDA, then Apple MPS, then CPU; `prefer` or `SEQTUT_DEVICE` overrides.

    MPS's LSTM has returned silently wrong results (pytorch/pytorch#92615, a fix announced for 2.0;
    #90421, still reported wrong on 2.0 in 2023), and nothing here tests today's releases on a Mac,
    so with `recurrent=True` an automatic choice of MPS falls back to the CPU. Asking for "mps" explicitly (argument or
    environment) still gets MPS.
    """
    requested = prefer or os.environ.get("SEQTUT_DEVICE") or None
    if requested is not None:
        one_of(requested, DEVICES, "device")
        if requested == "cuda" and not torch.cuda.is_available():
            raise ValueError("device: 'cuda' was requested but torch sees no CUDA GPU")
        if requested == "mps" and not torch.backends.mps.is_available():
            raise ValueError("device: 'mps' was requested but torch sees no Apple MPS device")
        return torch.device(requested)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available() and not recurrent:
        return torch.device("mps")
    return torch.device("cpu")


def strict_mode() -> bool:
    """True when `SEQTUT_STRICT` is on: a machine-dependent claim that fails raises (`claims.machine_dependent`)."""
    return _flag("SEQTUT_STRICT", False)


def results_file() -> str | None:
    """Where `sections.report` appends JSON lines (`SEQTUT_RESULTS`), or None."""
    return os.environ.get("SEQTUT_RESULTS") or None


def progress_enabled() -> bool:
    """Progress bars: on when `SEQTUT_PROGRESS` is unset, empty or 1/true/yes/on (`check_environment` refuses
    values neither on nor off)."""
    return _flag("SEQTUT_PROGRESS", True)


def progress(
    iterable: Iterable[T], *, total: int | None = None, desc: str = "", enabled: bool | None = None
) -> Iterator[T]:
    """Wrap `iterable` in a tqdm bar (a widget in Jupyter when ipywidgets is installed)."""
    if enabled is None:
        enabled = progress_enabled()
    if not enabled:
        yield from iterable
        return
    from tqdm.auto import tqdm
    from tqdm.notebook import tqdm as notebook_tqdm

    with warnings.catch_warnings():
        # Without ipywidgets tqdm.auto falls back to a text bar and warns with a local path.
        warnings.filterwarnings("ignore", message="IProgress not found")
        if not issubclass(tqdm, notebook_tqdm):  # a terminal, or Jupyter without ipywidgets: a text bar
            yield from tqdm(iterable, total=total, desc=desc, leave=True)
            return
        bar = tqdm(iterable, total=total, desc=desc, leave=True, display=False)
    yield from _widget_then_text(bar)


class _Text:
    """An output that is plain text only (what a finished widget bar is replaced by)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _widget_then_text(bar: Iterable[T]) -> Iterator[T]:
    """Show `bar` as a live widget, then replace it by its final line of text.

    A saved notebook then holds text, not a widget whose model is gone once the kernel restarts
    (JupyterLab would show "Error displaying widget: model not found" on reopening it).
    """
    from IPython.display import display

    handle = display(bar.container, display_id=True)  # type: ignore[attr-defined]
    try:
        yield from bar
    finally:
        line = bar.format_meter(**bar.format_dict)  # type: ignore[attr-defined]
        bar.close()  # type: ignore[attr-defined]
        if handle is not None:
            handle.update(_Text(line))


_RUN: dict[str, object] = {}
"""What `setup` chose, for `provenance`: seed, device and the time it ran."""


def setup(seed: int = 0, *, device: str | None = None, recurrent: bool = False, quiet: bool = False) -> torch.device:
    """Seed, pin threads and choose the device; print one line saying what was chosen."""
    seed_everything(seed)
    threads = set_threads()
    chosen = choose_device(device, recurrent=recurrent)
    _RUN.update(seed=seed, device=chosen.type, started=time.perf_counter())
    if not quiet:
        from seqtut import __version__

        mode = "fast" if fast_mode() else "full"
        print(f"seqtut {__version__} | device {chosen.type} | {threads} CPU thread(s) | {mode} mode")
    return chosen


def provenance() -> str:
    """One line for a notebook's last cell: versions, device, seed, mode and the seconds since `setup`."""
    from seqtut import __version__

    if "started" not in _RUN:
        raise RuntimeError("provenance: call seqtut.setup() first, at the top of the notebook")
    seconds = time.perf_counter() - float(_RUN["started"])  # type: ignore[arg-type]
    mode = "fast" if fast_mode() else "full"
    return (
        f"seqtut {__version__} · torch {torch.__version__} · Python {platform.python_version()} · "
        f"device {_RUN['device']} · seed {_RUN['seed']} · {mode} mode · cells ran {seconds:.0f} s after setup()"
    )
