"""Notebook 05's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import torch
from exercise_cases import checked_cases

from seqtut.exercises import causal_scaling, check
from seqtut.exercises.causal_scaling import EXAMPLE_SCALERS, _pattern, _running_mean

# --- 1. which inputs each value of a window can move ---


def changes_only_the_last_value(scale_fn, window):  # the notebook's own check, not the whole matrix
    found = torch.zeros(len(window), len(window), dtype=torch.bool)
    changed = window.clone()
    changed[-1] += 1.0
    found[:, -1] = scale_fn(changed[None])[0] != scale_fn(window[None])[0]
    return found


def assumes_a_causal_pattern(scale_fn, window):  # guessed, not measured: fails on the leaky scaler
    return torch.ones(len(window), len(window), dtype=torch.bool).tril()


def rows_are_the_values_changed(scale_fn, window):
    before = scale_fn(window[None])[0]
    rows = []
    for k in range(len(window)):
        changed = window.clone()
        changed[k] += 1.0
        rows.append(scale_fn(changed[None])[0] != before)
    return torch.stack(rows)


def changes_accumulate(scale_fn, window):  # no fresh copy: the k-th change keeps every earlier one
    before, changed, columns = scale_fn(window[None])[0], window.clone(), []
    for k in range(len(window)):
        changed[k] += 1.0
        columns.append(scale_fn(changed[None])[0] != before)
    return torch.stack(columns, dim=1)


def compares_only_the_own_step(scale_fn, window):
    before, found = scale_fn(window[None])[0], torch.zeros(len(window), len(window), dtype=torch.bool)
    for k in range(len(window)):
        changed = window.clone()
        changed[k] += 1.0
        found[k, k] = scale_fn(changed[None])[0, k] != before[k]
    return found


def nudges_by_1e_9(scale_fn, window):  # the right method with a change float32 cannot hold: all False
    before, columns = scale_fn(window[None])[0], []
    for k in range(len(window)):
        changed = window.clone()
        changed[k] += 1e-9
        columns.append(scale_fn(changed[None])[0] != before)
    return torch.stack(columns, dim=1)


def calls_it_as_a_scaler_object(scale_fn, window):  # the notebook's scaler objects have .inputs; scale_fn does not
    before, columns = scale_fn.inputs(window[None])[0], []
    for k in range(len(window)):
        changed = window.clone()
        changed[k] += 1.0
        columns.append(scale_fn.inputs(changed[None])[0] != before)
    return torch.stack(columns, dim=1)


# --- 2. a running-mean scaler fitted on training windows ---


def _running(windows):
    return windows.cumsum(dim=1) / torch.arange(1, windows.shape[1] + 1, dtype=windows.dtype)


def _inverse(scale, reference=_running):
    return lambda windows, scaled: scaled * scale + reference(windows)


def population_std(train, test):
    scale = (train - _running(train)).std(correction=0).item()
    return (test - _running(test)) / scale, _inverse(scale)


def the_whole_window_mean(train, test):  # a leak: every step measured from values it has not read
    def mean(w):
        return w.mean(dim=1, keepdim=True)

    scale = (train - mean(train)).std().item()
    return (test - mean(test)) / scale, _inverse(scale, mean)


def counts_from_0(train, test):
    def running(w):
        return w.cumsum(dim=1) / torch.arange(w.shape[1], dtype=w.dtype)

    scale = (train - running(train)).std().item()
    return (test - running(test)) / scale, _inverse(scale, running)


def cumsum_down_the_windows(train, test):
    def running(w):
        return w.cumsum(dim=0) / torch.arange(1, w.shape[0] + 1, dtype=w.dtype)[:, None]

    scale = (train - running(train)).std().item()
    return (test - running(test)) / scale, _inverse(scale, running)


def counts_along_the_windows(train, test):
    def running(w):
        return w.cumsum(dim=1) / torch.arange(1, w.shape[1] + 1, dtype=w.dtype)[:, None]

    scale = (train - running(train)).std().item()
    return (test - running(test)) / scale, _inverse(scale, running)


def fitted_on_the_test_windows(train, test):  # the constraint: the scale from training windows only
    scale = (test - _running(test)).std().item()
    return (test - _running(test)) / scale, _inverse(scale)


def std_of_the_raw_training_values(train, test):
    scale = train.std().item()
    return (test - _running(test)) / scale, _inverse(scale)


def std_without_the_first_zeros(train, test):
    scale = (train - _running(train))[:, 1:].std().item()
    return (test - _running(test)) / scale, _inverse(scale)


def inverse_adds_the_first_value(train, test):
    scale = (train - _running(train)).std().item()
    return (test - _running(test)) / scale, _inverse(scale, lambda w: w[:, :1])


def inverse_remembers_the_test_windows(train, test):  # ignores its `windows`: right only for the test windows
    scale = (train - _running(train)).std().item()
    remembered = _running(test)
    return (test - remembered) / scale, lambda windows, scaled: scaled * scale + remembered


def start_relative_instead(train, test):  # the package's own causal scaler, not the one asked for
    from seqtut.scalers import make_scaler

    scaler = make_scaler("start-relative").fit(train)
    return scaler.inputs(test), scaler.inverse


MUTANTS = {
    "dependence": [
        changes_only_the_last_value,
        assumes_a_causal_pattern,
        rows_are_the_values_changed,
        changes_accumulate,
        compares_only_the_own_step,
        nudges_by_1e_9,
        calls_it_as_a_scaler_object,
    ],
    "running_mean_scaler": [
        population_std,
        the_whole_window_mean,
        counts_from_0,
        cumsum_down_the_windows,
        counts_along_the_windows,
        fitted_on_the_test_windows,
        std_of_the_raw_training_values,
        std_without_the_first_zeros,
        inverse_adds_the_first_value,
        inverse_remembers_the_test_windows,
        start_relative_instead,
    ],
}


def _hint(name, function):
    message = getattr(check, name).run(function).message
    return next(line for line in message.splitlines() if line.startswith("  hint:"))


def test_the_patterns_worked_out_by_hand_are_what_changing_each_value_finds():
    window = torch.tensor([0.5, -1.2, 2.0, 0.3, 1.1])
    for kind, scaler in EXAMPLE_SCALERS.items():
        before = scaler(window[None])[0]
        for k in range(len(window)):
            changed = window.clone()
            changed[k] += 1.0
            moved = (scaler(changed[None])[0] - before).abs() > 1e-6
            assert torch.equal(moved, _pattern(len(window), kind)[:, k]), (kind, k)


def test_each_usual_mistake_of_the_dependence_gets_its_own_hint():
    assert "you changed only the last value" in _hint("dependence", changes_only_the_last_value)
    assert "a causal pattern guessed, not measured" in _hint("dependence", assumes_a_causal_pattern)
    assert "your matrix is the transpose" in _hint("dependence", rows_are_the_values_changed)
    assert "compare the inputs at every step" in _hint("dependence", compares_only_the_own_step)
    assert "your matrix is all False" in _hint("dependence", nudges_by_1e_9)


def test_a_change_float32_cannot_hold_moves_nothing_in_any_case():
    """The mutant's all-False answer is what a 1e-9 nudge gives on every case, so its hint is the one shown."""
    for case in check.dependence.make_cases():
        assert not nudges_by_1e_9(*case.args).any(), case.description


