"""`seqtut.runtime`'s environment: what each SEQTUT_* variable turns on, and the error that names a bad one."""

import pytest
import torch

from seqtut.runtime import check_environment, progress_enabled, results_file, strict_mode

VARIABLES = ("SEQTUT_FAST", "SEQTUT_PROGRESS", "SEQTUT_THREADS", "SEQTUT_DEVICE", "SEQTUT_RESULTS", "SEQTUT_STRICT")


@pytest.fixture
def environment(monkeypatch):
    """No SEQTUT_* variable set but one thread, as the suite runs; torch's thread count put back afterwards."""
    threads = torch.get_num_threads()
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SEQTUT_THREADS", "1")
    yield monkeypatch
    torch.set_num_threads(threads)


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"SEQTUT_FAST": "1", "SEQTUT_PROGRESS": "0"},
        {"SEQTUT_FAST": " Yes ", "SEQTUT_PROGRESS": "OFF"},  # case and spaces do not matter
        {"SEQTUT_FAST": "", "SEQTUT_PROGRESS": "  "},  # empty: the default
        {"SEQTUT_DEVICE": "cpu", "SEQTUT_RESULTS": "anything.jsonl"},
        {"SEQTUT_STRICT": "1"},
    ],
)
def test_check_environment_accepts_usable_values_and_sets_the_threads(environment, settings):
    for name, value in settings.items():
        environment.setenv(name, value)
    torch.set_num_threads(2)
    assert check_environment() is None
    assert torch.get_num_threads() == 1  # SEQTUT_THREADS=1, applied


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"SEQTUT_FAST": "maybe"},
            "SEQTUT_FAST: expected one of 1, true, yes, on, 0, false, no, off, got 'maybe'",
        ),
        (
            {"SEQTUT_PROGRESS": "2"},
            "SEQTUT_PROGRESS: expected one of 1, true, yes, on, 0, false, no, off, got '2'",
        ),
        ({"SEQTUT_FAST": "x", "SEQTUT_PROGRESS": "y"}, "SEQTUT_FAST: expected one of"),  # the first bad one
        ({"SEQTUT_STRICT": "sometimes"}, "SEQTUT_STRICT: expected one of 1, true, yes, on, 0, false, no, off"),
        ({"SEQTUT_THREADS": "0"}, "SEQTUT_THREADS: expected an int >= 1, got '0'"),
        ({"SEQTUT_THREADS": "two"}, "SEQTUT_THREADS: expected an int >= 1, got 'two'"),
        ({"SEQTUT_DEVICE": "tpu"}, "SEQTUT_DEVICE: expected one of 'cpu', 'cuda', 'mps', got 'tpu'"),
    ],
)
def test_check_environment_names_the_first_unusable_variable(environment, settings, message):
    for name, value in settings.items():
        environment.setenv(name, value)
    with pytest.raises(ValueError) as raised:
        check_environment()
    assert str(raised.value).startswith(message)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
def test_check_environment_says_a_requested_gpu_is_missing(environment):
    environment.setenv("SEQTUT_DEVICE", "cuda")
    with pytest.raises(ValueError) as raised:
        check_environment()
    assert str(raised.value) == "SEQTUT_DEVICE: 'cuda' was requested but torch sees no CUDA GPU"


def test_results_file_is_seqtut_results_or_none(environment):
    assert results_file() is None
    environment.setenv("SEQTUT_RESULTS", "")
    assert results_file() is None
    environment.setenv("SEQTUT_RESULTS", "build/results.jsonl")
    assert results_file() == "build/results.jsonl"


@pytest.mark.parametrize(
    ("value", "enabled"),
    [(None, True), ("", True), ("1", True), ("on", True), (" TRUE ", True), ("0", False), ("off", False)],
)
def test_progress_enabled_unless_seqtut_progress_switches_it_off(environment, value, enabled):
    if value is not None:
        environment.setenv("SEQTUT_PROGRESS", value)
    assert progress_enabled() is enabled


def test_strict_mode_is_off_unless_switched_on(environment):
    assert strict_mode() is False
    environment.setenv("SEQTUT_STRICT", "1")
    assert strict_mode() is True
    environment.setenv("SEQTUT_STRICT", "off")
    assert strict_mode() is False
