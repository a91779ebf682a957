"""`show`, the claim helpers and `provenance`: what a notebook displays and prints."""

from __future__ import annotations

import re

import pytest

import seqtut
from seqtut.claims import ClaimError, claim, claim_every, claim_raises, claim_that, explore, machine_dependent
from seqtut.masks import causal_mask
from seqtut.runtime import provenance
from seqtut.show import Source, show
from seqtut.training import EarlyStopping, train_step


def test_show_returns_the_live_source_as_text_and_as_highlighted_markdown():
    source = show(train_step)
    assert isinstance(source, Source) and source.name == "seqtut.training.train_step"
    assert source.code.startswith("def train_step(") and "optimizer.step()" in source.code
    assert repr(source).splitlines()[0] == "# seqtut.training.train_step"
    assert source._repr_markdown_().startswith("`seqtut.training.train_step`\n\n```python\ndef train_step(")


def test_show_dedents_methods_and_refuses_what_has_no_source_or_is_too_long():
    method = show(EarlyStopping.update)
    assert method.code.startswith("def update(self") and method.name == "seqtut.training.EarlyStopping.update"
    with pytest.raises(TypeError, match="obj: expected a function, method or class, got int"):
        show(3)
    with pytest.raises(ValueError, match="more than max_lines=2; split it"):
        show(causal_mask, max_lines=2)
    with pytest.raises(ValueError, match="no source file"):
        # a file name of its own: source that other tests compiled as "<string>" may sit in linecache
        show(eval(compile("lambda: 0", "<test_show_claims: no file>", "eval")))


def test_claim_prints_the_sentence_and_returns_nothing(capsys):
    assert claim("held-out MAE", 0.0005, "<=", 0.05) is None  # as a cell's last line it shows no raw value
    assert capsys.readouterr().out == "✓ held-out MAE 0.0005 ≤ 0.05\n"
    claim("accuracy", 99.5, ">=", 99, fmt=".1f", unit="%")
    assert capsys.readouterr().out == "✓ accuracy 99.5 % ≥ 99.0 %\n"


def test_a_false_claim_raises_with_the_sentence_marked():
    with pytest.raises(ClaimError, match=re.escape("✗ held-out MAE 0.2 ≤ 0.05")):
        claim("held-out MAE", 0.2, "<=", 0.05)
    with pytest.raises(ClaimError, match="is NaN"):
        claim("loss", float("nan"), "<", 1)
    with pytest.raises(ValueError, match="op: expected one of"):
        claim("x", 1, "=<", 2)
    with pytest.raises(ValueError, match="bound: expected a number, got 'a'"):
        claim("x", 1, "<", "a")


def test_explore_prints_failed_claims_and_runs_on_until_switched_off(capsys):
    explore()
    try:
        claim("held-out MAE", 0.2, "<=", 0.05)
        claim_every("error", [0.1, 0.3], "<", 0.2, what="steps")
        claim_that("the mask is causal", False)
        claim_raises(ValueError, lambda: None)
        claim("held-out MAE", 0.01, "<=", 0.05)  # a claim that holds prints as ever
    finally:
        explore(False)
    assert capsys.readouterr().out.splitlines() == [
        "✗ held-out MAE 0.2 ≤ 0.05 (exploring: not raised)",
        "✗ error < 0.2 fails at index 1: 0.3 (exploring: not raised)",
        "✗ the mask is causal (exploring: not raised)",
        "✗ expected ValueError, but nothing was raised (exploring: not raised)",
        "✓ held-out MAE 0.01 ≤ 0.05",
    ]
    with pytest.raises(ClaimError, match=re.escape("✗ held-out MAE 0.2 ≤ 0.05")):
        claim("held-out MAE", 0.2, "<=", 0.05)


def test_machine_dependent_prints_failures_with_the_reason_outside_strict_mode(monkeypatch, capsys):
    monkeypatch.setenv("SEQTUT_STRICT", "0")
    with machine_dependent("an optimizer stops elsewhere on some CPUs"):
        claim("MAPE", 5.64, "<", 5.1)
        claim_that("the fit is the stored one", False)
        claim("MAPE", 5.07, "<", 5.1)
    assert capsys.readouterr().out.splitlines() == [
        "✗ MAPE 5.64 < 5.1 (not raised: an optimizer stops elsewhere on some CPUs)",
        "✗ the fit is the stored one (not raised: an optimizer stops elsewhere on some CPUs)",
        "✓ MAPE 5.07 < 5.1",
    ]
    with pytest.raises(ClaimError, match=re.escape("✗ MAPE 5.64 < 5.1")):  # outside the block: raises again
        claim("MAPE", 5.64, "<", 5.1)