def test_calling_scale_fn_as_a_scaler_object_is_told_how_to_call_it():
    message = check.dependence.run(calls_it_as_a_scaler_object).message
    assert message.startswith("✗ dependence: case 1 of 6")
    assert "AttributeError: scale_fn is a function, not a scaler object: it has no .inputs" in message
    assert "call it as scale_fn(windows)" in message and "of your code" in message


def test_a_guessed_causal_pattern_fails_where_the_leak_is():
    message = check.dependence.run(assumes_a_causal_pattern).message
    assert message.startswith("✗ dependence: case 1 of 6")  # step 1's input ignores x[0]
    assert "differs" in message and "(■ True, · False)" in message  # drawn beside the target


def test_each_usual_mistake_of_the_scaler_gets_its_own_hint():
    hints = {
        population_std: "divides by n - 1",
        the_whole_window_mean: "the mean of the whole window includes values",
        counts_from_0: "step t has read t values",
        cumsum_down_the_windows: "not down the windows (dim=0)",
        fitted_on_the_test_windows: "fitted on the training windows only",
        std_of_the_raw_training_values: "not of the raw training values",
        std_without_the_first_zeros: "step 1's inputs are all 0",
        start_relative_instead: "the start-relative scaler",
        inverse_remembers_the_test_windows: "use its `windows` argument",
    }
    for mutant, words in hints.items():
        assert words in _hint("running_mean_scaler", mutant), mutant.__name__


