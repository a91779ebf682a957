"""`part_means_spread`: the trend screen of notebook 02 (and 08) over consecutive parts of the differences."""

from __future__ import annotations

import math

import pytest
import torch

from seqtut.metrics import paired_difference, part_means_spread, screen_ratio


def test_part_means_are_the_means_of_consecutive_parts_in_window_order():
    means, threshold, spread = part_means_spread(torch.arange(12.0), 3, 1.0)
    assert means.tolist() == [1.5, 5.5, 9.5] and threshold == pytest.approx(math.sqrt(3))
    assert spread  # 8 > sqrt(3)


def test_uneven_parts_differ_by_at_most_one_window():
    means, _, _ = part_means_spread(torch.arange(10.0), 4, 1.0)
    assert means.tolist() == [1.0, 4.0, 6.5, 8.5]  # parts of 3, 3, 2, 2 (torch.tensor_split)


def test_a_spread_within_sqrt_k_times_the_width_is_noise_and_beyond_it_a_trend():
    flat = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0])  # part means 0.5 each: no spread
    assert not part_means_spread(flat, 4, 0.1)[2]
    step = torch.tensor([0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0])  # part means 0, 0, 1, 1: spread 1
    assert part_means_spread(step, 4, 0.49)[2] and not part_means_spread(step, 4, 0.5)[2]  # threshold 0.98, 1.0


def test_a_linear_trend_is_flagged_and_stationary_noise_mostly_not():
    generator = torch.Generator().manual_seed(0)
    noise = torch.randn(400, generator=generator, dtype=torch.float64)
    width = (lambda d: d.high - d.low)(paired_difference(noise, torch.zeros_like(noise), block=10))
    assert not part_means_spread(noise, 4, width)[2]
    trend = noise + torch.linspace(-2, 2, 400, dtype=torch.float64)
    d = paired_difference(trend, torch.zeros_like(trend), block=10)
    assert part_means_spread(trend, 4, d.high - d.low)[2]


@pytest.mark.parametrize(
    ("differences", "parts", "width"),
    [
        (torch.zeros(5), 1, 1.0),
        (torch.zeros(3), 4, 1.0),
        (torch.zeros(2, 4), 2, 1.0),
        (torch.zeros(8), 2.0, 1.0),
        (torch.zeros(8), 2, -1.0),
        (torch.zeros(8), 2, math.nan),
        (torch.zeros(8), 2, True),
    ],
)
def test_bad_arguments_name_what_they_expected(differences, parts, width):
    with pytest.raises(ValueError, match="differences|parts|width"):
        part_means_spread(differences, parts, width)


def test_screen_ratio_is_the_spread_over_the_threshold():
    ramp = torch.arange(12.0)  # 3 parts: means 1.5, 5.5, 9.5; spread 8; threshold sqrt(3) * 2
    assert screen_ratio(ramp, 3, 2.0) == pytest.approx(8 / (math.sqrt(3) * 2))
    assert screen_ratio(torch.ones(12), 4, 0.0) == 0.0  # equal part means, a zero-width interval
    assert screen_ratio(ramp, 4, 0.0) == math.inf
