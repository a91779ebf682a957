"""Notebook 05's exercises: wrong answers the checkers must reject, and checker-specific checks."""

from seqtut.exercises import check


def measured_from_the_last_value(windows, scale):
    return (windows - windows[:, -1:]) / scale


def measured_from_the_window_mean(windows, scale):
    return (windows - windows.mean(dim=1, keepdim=True)) / scale


def multiplied_by_the_scale(windows, scale):
    return (windows - windows[:, :1]) * scale


def first_value_without_keepdim(windows, scale):
    return (windows - windows[:, 0]) / scale


def _start_relative(scale):
    def inverse(windows, scaled):
        return scaled * scale + windows[:, :1]

    return inverse


def fitted_on_the_test_windows(train, test):
    scale = (test - test[:, :1]).std().item()
    return (test - test[:, :1]) / scale, _start_relative(scale)


def fitted_on_each_whole_window(train, test):
    mean, std = test.mean(dim=1, keepdim=True), test.std(dim=1, keepdim=True)
    return (
        test - mean
    ) / std, lambda windows, scaled: scaled * windows.std(dim=1, keepdim=True) + windows.mean(dim=1, keepdim=True)


def the_last_value_as_reference(train, test):
    scale = (train - train[:, -1:]).std().item()
    return (test - test[:, -1:]) / scale, lambda windows, scaled: scaled * scale + windows[:, -1:]


def inverse_adds_the_last_value(train, test):
    scale = (train - train[:, :1]).std().item()
    return (test - test[:, :1]) / scale, lambda windows, scaled: scaled * scale + windows[:, -1:]


def scale_from_raw_training_values(train, test):
    scale = train.std().item()
    return (test - test[:, :1]) / scale, _start_relative(scale)


MUTANTS = {
    "start_relative": [
        measured_from_the_last_value,
        measured_from_the_window_mean,
        multiplied_by_the_scale,
        first_value_without_keepdim,
    ],
    "causal_scaler": [
        fitted_on_the_test_windows,
        fitted_on_each_whole_window,
        the_last_value_as_reference,
        inverse_adds_the_last_value,
        scale_from_raw_training_values,
    ],
}


def test_a_wrong_inverse_is_named_as_the_inverse():
    message = check.causal_scaler.run(inverse_adds_the_last_value).message
    assert message.startswith("✗ causal_scaler: case 1 of 3 fails")
    assert "problem:  inverse(test windows, outputs" in message


def test_an_answer_that_is_not_a_pair_is_told_what_was_expected():
    message = check.causal_scaler.run(lambda train, test: test).message
    assert "expected (scaled test windows, an inverse function)" in message