def test_counts_that_line_up_with_the_windows_are_caught():
    """Counts of shape (L, 1) divide window n by n + 1: a shape error, or wrong values of the right shape."""
    assert not check.running_mean_scaler.run(counts_along_the_windows).passed
    cases = check.running_mean_scaler.make_cases()
    square = next(c for c in cases if "as many windows as steps" in c.description)
    scaled, _ = counts_along_the_windows(*square.args)  # no shape error when windows and steps are as many
    assert scaled.shape == square.expected[0].shape and not torch.allclose(scaled, square.expected[0])


def test_a_wrong_inverse_is_named_as_the_inverse_with_its_line():
    message = check.running_mean_scaler.run(inverse_adds_the_first_value).message
    assert message.startswith("✗ running_mean_scaler: case 1 of 4 fails")
    assert "problem:  inverse(test windows, outputs" in message

    def inverse_raises(train, test):
        scaled, _ = population_std(train, test)
        scale = (train - _running(train)).std().item()
        return (test - _running(test)) / scale, lambda windows, scaled: windows[99]

    raised = check.running_mean_scaler.run(inverse_raises).message
    assert "inverse(test windows, outputs) raised IndexError" in raised and "of your code" in raised


def test_an_answer_that_is_not_a_pair_is_told_what_was_expected():
    message = check.running_mean_scaler.run(lambda train, test: test).message
    assert "expected (scaled test windows, an inverse function)" in message


def test_the_reference_running_mean_counts_from_1():
    windows = torch.tensor([[2.0, 4.0, 9.0]])
    assert _running_mean(windows).tolist() == [[2.0, 3.0, 5.0]]


def test_an_inverse_that_ignores_its_windows_fails_on_windows_the_scaler_never_saw():
    message = check.running_mean_scaler.run(inverse_remembers_the_test_windows).message
    assert message.startswith("✗ running_mean_scaler: case 1 of 4 fails")
    assert "problem:  inverse(other windows" in message  # the test windows alone would not tell it
    assert "your inverse adds back the running means of the test windows" in message


# --- the case builders, called directly ---------------------------------------------------------------------------


def test_dependence_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(causal_scaling.dependence_cases)
    expected = {case.args[0].words: case.expected.int().tolist() for case in cases}
    start_relative = expected["each value minus the window's first value, over 2"]
    assert start_relative == [[0, 0, 0, 0], [1, 1, 0, 0], [1, 0, 1, 0], [1, 0, 0, 1]]  # step 1 reads x[0] - x[0]
    assert expected["each value minus 3, over 2: a fixed mean and standard deviation"] == [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
    ]


def test_running_mean_scaler_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(causal_scaling.running_mean_scaler_cases)
    train, test = cases[0].args
    assert torch.equal(train, torch.tensor([[0.0, 1.0, 3.0], [2.0, 2.0, 6.0]])) and torch.equal(
        test, torch.tensor([[5.0, 7.0, 4.0]])
    )
    # training inputs, each value minus the mean of the values up to it: [0, 1/2, 5/3] and [0, 0, 8/3]
    scale = torch.tensor([0.0, 1 / 2, 5 / 3, 0.0, 0.0, 8 / 3]).std()
    scaled, _ = cases[0].expected
    assert torch.allclose(scaled, torch.tensor([[0.0, 1.0, -4 / 3]]) / scale)  # test: 5 - 5, 7 - 6, 4 - 16/3
