"""Notebook 02's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import torch

from seqtut.exercises import check


def inputs_from_the_first_value(windows, scale):
    return ((windows - windows[:, :1]) / scale).unsqueeze(-1)


def inputs_from_the_batch_mean_of_last_values(windows, scale):
    return ((windows - windows[:, -1].mean()) / scale).unsqueeze(-1)  # data outside the window


def inputs_standardized_by_the_window_mean(windows, scale):
    return ((windows - windows.mean(dim=1, keepdim=True)) / scale).unsqueeze(-1)


def inputs_not_divided_by_the_scale(windows, scale):
    return (windows - windows[:, -1:]).unsqueeze(-1)


def inputs_without_the_feature_dimension(windows, scale):
    return (windows - windows[:, -1:]) / scale


def inverse_adding_the_first_value(windows, scaled, scale):
    return scaled * scale + windows[:, :1]


def inverse_dividing_by_the_scale(windows, scaled, scale):
    return scaled / scale + windows[:, -1:]


def inverse_in_the_wrong_order(windows, scaled, scale):
    return (scaled + windows[:, -1:]) * scale


def inverse_adding_the_batch_mean(windows, scaled, scale):
    return scaled * scale + windows[:, -1].mean()


def scale_of_the_raw_values(windows):
    return max(windows.std().item(), 1e-8)


def scale_without_a_floor(windows):
    return (windows - windows[:, -1:]).std().item()


def scale_with_the_biased_std(windows):
    return max((windows - windows[:, -1:]).std(correction=0).item(), 1e-8)


def scale_from_the_first_value(windows):
    return max((windows - windows[:, :1]).std().item(), 1e-8)


MUTANTS = {
    "relative_inputs": [
        inputs_from_the_first_value,
        inputs_from_the_batch_mean_of_last_values,
        inputs_standardized_by_the_window_mean,
        inputs_not_divided_by_the_scale,
        inputs_without_the_feature_dimension,
    ],
    "relative_inverse": [
        inverse_adding_the_first_value,
        inverse_dividing_by_the_scale,
        inverse_in_the_wrong_order,
        inverse_adding_the_batch_mean,
    ],
    "relative_scale": [
        scale_of_the_raw_values,
        scale_without_a_floor,
        scale_with_the_biased_std,
        scale_from_the_first_value,
    ],
}


def test_a_scale_of_zero_is_named_as_a_division_by_zero():
    result = check.relative_scale.run(scale_without_a_floor)
    assert "case 4 of 4" in result.message and "divides by zero" in result.message


def test_a_tensor_scale_is_accepted():
    assert check.relative_scale.run(lambda w: torch.clamp((w - w[:, -1:]).std(), min=1e-8)).passed


def test_a_numpy_scale_is_a_number_too():
    """A right answer computed with NumPy (an np.float32 scalar) passes, as a Python float does."""
    import numpy as np

    def numpy_scale(windows):
        values = windows.numpy()
        return max(np.std(values - values[:, -1:], ddof=1), np.float32(1e-8))

    assert check.relative_scale.run(numpy_scale).passed