def test_machine_dependent_raises_in_strict_mode_and_restores_on_error(monkeypatch):
    monkeypatch.setenv("SEQTUT_STRICT", "1")
    failing = re.escape("✗ MAPE 5.64 < 5.1")
    with pytest.raises(ClaimError, match=failing), machine_dependent("an optimizer stops elsewhere on some CPUs"):
        claim("MAPE", 5.64, "<", 5.1)
    monkeypatch.setenv("SEQTUT_STRICT", "0")
    with pytest.raises(ClaimError):  # the block above ended by an error: nothing of it is left switched on
        claim("MAPE", 5.64, "<", 5.1)
    with pytest.raises(ValueError, match="reason: expected a sentence saying why"), machine_dependent("  "):
        pass


def test_claim_every_names_the_first_failure_and_reports_the_worst(capsys):
    claim_every("MAE", [0.01, 0.03, 0.02], "<=", 0.1, what="steps")
    assert capsys.readouterr().out == "✓ MAE ≤ 0.1 on all 3 steps (worst: 0.03)\n"
    with pytest.raises(ClaimError, match="fails at index 1: 0.5"):
        claim_every("MAE", [0.01, 0.5, 0.9], "<=", 0.1)
    with pytest.raises(ValueError, match="at least one value"):
        claim_every("MAE", [], "<=", 0.1)


def test_claim_every_says_both_for_two_values(capsys):
    claim_every("MAE", [0.01, 0.03], "<=", 0.1, what="models")
    assert capsys.readouterr().out == "✓ MAE ≤ 0.1 on both models (worst: 0.03)\n"


def test_a_bound_of_none_is_full_mode_only(capsys, monkeypatch):
    """In fast mode a claim whose bound is None prints its value marked ○ and checks nothing."""
    monkeypatch.setattr("seqtut.runtime.FAST", True)
    claim("held-out first token", 0.5833, "<=", None)
    claim_every("MAE", [0.01, 0.5, 0.9], "<=", None, what="steps")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "○ held-out first token 0.5833: checked in full mode only (a fast run is too small to check it)",
        "○ MAE on 3 steps (worst: 0.9): checked in full mode only (a fast run is too small to check it)",
    ]


def test_a_bound_of_none_in_full_mode_is_an_error(monkeypatch):
    """Every claim a committed (full-mode) notebook shows is checked: None there is a mistake."""
    monkeypatch.setattr("seqtut.runtime.FAST", False)
    with pytest.raises(ValueError, match="bound: None means 'checked in full mode only'"):
        claim("held-out first token", 0.5833, "<=", None)
    with pytest.raises(ValueError, match="but this run is full mode"):
        claim_every("MAE", [0.01], "<=", None)


def test_claim_that(capsys):
    claim_that("the masks agree", True)
    assert capsys.readouterr().out == "✓ the masks agree\n"
    with pytest.raises(ClaimError, match="✗ the masks agree"):
        claim_that("the masks agree", False)


def test_provenance_names_versions_device_seed_and_time():
    seqtut.setup(seed=7, quiet=True)
    line = provenance()
    assert re.fullmatch(
        r"seqtut \S+ · torch \S+ · Python \S+ · device cpu · seed 7 · (fast|full) mode"
        r" · cells ran \d+ s after setup\(\)",
        line,
    ), line


def test_claim_raises_prints_the_first_line_of_the_message(capsys):
    def fail():
        raise ValueError("size: expected a positive int, got 0\nsecond line")

    assert claim_raises(ValueError, fail) is None
    assert capsys.readouterr().out == "✓ raises ValueError: size: expected a positive int, got 0\n"
    with pytest.raises(ClaimError, match="nothing was raised"):
        claim_raises(ValueError, lambda: None)
    with pytest.raises(ClaimError, match="expected ValueError, got KeyError"):
        claim_raises(ValueError, lambda: {}["x"])


def test_a_finished_widget_bar_is_replaced_by_its_text_line(monkeypatch):
    """A saved notebook holds text, not a widget whose model is gone after a kernel restart."""
    import IPython.display

    from seqtut import runtime

    updates = []

    class Handle:
        def update(self, obj):
            updates.append(repr(obj))

    class Bar:
        container = object()
        format_dict = {"n": 2}

        def __iter__(self):
            yield from (1, 2, 3)

        def format_meter(self, n):
            return f"demo: {n} done"

        def close(self):
            updates.append("closed")

    monkeypatch.setattr(IPython.display, "display", lambda obj, display_id: Handle())
    for value in runtime._widget_then_text(Bar()):
        if value == 2:
            break
    assert updates == ["closed", "demo: 2 done"]
