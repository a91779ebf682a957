"""The warm-up of a per-step score: step 1 left out, fixed in a setting of its own, not tied to `shift`.

Notebook 04 states the rule and its reason (what step 1 has read, not any model's errors); notebook 05
and `benchmarks/run.py` apply it.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from seqtut import sections
from seqtut.baselines import naive_forecast
from seqtut.metrics import metrics
from seqtut.runtime import seed_everything
from seqtut.series import ar2_series


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


@pytest.fixture(scope="module")
def per_step_case():
    """A small untrained per-step model and noisy test windows, whose last-value error differs by step."""
    section = sections.get("sequence-generation")
    s = replace(section.settings(fast=True), window=8, hidden_size=4)
    seed_everything(0)
    model = section.build_model(s)
    return section, s, model


def measured(section, s, model):
    test = section.data(s, series=ar2_series(300, seed=3))[2]
    return test, section.evaluate(model, test, s)


def test_the_warm_up_is_one_step_in_both_modes_and_only_for_the_per_step_section():
    for fast in (False, True):
        for name in ("many-to-one", "many-to-many", "sequence-generation"):
            s = sections.settings(name, fast=fast)
            assert s.warmup == (1 if name == "sequence-generation" else 0), (name, fast)


def test_a_per_step_score_starts_at_step_2_for_the_model_and_both_baselines(per_step_case):
    section, s, model = per_step_case
    test, found = measured(section, s, model)
    last = metrics(naive_forecast(test, "last"), test.targets).mae_per_step
    drift = metrics(naive_forecast(test, "drift"), test.targets).mae_per_step
    assert found["metric"] == "test MAE from step 2"
    assert found["value"] == pytest.approx(mean(found["mae_per_step"][1:]))
    assert found["baseline"] == pytest.approx(mean(last[1:])) and found["baseline"] != pytest.approx(mean(last))
    assert found["drift"] == pytest.approx(mean(drift[1:]))
    assert found["mae"] == pytest.approx(mean(found["mae_per_step"]))  # every step, step 1 included


def test_the_warm_up_does_not_follow_shift(per_step_case):
    section, s, model = per_step_case
    for shift in (1, 3):
        _, found = measured(section, replace(s, shift=shift), model)
        assert found["metric"] == "test MAE from step 2"
        assert found["value"] == pytest.approx(mean(found["mae_per_step"][1:]))


def test_the_warm_up_is_a_setting(per_step_case):
    section, s, model = per_step_case
    _, none = measured(section, replace(s, warmup=0), model)
    assert none["metric"] == "test MAE" and none["value"] == none["mae"]
    _, three = measured(section, replace(s, warmup=3), model)
    assert three["metric"] == "test MAE from step 4"
    assert three["value"] == pytest.approx(mean(three["mae_per_step"][3:]))


def test_a_warm_up_that_leaves_nothing_or_has_no_steps_is_refused(per_step_case):
    section, s, model = per_step_case
    for warmup in (s.window, -1):
        with pytest.raises(ValueError, match="warmup"):
            measured(section, replace(s, warmup=warmup), model)
    many = sections.get("many-to-many")
    m = replace(many.settings(fast=True), window=8, hidden_size=4, warmup=1)
    seed_everything(0)
    test = many.data(m, series=torch.arange(100.0))[2]
    with pytest.raises(ValueError, match="warmup: .* a model that forecasts after the window"):
        many.evaluate(many.build_model(m), test, m)
