"""The airline passengers data shipped with seqtut: baselines, forecasters, comparisons and the section run."""

from __future__ import annotations

import math
import re
import statistics
import warnings
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from seqtut import sections
from seqtut.baselines import seasonal_naive, seasonal_random_walk_drift
from seqtut.checkpoints import load_checkpoint
from seqtut.claims import ClaimError
from seqtut.forecaster_transformer import TransformerForecaster
from seqtut.lstm import ManyToManyLSTM
from seqtut.metrics import mape, paired_difference, smape
from seqtut.runtime import seed_everything
from seqtut.sections import airline
from seqtut.sections.airline import AirlineSettings, airline_datasets, forecast_ahead, load_airline


def test_load_airline_is_box_jenkins_series_g():
    dates, values = load_airline()
    assert len(dates) == len(values) == 144 and values.shape == (144,) and values.dtype == torch.float32
    assert (dates[0], values[0].item()) == ("1949-01", 112.0)
    assert (dates[-1], values[-1].item()) == ("1960-12", 432.0)
    assert values.sum().item() == 40363
    assert dates[12] == "1950-01" and len(set(dates)) == 144
    assert values[:132].max().item() == 559 and values[132:].max().item() == 622  # 1960 is an extrapolation


def test_seasonal_naive_repeats_the_last_season():
    history = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert seasonal_naive(history, 5, season=3).tolist() == [4.0, 5.0, 6.0, 4.0, 5.0]
    assert seasonal_naive(history, 2, season=3).tolist() == [4.0, 5.0]
    batch = torch.stack([history, 10 * history])  # (N, L) -> (N, H)
    assert seasonal_naive(batch, 4, season=2).tolist() == [[5.0, 6.0, 5.0, 6.0], [50.0, 60.0, 50.0, 60.0]]


def by_hand(history: list[float], horizon: int, season: int) -> list[float]:
    """FPP3's seasonal naive plus the mean seasonal change once per season ahead, in plain Python."""
    T, m = len(history), season
    b = sum(history[t] - history[t - m] for t in range(m, T)) / (T - m)  # mean of y_t - y_{t-m}
    forecasts = []
    for h in range(1, horizon + 1):
        k = (h - 1) // m  # complete seasons before step h
        forecasts.append(history[T + h - m * (k + 1) - 1] + (k + 1) * b)  # y_{T+h-m(k+1)}, 1-based
    return forecasts


def test_seasonal_random_walk_drift_is_the_textbook_formula():
    history = [1.0, 5, 2, 3, 8, 4, 6, 11, 7]  # season 3: seasonal changes 2, 3, 2, 3, 3, 3, mean 8/3
    assert by_hand(history, 7, 3) == pytest.approx(
        [6 + 8 / 3, 11 + 8 / 3, 7 + 8 / 3, 6 + 16 / 3, 11 + 16 / 3, 7 + 16 / 3, 6 + 8]
    )
    assert seasonal_random_walk_drift(torch.tensor(history), 7, 3).tolist() == pytest.approx(
        by_hand(history, 7, 3), abs=1e-5
    )
    logs = [math.log(v) for v in history]
    expected = [math.exp(f) for f in by_hand(logs, 7, 3)]  # log=True: the formula on logs, exponentiated
    assert seasonal_random_walk_drift(torch.tensor(history), 7, 3, log=True).tolist() == pytest.approx(
        expected, rel=1e-5
    )
    # not the one-step drift (last - first) / (L - 1) = 0.75 per step added to seasonal naive:
    assert seasonal_random_walk_drift(torch.tensor(history), 1, 3).item() != pytest.approx(6 + 0.75)
    # season 1 is FPP3's drift method: last + h (last - first) / (L - 1), statsmodels' ARIMA(0,1,0) with a constant
    assert seasonal_random_walk_drift(torch.tensor(history), 3, 1).tolist() == pytest.approx(
        [7 + 0.75, 7 + 1.5, 7 + 2.25], abs=1e-4
    )
    with pytest.raises(ValueError, match="L >= season \\+ 2 = 11"):  # one seasonal difference: statsmodels cannot fit
        seasonal_random_walk_drift(torch.tensor(history), 1, 9)


@pytest.mark.parametrize("log", [False, True])
def test_seasonal_random_walk_drift_on_the_airline_data(log):
    _, values = load_airline()
    for split, horizon in ((132, 12), (108, 36)):  # split A: 1960; split B: the last 36 months
        history = values[:split].double()
        hand = by_hand((history.log() if log else history).tolist(), horizon, 12)
        hand = torch.tensor(hand, dtype=torch.float64)
        got = seasonal_random_walk_drift(values[:split], horizon, log=log).double()
        assert torch.allclose(got, hand.exp() if log else hand, rtol=1e-5)
    mae = (seasonal_random_walk_drift(values[:132], 12, log=log) - values[132:]).abs().mean().item()
    long_mape = mape(seasonal_random_walk_drift(values[:108], 36, log=log), values[108:])
    assert (round(mae, 2), round(long_mape, 2)) == ((13.47, 12.76) if log else (21.42, 4.12))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: seasonal_naive(torch.ones(5), 3, season=12), "history: expected shape"),
        (lambda: seasonal_naive(torch.ones(2, 2, 12), 3), "history: expected shape"),
        (lambda: seasonal_naive(torch.ones(24), 0), "horizon: expected a positive int"),
        (lambda: seasonal_random_walk_drift(torch.ones(24), 3, season=0), "season: expected a positive int"),
        (
            lambda: seasonal_random_walk_drift(torch.ones(13), 3),
            r"history: expected one series \(L,\) with L >= season \+ 2",
        ),
        (lambda: seasonal_random_walk_drift(torch.ones(2, 24), 3), "history: expected one series"),
        (lambda: seasonal_random_walk_drift(torch.zeros(24), 3, log=True), "history: expected positive values"),
        (lambda: mape(torch.ones(3), torch.ones(4)), "predictions: expected shape"),
    ],
)
def test_baselines_and_metrics_reject_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_percentage_errors():
    actual, forecast = torch.tensor([100.0, 200.0]), torch.tensor([110.0, 180.0])
    assert math.isclose(mape(forecast, actual), 10.0, rel_tol=1e-6)
    assert math.isclose(smape(forecast, actual), 100 * (20 / 210 + 40 / 380) / 2, rel_tol=1e-6)


def test_transformer_forecaster_shapes():
    seed_everything(0)
    model = TransformerForecaster(window=24, horizon=12)
    assert model(torch.randn(5, 24, 1)).shape == (5, 12)
    two_features = TransformerForecaster(window=6, horizon=3, input_size=2, d_model=8, nhead=4, num_layers=2)
    assert two_features(torch.randn(2, 6, 2)).shape == (2, 3)


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        ([[0.0] * 24], TypeError, "x: expected a torch.Tensor"),
        (torch.zeros(5, 24), ValueError, r"x: expected shape \(batch, length, 1\)"),
        (torch.zeros(5, 24, 2), ValueError, r"x: expected shape \(batch, length, 1\)"),
        (torch.zeros(5, 23, 1), ValueError, "x: expected windows of length 24, got 23"),
        (torch.zeros(5, 24, 1, dtype=torch.long), TypeError, "x: expected a floating-point tensor"),
    ],
)
def test_transformer_forecaster_rejects_bad_input(x, error, message):
    with pytest.raises(error, match=message):
        TransformerForecaster(window=24, horizon=12)(x)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(window=0, horizon=12), "window: expected a positive int"),
        (dict(window=24, horizon=1.5), "horizon: expected a positive int"),
        (dict(window=24, horizon=12, d_model=10, nhead=4), "d_model: expected a multiple of nhead"),
        (dict(window=24, horizon=12, d_model=9, nhead=3), "d_model: expected an even number"),
        (dict(window=24, horizon=12, dropout=1.0), r"dropout: expected a number in \[0, 1\)"),
    ],
)
def test_transformer_forecaster_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TransformerForecaster(**kwargs)


def test_airline_datasets_and_forecast_ahead():
    _, values = load_airline()
    s = sections.settings("airline", fast=True)
    train, test = airline_datasets(values[:132], values[132 - s.window :], s)
    assert len(train) == 97 and test.x.shape == (1, 24, 1) and torch.equal(test.targets[0], values[132:])
    seed_everything(0)
    model = TransformerForecaster(s.window, s.horizon)
    ahead = forecast_ahead(model, train.scaler, values[:108], 30, window=s.window)
    assert ahead.shape == (30,) and torch.isfinite(ahead).all()
    with pytest.raises(ValueError, match="history: expected at least window = 24 values, got 10"):
        forecast_ahead(model, train.scaler, values[:10], 12, window=s.window)
    with pytest.raises(ValueError, match="steps: expected a positive int"):
        forecast_ahead(model, train.scaler, values[:108], 0, window=s.window)


def test_fast_settings_override_the_full_ones():
    full = AirlineSettings()
    assert sections.settings("airline", fast=False) == full
    fast = sections.settings("airline", fast=True)
    assert fast.seeds < full.seeds and fast.window == full.window and fast.horizon == full.horizon


def test_run_airline_fast_returns_the_section_keys(tmp_path):
    result = sections.run("airline", fast=True, device="cpu", out=tmp_path, progress=False).to_dict()
    for key in ("name", "metric", "value", "baseline", "baseline_name", "seconds", "device", "checkpoint", "fast"):
        assert key in result
    assert result["name"] == "airline" and result["device"] == "cpu" and result["fast"] is True
    assert result["metric"] == "1960 MAE, lstm log-relative ensemble of 2"  # the scaler named, as in notebook 08
    # the bar: the lowest 1960 MAE of the six methods that are not networks, multiplicative Holt-Winters.
    # statsmodels' default multiplicative fit reached 10.30 on both machines this has run on (an AVX2 CPU and an
    # earlier one); an optimizer that stops at another point on some machine fails this and notebook 08's checks.
    assert result["lowest_other"] == airline.HW_MUL and abs(result["baseline"] - 10.30) < 0.02  # as in 08
    assert round(result["drift_mae"], 2) == 21.42  # another reference: the seasonal random walk with drift on values
    _, values = load_airline()
    forecast, actual = torch.tensor(result["forecast"]), values[132:]
    others = {
        "drift": seasonal_random_walk_drift(values[:132], 12),
        "bar": airline.classical_forecasts(values[:132], 12)[airline.HW_MUL],
    }
    verdicts = {}
    for key, other in others.items():  # the headline ensemble against each on 1960, blocks of 3 months
        theirs = (other - actual).abs()
        difference = paired_difference((forecast - actual).abs(), theirs, block=3)
        verdicts[key] = airline.screened_verdict((forecast - actual).abs() - theirs, difference)
    # the forecast is rounded to 0.01: far from a bound here
    assert (result["baseline_verdict"], result["drift_verdict"]) == (verdicts["bar"], verdicts["drift"])
    # SARIMA's MAE is 13.25 with the pinned versions and 13.26 with the newest statsmodels (make compat): a figure
    # within 0.02 of 13.25, as 10.30 above
    label = re.fullmatch(
        r"HW mult\., the lowest 1960 MAE of the six methods that are not networks \(default fit; 16\.80 from another "
        r"start, SARIMA (\d+\.\d\d) then lowest\); LSTM against it on 1960 \(notebook 02's rule, rough\): (.+); "
        r"another reference: seasonal random walk with drift, on values, 21\.42, LSTM against it: (.+); last 36 "
        r"months, MAPE: LSTM (\d+\.\d\d) %, the drift on values 4\.12 %, LSTM against it: (.+); LSTM made "
        r"the headline after the tests; the networks' settings were, by the section's first commit \(unrecorded, so "
        r"unchecked\), chosen on 1957-1959, two of the 36-month test's years",
        result["baseline_name"],
    )
    assert label is not None, result["baseline_name"]
    assert abs(float(label.group(1)) - 13.25) < 0.02
    words = {"below 0": "clearly lower error", "above 0": "clearly higher error"}  # the label's words for verdicts
    said = words.get(result["long_drift_verdict"], result["long_drift_verdict"])
    assert (label.group(4), label.group(5)) == (f"{result['long_mape']:.2f}", said)  # the second test, as computed
    assert round(result["long_baseline_mape"], 2) == 4.12 and round(result["seasonal_naive_mae"], 1) == 47.8
    assert result["value"] < 76.0  # learned more than the naive last value (MAE 76.0 on 1960)
    assert len(result["member_maes"]) == sections.settings("airline", fast=True).seeds
    assert 0 < result["smape"] < 100 and 0 < result["long_mape"] < 100
    model, scaler, config = load_checkpoint(result["checkpoint"])
    assert isinstance(model, ManyToManyLSTM) and scaler.kind == "log-relative"  # the headline: S.headline
    assert config["section"] == "airline" and config["settings"]["window"] == 24
    window = values[108:132].unsqueeze(0)  # (1, 24): 1958-1959
    with torch.no_grad():
        forecast = scaler.inverse(window, model(scaler.inputs(window).unsqueeze(-1)))
    assert forecast.shape == (1, 12)
    assert math.isclose(result["member_maes"][0], (forecast[0] - values[132:]).abs().mean().item(), rel_tol=1e-4)


def test_the_text_states_a_verdict_for_every_pair_it_compares():
    for period, best in (("1960", airline.HW_MUL), ("36 months", airline.DRIFT)):
        pairs = airline.comparison_pairs(best)
        assert len(pairs) == len(set(pairs)) == 18 and set(airline.TEXT_VERDICTS[period]) == set(pairs)
        assert airline.TEXT_CHANGING[period] <= set(pairs)
        trend_verdicts = {airline.TREND, airline.TREND_ABOVE, airline.TREND_BELOW}
        assert set(airline.TEXT_VERDICTS[period].values()) <= {"below 0", "above 0", airline.NO_CLEAR} | trend_verdicts
    flagged_1960 = {pair for pair, v in airline.TEXT_VERDICTS["1960"].items() if v in trend_verdicts}
    assert flagged_1960 == {  # the screen with 5 parts (notebook 08)
        (airline.TRANSFORMER, airline.SEASONAL_NAIVE),
        (airline.TRANSFORMER, airline.DRIFT),
        (airline.SARIMA, airline.HW_MUL),
    }
    standardized = airline.TEXT_VERDICTS["1960, standardized"]  # the extrapolation lesson's two pairs
    assert (
        list(standardized) == airline.STANDARDIZED_PAIRS == [(n, airline.SEASONAL_NAIVE) for n in airline.STANDARDIZED]
    )
    assert set(standardized.values()) <= {"below 0", "above 0", airline.NO_CLEAR}
    assert airline.TEXT_CHANGING["1960, standardized"] <= set(standardized)
    assert set(airline.TEXT_CHANGING) == set(airline.TEXT_VERDICTS)  # every period says which verdicts change


def _summary_table() -> dict[str, dict[str, str]]:
    """Notebook 08's Summary table as network -> method -> verdict (network minus method), from its .py."""
    text = (Path(__file__).resolve().parent.parent / "notebooks" / "08_airline_passengers.py").read_text()
    rows = [line[2:] for line in text.split("# ## Summary", 1)[1].splitlines() if line.startswith("# | ")]
    header, body = [c.strip() for c in rows[0].strip("| ").split("|")], rows[1:]
    column = {"clearly behind": "above 0", "no clear difference": airline.NO_CLEAR, "clearly ahead": "below 0"}
    column |= {"trends: no verdict": airline.TREND}
    names = {"drift on values": [airline.DRIFT], "drift on logs": [airline.DRIFT_LOG], "SARIMA": [airline.SARIMA]}
    names |= {"both Holt-Winters": [airline.HW_MUL, airline.HW_ADD], "seasonal naive": [airline.SEASONAL_NAIVE]}
    names |= {"LSTM": [airline.LSTM], "Transformer": [airline.TRANSFORMER], "none": []}
    table = {}
    for row in body:  # the |---| line does not start with "# | "
        cells = [c.strip() for c in row.strip("| ").split("|")]
        network = names[cells[0].split(",")[0]][0]
        for title, cell in zip(header[1:], cells[1:]):
            for entry in re.sub(r"\([^)]*\)", "", cell).split(";"):
                for method in names[entry.strip()]:
                    assert method not in table.setdefault(network, {}), f"{method} twice in {network}'s row"
                    table[network][method] = column[title]
    return table


def test_the_summary_table_states_the_verdicts_the_notebook_checks():
    """Each network's row names every other method once, under the verdict TEXT_VERDICTS (claimed) holds."""
    stated, flip = airline.TEXT_VERDICTS["36 months"], {"above 0": "below 0", "below 0": "above 0"}
    table = _summary_table()
    assert set(table) == set(airline.NETWORKS)
    for network, row in table.items():
        others = [m for m in (*airline.OTHERS, *airline.NETWORKS) if m != network]
        assert set(row) == set(others)
        for method, verdict in row.items():
            expected = stated.get((network, method)) or flip.get(v := stated[method, network], v)
            assert verdict == expected, f"{network} - {method}: table {verdict}, text {expected}"


def test_the_other_start_verdicts_differ_from_the_default_fit_s_only_for_sarima():
    stated, default = airline.TEXT_VERDICTS_OTHER_START, airline.TEXT_VERDICTS["1960"]
    assert set(stated) == {(other, airline.HW_MUL) for other in airline.OTHERS if other != airline.HW_MUL}
    assert {pair for pair in stated if stated[pair] != default[pair]} == {(airline.SARIMA, airline.HW_MUL)}


def test_holt_winters_starts_default_is_classical_forecasts_fit():
    pytest.importorskip("statsmodels")
    _, values = load_airline()
    fits = airline.holt_winters_starts(values[:132], 12)
    assert list(fits) == list(airline.HW_STARTS)
    default, other = fits.values()
    assert torch.equal(default.forecast, airline.classical_forecasts(values[:132], 12)[airline.HW_MUL])
    assert default.forecast.shape == other.forecast.shape == (12,)
    assert set(default.weights) == {"α", "β", "γ"} and default.converged and default.sse > other.sse


def unwrapped(text: str) -> str:
    """`Comparison.diagnostics`' text with its wrapped lines joined again (each continuation: a newline, 4 spaces)."""
    return text.replace("\n    ", " ")


def toy_errors(n: int = 36) -> dict[str, torch.Tensor]:
    """Per-month errors of every method: networks and baselines apart by fixed, known amounts."""
    months = torch.arange(n, dtype=torch.float64)
    wiggle = torch.sin(months)  # the same month-to-month noise for every method: the pairs' differences are exact
    offsets = {
        airline.LSTM: 1.0,
        airline.TRANSFORMER: 1.0,
        airline.SEASONAL_NAIVE: 3.0,
        airline.DRIFT: 0.0,
        airline.DRIFT_LOG: 1.0,
        airline.SARIMA: 1.0,
        airline.HW_MUL: 1.0,
        airline.HW_ADD: 1.0,
    }
    return {name: 5 + offset + wiggle for name, offset in offsets.items()}


def test_compare_gives_each_pair_its_verdict_and_its_changes_with_the_run_length():
    errors = toy_errors()
    comparison = airline.compare(
        errors, airline.comparison_pairs(airline.DRIFT), block=3, other_blocks=(2, 4, 12, 18), title="toy"
    )
    assert list(comparison.other_verdicts) == [2, 4, 12]  # 18 leaves 2 blocks: left out
    assert comparison.verdict(airline.LSTM, airline.DRIFT) == "above 0"  # a constant difference of +1
    assert comparison.verdict(airline.LSTM, airline.SEASONAL_NAIVE) == "below 0"
    assert comparison.verdict(airline.LSTM, airline.SARIMA) == airline.NO_CLEAR  # identical errors
    assert comparison.differences[airline.LSTM, airline.DRIFT].mean == pytest.approx(1.0)
    assert comparison.correlations.shape == (18, 3)  # every pair, lags 1 to 3
    text, trust = str(comparison), unwrapped(comparison.diagnostics())
    assert text.startswith("toy:\nA - B") and text.splitlines()[1].split(" | ")[1].strip() == "verdict"  # verdict first
    assert "with blocks of 2, 4 and 12 months instead" in trust and "with blocks" not in text
    assert "rough" not in text  # 12 blocks of 3
    assert "were they independent, one estimate's standard error would be about 1/sqrt(36) = 0.17" in trust
    chance = "at least one of 18 exact, independent 95 % intervals would exclude 0 with probability"
    chance += f" {100 * (1 - 0.95**18):.0f} %: only a guide, as pairs that share a method are not independent"
    assert "if no pair truly differed" in trust and chance in trust and "truly" not in text
    short = airline.compare(
        {name: e[:12] for name, e in errors.items()},
        airline.comparison_pairs(airline.DRIFT),
        block=3,
        other_blocks=(),
        title="toy",
    )
    assert str(short).count("rough") == 1 and "(every interval: rough, 4 blocks of 3, likely too narrow)" in str(short)
    stated = {(airline.LSTM, airline.DRIFT): "above 0", (airline.LSTM, airline.SARIMA): "below 0"}
    assert comparison.mismatches(stated) == [
        f"{airline.LSTM} - {airline.SARIMA}: stated below 0, interval says no clear difference"
    ]


@pytest.mark.parametrize("kind", ["lstm", "transformer"])
def test_head_ceiling_bounds_every_output_and_is_the_hand_bound(kind):
    s = AirlineSettings()
    seed_everything(0)
    model = airline.build_model(kind, s).eval()
    ceiling = airline.head_ceiling(model)
    assert ceiling.shape == (s.horizon,)
    with torch.no_grad():  # ordinary, huge and extreme inputs: none gets past the bound
        for scale in (1.0, 100.0, 1e4):
            x = scale * torch.randn(256, s.window, 1)
            assert (model(x) <= ceiling + 1e-4).all()
    head = model.head
    if kind == "lstm":  # h in (-1, 1)^64: the bound is bias + sum |W|, reached as h -> sign(W)
        with torch.no_grad():
            assert torch.allclose(head(torch.sign(head.weight)).diagonal(), ceiling, atol=1e-5)
    else:  # the bound is reached when each position's LayerNorm output points along its weights
        norm = model.encoder.layers[-1].norm2
        with torch.no_grad():
            norm.weight.uniform_(0.5, 2.0)
            norm.bias.normal_()
            ceiling = airline.head_ceiling(model)
            u = head.weight.reshape(s.horizon, s.window, s.d_model) * norm.weight  # (H, L, D)
            z = u - u.mean(dim=-1, keepdim=True)
            z = z / z.norm(dim=-1, keepdim=True) * s.d_model**0.5  # mean 0, squared norm D: a LayerNorm output
            best = head((z * norm.weight + norm.bias).flatten(1)).diagonal()
            assert torch.allclose(best, ceiling, rtol=1e-4)
    with pytest.raises(ValueError, match="expected a ManyToManyLSTM or a TransformerForecaster"):
        airline.head_ceiling(torch.nn.Linear(2, 3))


@pytest.mark.parametrize("kind", ["lstm", "transformer"])
def test_head_reach_is_an_output_in_the_box_above_random_inputs_and_below_the_bound(kind):
    s = AirlineSettings()
    seed_everything(0)
    model = airline.build_model(kind, s).eval()
    reach = airline.head_reach(model, s.window, -1.0, 2.0, steps=50)
    assert reach.shape == (s.horizon,) and reach.device.type == "cpu"  # on the CPU wherever the model is
    assert airline.head_ceiling(model).device.type == "cpu"
    with torch.no_grad():
        random = model(-1.0 + 3.0 * torch.rand(512, s.window, 1)).max(dim=0).values
    assert (reach >= random - 1e-4).all()  # the search starts at random inputs and climbs
    assert (reach <= airline.head_ceiling(model) + 1e-4).all()


def test_claim_verdicts_fails_on_a_verdict_the_text_does_not_state(monkeypatch, capsys):
    errors = toy_errors()
    comparison = airline.compare(errors, airline.comparison_pairs(airline.DRIFT), block=3, other_blocks=(), title="toy")
    stated = {pair: difference.verdict for pair, difference in comparison.differences.items()}
    monkeypatch.setitem(airline.TEXT_VERDICTS, "toy", stated)
    monkeypatch.setitem(airline.TEXT_CHANGING, "toy", set())
    airline.claim_verdicts(comparison, "toy", 0.0)
    assert capsys.readouterr().out.count("✓") == 2
    monkeypatch.setitem(airline.TEXT_VERDICTS, "toy", stated | {(airline.SARIMA, airline.DRIFT): "below 0"})
    with pytest.raises(
        ClaimError,
        match=r"toy: verdicts in the text that the rule \(any block length\) contradicts, pairs without a network 1",
    ):
        airline.claim_verdicts(comparison, "toy", 0.0)
    monkeypatch.setitem(airline.TEXT_VERDICTS, "toy", stated | {(airline.LSTM, airline.DRIFT): "below 0"})
    with pytest.raises(
        ClaimError,
        match=r"toy: verdicts in the text that the rule \(any block length\) contradicts, pairs with a network 1 = 0",
    ):
        airline.claim_verdicts(comparison, "toy", 0.0)


def test_claim_verdicts_claims_a_fragile_method_s_pairs_apart(monkeypatch, capsys):
    errors = toy_errors()
    comparison = airline.compare(errors, airline.comparison_pairs(airline.DRIFT), block=3, other_blocks=(), title="toy")
    stated = {pair: difference.verdict for pair, difference in comparison.differences.items()}
    monkeypatch.setitem(airline.TEXT_CHANGING, "toy", set())
    monkeypatch.setitem(airline.TEXT_VERDICTS, "toy", stated | {(airline.LSTM, airline.HW_MUL): "below 0"})
    fragile = (airline.HW_MUL, "the fit lands elsewhere on some machines")
    monkeypatch.setenv("SEQTUT_STRICT", "0")
    airline.claim_verdicts(comparison, "toy", 0.0, fragile=fragile)  # the contradiction is HW mult.'s: printed
    out = capsys.readouterr().out
    assert "✓ toy: verdicts in the text that the rule (any block length) contradicts, pairs with a network 0 = 0" in out
    assert (
        "✗ toy: verdicts on pairs with HW mult. that the rule (any block length) contradicts, pairs with a network "
        "1 = 0 (not raised: the fit lands elsewhere on some machines)"
    ) in out
    monkeypatch.setenv("SEQTUT_STRICT", "1")
    with pytest.raises(ClaimError, match="verdicts on pairs with HW mult."):
        airline.claim_verdicts(comparison, "toy", 0.0, fragile=fragile)
    monkeypatch.setenv("SEQTUT_STRICT", "0")
    monkeypatch.setitem(airline.TEXT_VERDICTS, "toy", stated | {(airline.LSTM, airline.DRIFT): "below 0"})
    with pytest.raises(ClaimError, match="contradicts, pairs with a network 1 = 0"):  # another pair: strict as ever
        airline.claim_verdicts(comparison, "toy", 0.0, fragile=fragile)


def test_the_trend_screen_is_notebook_02_s_rule_on_the_year_means():
    """Year means spread wider than sqrt(3) x the interval's width: no interval; within it, no change found."""
    months = torch.arange(36, dtype=torch.float64)
    steady = torch.sin(2.1 * (months % 12 // 3))  # varies from block to block (a wide interval), alike every year
    d = paired_difference(steady, torch.zeros(36, dtype=torch.float64), block=3)
    width = d.high - d.low
    assert not airline.trends(steady, d, 3)
    shifted = steady + torch.where(months < 24, 0.0, 0.99 * 3**0.5 * width)  # 1960's mean moved up, within the limit
    assert not airline.trends(shifted, d, 3)
    assert airline.trends(steady + torch.where(months < 24, 0.0, 1.01 * 3**0.5 * width), d, 3)  # beyond it
    rising = steady + months * 1e-3  # year means rise every year, by far less than the limit: noise
    assert (rising.reshape(3, 12).mean(dim=1).diff() > 0).all() and not airline.trends(rising, d, 3)
    assert airline.trend_verdict(torch.tensor([4.86, -6.10, -13.13])) == airline.TREND
    assert airline.trend_verdict(torch.tensor([1.59, 1.35, 0.05])) == airline.TREND_ABOVE  # every month above 0
    assert airline.trend_verdict(torch.tensor([-2.62, -4.48, -5.98])) == airline.TREND_BELOW
    assert airline.trend_verdict(torch.tensor([0.0, 1.0, 2.0])) == airline.TREND  # a month at 0: no sign in every month
    assert airline.trend_verdict(torch.tensor([3.0, -0.5, 2.0, 4.0])) == airline.TREND  # mean above 0, one month below


def test_a_pair_that_trends_gets_no_interval_verdict():
    """Notebook 02's rule: when the differences trend, the block bootstrap's interval is not valid; what holds
    is said year by year."""
    errors = toy_errors()
    months = torch.arange(36, dtype=torch.float64)
    errors[airline.SEASONAL_NAIVE] = errors[airline.DRIFT] + (months - 14) / 4  # below the drift, then above
    errors[airline.HW_ADD] = errors[airline.DRIFT] + 1 + months / 12  # above the drift, more every year
    pairs = airline.comparison_pairs(airline.DRIFT)
    comparison = airline.compare(errors, pairs, block=3, other_blocks=(2, 12), title="toy", first_year=1958)
    naive, additive = (airline.SEASONAL_NAIVE, airline.DRIFT), (airline.HW_ADD, airline.DRIFT)
    assert comparison.year_means[naive].tolist() == pytest.approx([-2.125, 0.875, 3.875])
    d = comparison.differences[naive]
    limit = 3**0.5 * (d.high - d.low)  # k = 3: the years as parts, their means spread 6
    assert comparison.ratios(*naive)[3] == pytest.approx(6 / limit) and limit < 6
    assert list(comparison.ratios(*naive)) == [3, 4, 5]
    assert (airline.LSTM, airline.SEASONAL_NAIVE) in comparison.trending()  # +3.125, +0.125, -2.875
    assert naive in comparison.trending() and comparison.verdict(*naive) == airline.TREND
    assert additive in comparison.trending() and comparison.verdict(*additive) == airline.TREND_ABOVE
    assert comparison.differences[naive].verdict != airline.TREND  # the interval is still computed, not shown
    assert (airline.LSTM, airline.DRIFT) not in comparison.trending()  # a constant difference: no trend
    assert comparison.by_year(*naive) == "seasonal naive better in 1958, worse in 1959 and 1960"
    assert comparison.by_year(airline.LSTM, airline.SEASONAL_NAIVE) == "LSTM worse in 1958 and 1959, better in 1960"
    assert (
        comparison.by_year(*additive)
        == "HW add. worse in 1958, 1959 and 1960 (year means; 0 of 36 months the other way)"
    )

    def sarima_above_drift(rise: float) -> airline.Comparison:
        """SARIMA below the drift every 4th month, above it by 2 + rise per month otherwise."""
        sarima = errors[airline.DRIFT] + torch.where(months % 4 == 0, -0.5, 2 + months * rise)
        return airline.compare(
            errors | {airline.SARIMA: sarima}, pairs, block=3, other_blocks=(), title="toy", first_year=1958
        )

    mixed = sarima_above_drift(1 / 6)  # the year means above the drift and rising: 9 months the other way
    assert (airline.SARIMA, airline.DRIFT) in mixed.trending()  # year means 2.125, 3.625, 5.125: spread 3 > 2.99
    slower = sarima_above_drift(1 / 12)  # year means 1.75, 2.5, 3.25: spread 1.5 within 1.72, but 4 and 5 parts flag
    ratios = slower.ratios(airline.SARIMA, airline.DRIFT)
    assert ratios[3] < 1 < min(ratios[4], ratios[5]) and (airline.SARIMA, airline.DRIFT) in slower.trending()
    slowest = sarima_above_drift(1 / 20)  # year means 1.6, 2.05, 2.5: rising every year, no k flags
    assert (airline.SARIMA, airline.DRIFT) not in slowest.trending()
    verdict = slowest.differences[airline.SARIMA, airline.DRIFT].verdict
    assert slowest.verdict(airline.SARIMA, airline.DRIFT) == verdict
    assert mixed.by_year(airline.SARIMA, airline.DRIFT) == (
        "SARIMA worse in 1958, 1959 and 1960 (year means; 9 of 36 months the other way)"
    )
    assert mixed.verdict(airline.SARIMA, airline.DRIFT) == airline.TREND  # every year's mean above 0: not a verdict
    # one rule at every block length: flagged with blocks of 3 and 2, not with 12 (3 blocks, each a year)
    assert comparison.changing()[additive] == {2: airline.TREND_ABOVE, 3: airline.TREND_ABOVE, 12: "above 0"}
    assert comparison.flagged(3) == comparison.trending() == comparison.flagged(2) and comparison.flagged(12) == []
    assert comparison.differing(2) == [] and set(comparison.differing(12)) == set(comparison.trending())
    assert set(comparison.changing()) == set(comparison.trending())
    counts = comparison.block_changes(pairs=False).splitlines()
    assert counts == [
        "with blocks of 2 and 12 months instead (interval and trend screen), 6 of 18 verdicts change",
        "  blocks of 2: 0 differ from blocks of 3's; the screen flags 6 (with 3: 6)",
        "  blocks of 12 (3 blocks, rough): 6 differ from blocks of 3's; the screen flags 0 (with 3: 6)",
    ]
    assert comparison.block_changes().startswith("\n".join(counts) + "\n  LSTM - seasonal naive: 2: trends")
    text, trust = str(comparison), unwrapped(comparison.diagnostics())
    assert "| year means 1958, 1959, 1960 | screen, k = 3, 4, 5" in text
    row = next(line for line in text.splitlines() if line.startswith("seasonal naive - drift on values"))
    assert [cell.strip() for cell in row.split(" | ")] == [
        "seasonal naive - drift on values",
        airline.TREND,
        "+0.875 (no interval)",
        f"{-2.125:+6.2f} {0.875:+6.2f} {3.875:+6.2f}".strip(),
        " ".join(f"{r:.2f}" for r in comparison.ratios(*naive).values()),
    ]
    assert "| 0.00 0.00 0.00" in text  # a constant difference: no spread, no width
    assert text.count("(no interval)") == len(comparison.trending())
    assert f"| {airline.TREND}" in text and f"| {airline.TREND_ABOVE}" in text
    assert f"flagged with some k: {len(comparison.trending())} pairs, no interval" in trust
    assert "the 36 months in 3 parts (12 months each)" in trust and "year by year (a description)" in trust
    assert "  seasonal naive - drift on values: seasonal naive better in 1958" in trust
    count = 18 - len(comparison.trending())  # the chance of a false exclusion counts the intervals only
    assert f"at least one of {count} exact, independent 95 % intervals" in trust
    # the correlations apart: the pairs the screen does not flag, then the flagged ones (their trend sets them)
    flagged, unflagged = comparison.screened_correlations(flagged=True), comparison.screened_correlations(flagged=False)
    assert flagged.shape == (len(comparison.trending()), 3) and unflagged.shape == (count, 3)
    rows = [i for i, pair in enumerate(comparison.differences) if pair in comparison.trending()]
    assert torch.equal(flagged, comparison.correlations[rows])
    assert f"over the {count} pairs the screen does not flag (were they independent" in trust
    assert f"the same over the {len(rows)} pairs it flags, where a trend in the differences would" in trust
    r = unflagged[:, 0]
    assert f"lag 1: median {r.median():+.2f}, from {r.min():+.2f} to {r.max():+.2f}" in trust
    assert not airline.compare(errors, pairs, block=3, other_blocks=(), title="toy").year_means  # no first_year
    one_year = airline.compare(
        {n: e[:12] for n, e in errors.items()}, pairs, block=3, other_blocks=(), title="t", first_year=1960
    )
    assert not one_year.year_means and not one_year.trending()
    two_years = airline.compare(
        {n: e[:24] for n, e in errors.items()}, pairs, block=3, other_blocks=(), title="t", first_year=1959
    )
    found = len(two_years.trending_in_parts(3))  # the rising pairs built above trend within the 2 years too
    assert found and f"the 24 months in 3 parts (8 months each): {found} of 18 pairs flagged" in unwrapped(
        two_years.diagnostics()
    )
    assert set(two_years.trending_in_parts(3)) <= set(two_years.trending())  # a flag with any k counts


def test_within_one_year_the_trend_screen_cuts_the_months_into_parts():
    """1960 alone: notebook 02's screen with the 12 months in 3 parts of 4, then 4 parts of 3, in `diagnostics`."""
    errors = toy_errors(12)
    months = torch.arange(12, dtype=torch.float64)
    pairs = airline.comparison_pairs(airline.DRIFT)
    steady = airline.compare(errors, pairs, block=3, other_blocks=(), title="t")
    assert steady.trending_in_parts(3) == steady.trending_in_parts(4) == []  # constant differences: no spread
    # +1 every third month: every run of 3 holds one, so the interval has width 0; parts of 4 months differ, of 3 not
    errors[airline.HW_ADD] = errors[airline.DRIFT] + (months % 3 == 0).double()
    pulsed = airline.compare(errors, pairs, block=3, other_blocks=(), title="t")
    pair = (airline.HW_ADD, airline.DRIFT)
    d = pulsed.differences[pair]
    pulsed_pairs = [pair, *((network, airline.HW_ADD) for network in airline.NETWORKS)]  # each pair with HW add.
    assert d.high - d.low == pytest.approx(0.0) and set(pulsed.trending_in_parts(3)) == set(pulsed_pairs)
    assert pulsed.trending_in_parts(4) == [] and not airline.trends(pulsed.monthly[pair], d, 4)
    trust = unwrapped(pulsed.diagnostics())
    assert "notebook 02's trend screen, the 12 months in 3 parts (4 months each): 3 of 18 pairs flagged:" in trust
    assert "LSTM - HW add.; Transformer - HW add.; HW add. - drift on values" in trust
    assert "the 12 months in 4 parts (3 months each): 0 of 18 pairs flagged" in trust
    assert "in 5 parts (2.4 months each)" in trust and "flagged with some k: 3 pairs, no interval" in trust
    assert "parts" not in pulsed.diagnostics(parts=(7,))  # fewer than 2 months a part: not screened
    assert set(pulsed.trending()) == set(pulsed_pairs)  # a flag with any k withholds the interval (notebook 02)
    assert pulsed.verdict(*pair) == airline.TREND != d.verdict  # +1 every third month, 0 otherwise: no sign in all
    assert max(len(line) for line in pulsed.diagnostics().splitlines()) <= 110  # wrapped: readable without scrolling


def test_baseline_label_names_the_bar_then_the_drift_as_another_reference():
    """The bar (the lowest other MAE, with the other start's caveat when it is HW mult.) and the headline against it
    by the rule; then the drift on values, another reference, not the bar; the picking."""
    twelve = torch.arange(12, dtype=torch.float64)
    lower = paired_difference(twelve + 1, twelve + 10, block=3)  # 9 lower every month: clearly lower, 4 blocks
    same = paired_difference(torch.sin(twelve), torch.cos(twelve), block=3)
    assert same.verdict == airline.NO_CLEAR
    maes = {airline.HW_MUL: 10.3012, airline.SARIMA: 13.25, airline.SEASONAL_NAIVE: 47.8}
    long = (8.3991, 4.1234, "above 0")  # the second test: the headline's MAPE, the drift's, the verdict
    label = airline.baseline_label(maes, 16.8, "lstm", (same, same.verdict), (lower, lower.verdict), 21.4167, long)
    assert label == (
        "HW mult., the lowest 1960 MAE of the six methods that are not networks (default fit; 16.80 from another"
        " start, SARIMA 13.25 then lowest); LSTM against it on 1960 (notebook 02's rule, rough): no clear"
        " difference; another reference: seasonal random walk with drift, on values, 21.42, LSTM against it:"
        " clearly lower error; last 36 months, MAPE: LSTM 8.40 %, the drift on values 4.12 %, LSTM against it:"
        " clearly higher error; LSTM made the headline after the tests; the networks' settings were, by the section's"
        " first commit (unrecorded, so unchecked), chosen on 1957-1959, two of the 36-month test's years"
    )
    assert "(default fit; 12.00 from another start, HW mult. 12.00 then lowest)" in airline.baseline_label(
        maes, 12.0, "lstm", (same, same.verdict), (lower, lower.verdict), 21.4167, long
    )
    sarima_lowest = {airline.SARIMA: 13.25, airline.HW_MUL: 14.0}  # not HW mult.: no word on its start
    label = airline.baseline_label(
        sarima_lowest, 9.0, "transformer", (same, same.verdict), (same, same.verdict), 20.0, (10.2, 4.12, "above 0")
    )
    assert label == (  # picked before the tests: no word on the picking
        "SARIMA, the lowest 1960 MAE of the six methods that are not networks; Transformer against it on 1960"
        " (notebook 02's rule, rough): no clear difference; another reference: seasonal random walk with drift,"
        " on values, 20.00, Transformer against it: no clear difference; last 36 months, MAPE: Transformer 10.20 %,"
        " the drift on values 4.12 %, Transformer against it: clearly higher error; the networks' settings were,"
        " by the section's first commit (unrecorded, so unchecked), chosen on 1957-1959, two of the 36-month test's"
        " years"
    )
    flagged = airline.baseline_label(
        sarima_lowest, 9.0, "lstm", (same, airline.TREND), (same, same.verdict), 20.0, (8.4, 4.12, airline.TREND)
    )
    assert f"(notebook 02's rule, rough): {airline.TREND};" in flagged  # the trend screen's verdict
    many = paired_difference(torch.arange(36.0) + 5, torch.arange(36.0), block=3)  # 12 blocks: not rough
    high = airline.baseline_label(maes, 1.0, "lstm", (many, "above 0"), (many, "above 0"), 20.0, long)
    assert "(notebook 02's rule): clearly higher error;" in high and "LSTM against it: clearly higher error" in high


def test_screened_verdict_withholds_the_interval_when_any_part_count_flags():
    """Notebook 02's screen with k = 3, 4 and 5 parts: a flag with any one gives no interval verdict."""
    twelve = torch.arange(12, dtype=torch.float64)
    steady = 5 + torch.sin(2.1 * (twelve // 3))  # above 0 every month, alike in every run of 3
    d = paired_difference(steady, torch.zeros(12, dtype=torch.float64), block=3)
    ratios = airline.screen_ratios(steady, d)
    assert list(ratios) == [3, 4, 5] and max(ratios.values()) <= 1
    assert airline.screened_verdict(steady, d) == d.verdict == "above 0"
    assert list(airline.screen_ratios(steady, d, (3, 7))) == [3]  # 7 parts leave fewer than 2 months a part
    jump = steady + torch.where(twelve >= 10, 40.0, 0.0)  # the last two months jump: 5 parts see it most
    d = paired_difference(jump, torch.zeros(12, dtype=torch.float64), block=3)
    ratios = airline.screen_ratios(jump, d)
    assert ratios[5] > 1 and airline.screened_verdict(jump, d) == airline.TREND_ABOVE  # every month above 0
    assert airline.screened_verdict(jump, d, parts=[k for k, r in ratios.items() if r <= 1]) == d.verdict
    flat = torch.zeros(12, dtype=torch.float64)
    zero = paired_difference(flat, flat, block=3)
    assert airline.screen_ratios(flat, zero) == {3: 0.0, 4: 0.0, 5: 0.0}  # no spread, no width: not flagged


def test_a_clear_verdict_that_a_year_contradicts_fails_the_claim(monkeypatch, capsys):
    errors = toy_errors()
    months = torch.arange(36, dtype=torch.float64)
    blocky = 2 * torch.sin(2.1 * (months // 3))  # noise from block to block: a wide interval, so no trend
    errors[airline.HW_ADD] = errors[airline.DRIFT] + torch.where(months < 12, -0.2, 1.5) + blocky  # 1958 below 0
    pairs = airline.comparison_pairs(airline.DRIFT)
    comparison = airline.compare(errors, pairs, block=3, other_blocks=(), title="toy", first_year=1958)
    pair = (airline.HW_ADD, airline.DRIFT)
    assert comparison.verdict(*pair) == "above 0" and pair not in comparison.trending()  # spread within the limit
    line = f"{airline.HW_ADD} - {airline.DRIFT}: above 0, but its 1958 mean is -0.20"
    assert line in comparison.year_disagreements()
    stated = {p: comparison.verdict(*p) for p in pairs}
    monkeypatch.setitem(airline.TEXT_VERDICTS, "toy", stated)
    monkeypatch.setitem(airline.TEXT_CHANGING, "toy", set())
    with pytest.raises(
        ClaimError,
        match=r"the rule \(any block length\) or a year's mean contradicts, pairs without a network 1 = 0",
    ):
        airline.claim_verdicts(comparison, "toy", 0.0)


def test_a_rough_interval_is_printed_with_fewer_digits():
    errors = toy_errors()
    pairs = airline.comparison_pairs(airline.DRIFT)
    short = airline.compare({n: e[:12] for n, e in errors.items()}, pairs, block=3, other_blocks=(), title="t")
    long = airline.compare(errors, pairs, block=3, other_blocks=(), title="t")
    row = lambda comparison: next(  # noqa: E731
        [cell.strip() for cell in line.split(" | ")]
        for line in str(comparison).splitlines()
        if line.startswith("LSTM - drift on values")
    )
    assert row(short)[1:3] == ["above 0", "+1.0 (+1.0 to +1.0)"]  # 4 blocks: rough, 2 significant digits
    assert row(long)[1:3] == ["above 0", "+1.00 (+1.00 to +1.00)"]  # 12 blocks: 3 significant digits


@pytest.mark.parametrize("seasonal", ["add", "mul"])
def test_holt_winters_optimises_17_numbers_of_which_16_are_identifiable(seasonal):
    """Notebook 08: statsmodels fits 3 weights and 14 starting values, but one starting value is redundant.

    Additive season: level + c and every seasonal start - c give the same forecasts; multiplicative:
    level and trend times c, every seasonal start divided by c.
    """
    holt_winters = pytest.importorskip("statsmodels.tsa.holtwinters")
    _, values = airline.load_airline()
    y = values[:132].double().numpy()
    model = holt_winters.ExponentialSmoothing(y, trend="add", seasonal=seasonal, seasonal_periods=12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = model.fit()
    assert int(fitted.params_formatted["optimized"].sum()) == 17  # 3 weights, level, trend, 12 seasonal starts
    p = fitted.params
    if seasonal == "add":
        level, trend, seasons = p["initial_level"] + 7.0, p["initial_trend"], p["initial_seasons"] - 7.0
    else:
        level, trend, seasons = p["initial_level"] * 1.1, p["initial_trend"] * 1.1, p["initial_seasons"] / 1.1
    shifted = holt_winters.ExponentialSmoothing(
        y,
        trend="add",
        seasonal=seasonal,
        seasonal_periods=12,
        initialization_method="known",
        initial_level=level,
        initial_trend=trend,
        initial_seasonal=seasons,
    ).fit(
        smoothing_level=p["smoothing_level"],
        smoothing_trend=p["smoothing_trend"],
        smoothing_seasonal=p["smoothing_seasonal"],
        optimized=False,
    )
    assert abs(shifted.forecast(12) - fitted.forecast(12)).max() < 1e-8


def test_label_names_each_network_once_and_rough_block_lengths_are_marked():
    """One label per network in the tables and figures; a block length leaving < 10 blocks is marked rough."""
    assert airline.label("lstm, standard") == "LSTM ensemble, standardized"
    assert airline.label(airline.TRANSFORMER) == "Transformer ensemble, log-relative"
    assert airline.label(airline.SARIMA) == airline.SARIMA  # not a network: unchanged
    errors = toy_errors()
    months = torch.arange(36, dtype=torch.float64)
    errors[airline.SARIMA] = errors[airline.LSTM] - 0.1 + torch.where(months % 2 == 0, -1.0, 1.0)  # even blocks: exact
    pairs = airline.comparison_pairs(airline.DRIFT)
    comparison = airline.compare(errors, pairs, block=3, other_blocks=(2, 4, 12), title="toy")
    assert [comparison.blocks(k) for k in (2, 3, 4, 12)] == ["2", "3", "4 (9 blocks, rough)", "12 (3 blocks, rough)"]
    # even blocks: an interval of width 0, which the screen flags with 5 parts; blocks of 3: one odd month each
    assert set(comparison.changing()) == {(n, airline.SARIMA) for n in airline.NETWORKS} | {
        (airline.SARIMA, airline.DRIFT)
    }
    line = "  LSTM - SARIMA: 2: trends: no verdict; 3: no clear difference; 4 (9 blocks, rough): trends: no verdict;"
    assert line in unwrapped(comparison.diagnostics())


def test_the_standardized_ensembles_are_networks_in_the_tables_and_the_claims(monkeypatch, capsys):
    """Standardized against seasonal naive: grouped with the networks, their changes shown, held to `trained_zero`."""
    assert [airline.is_network(n) for n in (*airline.NETWORKS, *airline.STANDARDIZED)] == [True] * 4
    assert not any(airline.is_network(n) for n in airline.OTHERS)
    errors = toy_errors(12)
    months = torch.arange(12, dtype=torch.float64)
    errors[airline.LSTM_STANDARD] = errors[airline.SEASONAL_NAIVE] + 0.5  # a constant difference: above 0 always
    errors[airline.TRANSFORMER_STANDARD] = (
        errors[airline.SEASONAL_NAIVE] + 0.1 + torch.where(months % 2 == 0, -1.0, 1.0)
    )
    pairs = airline.STANDARDIZED_PAIRS
    comparison = airline.compare(errors, pairs, block=3, other_blocks=(2, 4, 6), title="toy, standardized")
    assert list(comparison.other_verdicts) == [2, 4]  # 6 leaves 2 blocks of 12 months: left out
    assert comparison.verdict(*pairs[0]) == "above 0"
    assert set(comparison.changing()) == {pairs[1]}  # even blocks: exact; blocks of 3: one odd month each
    text = str(comparison)
    assert "-- the networks, against seasonal naive:" in text and "not networks" not in text
    assert "standardized LSTM - seasonal naive" in text and "standardized Transformer - seasonal naive" in text
    changes = comparison.block_changes()
    assert changes.splitlines()[:3] == [
        "with blocks of 2 and 4 months instead (interval and trend screen), 1 of 2 verdicts changes",
        "  blocks of 2 (6 blocks, rough): 1 differs from blocks of 3's; the screen flags 1 (with 3: 0)",
        "  blocks of 4 (3 blocks, rough): 1 differs from blocks of 3's; the screen flags 1 (with 3: 0)",
    ]
    assert changes.splitlines()[3].startswith(
        "  standardized Transformer - seasonal naive: 2 (6 blocks, rough): trends: no verdict; 3 (4 blocks, rough):"
    )
    assert changes in unwrapped(comparison.diagnostics())
    assert "more units than a block holds" not in unwrapped(
        comparison.diagnostics()
    )  # one year: no trend screen printed
    stated = {pair: comparison.verdict(*pair) for pair in pairs}
    monkeypatch.setitem(airline.TEXT_VERDICTS, "toy", stated)
    monkeypatch.setitem(airline.TEXT_CHANGING, "toy", set())  # the text misses the change: a pair with a network
    with pytest.raises(
        ClaimError,
        match=r"toy: verdicts in the text that the rule \(any block length\) contradicts, pairs with a network",
    ):
        airline.claim_verdicts(comparison, "toy", 0.0)
    capsys.readouterr()
    airline.claim_verdicts(comparison, "toy", None)  # fast mode: pairs with a network are not checked
    assert "○" in capsys.readouterr().out
    monkeypatch.setitem(airline.TEXT_CHANGING, "toy", {pairs[1]})
    airline.claim_verdicts(comparison, "toy", 0.0)
    assert capsys.readouterr().out.count("✓") == 2


def test_forecast_panel_draws_each_method_in_its_own_style_under_the_training_maximum():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dates, values = load_airline()
    shown = {airline.LSTM: values[132:] + 1, airline.SEASONAL_NAIVE: values[120:132]}
    fig, ax = plt.subplots()
    assert airline.forecast_panel(ax, 108, 132, shown, "1960: test", 6) is ax
    lines = {line.get_label(): line for line in ax.get_lines()}
    for name in shown:
        color, marker = airline.METHOD_STYLE[name]
        assert lines[airline.label(name)].get_color() == color and lines[airline.label(name)].get_marker() == marker
        assert list(lines[airline.label(name)].get_ydata()) == pytest.approx(shown[name].tolist())
    assert list(lines["actual"].get_xdata()) == list(range(132, 144))  # the 12 months after `end`
    assert list(lines["history 1958-01..1959-12"].get_ydata()) == pytest.approx(values[108:132].tolist())
    join = lines["_history to actual"]  # no gap between December 1959 and January 1960, and not in the legend
    assert list(join.get_xdata()) == [131, 132] and list(join.get_ydata()) == pytest.approx(values[131:133].tolist())
    assert join.get_color() == lines["history 1958-01..1959-12"].get_color()
    assert "_history to actual" not in [t.get_text() for t in ax.get_legend().get_texts()]
    top = lines["training maximum (559, 1959-08)"]  # the highest of months 0..131
    assert list(top.get_ydata()) == [559.0, 559.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [dates[i] for i in [*range(108, 144, 6), 143]]
    assert ax.get_title() == "1960: test" and ax.get_legend() is not None
    assert set(airline.METHOD_STYLE) >= {*airline.OTHERS, *airline.NETWORKS, "lstm, standard", "transformer, standard"}
    plt.close(fig)


def test_interval_text_prints_rough_intervals_to_two_significant_digits():
    differences = torch.tensor([-40.0, -20.0, -35.0, -25.0, -30.0, -28.0, -33.0, -31.0, -27.0, -26.0, -29.0, -32.0])
    rough = paired_difference(differences, torch.zeros(12), block=3)  # 4 blocks: rough
    assert rough.rough and airline.significant(-30.6, True) == "-31" and airline.significant(3.0, False) == "+3.00"
    assert airline.interval_text(rough) == (
        f"{airline.significant(rough.mean, True)} ({airline.significant(rough.low, True)} to "
        f"{airline.significant(rough.high, True)})"
    )
    assert airline.interval_text(rough).startswith("-30 (")


def test_every_block_length_gets_notebook_02_s_rule_interval_and_trend_screen():
    """compare's verdicts with other block lengths are `screened_verdict`s, each with that length's interval."""
    errors = toy_errors()
    months = torch.arange(36, dtype=torch.float64)
    errors[airline.HW_ADD] = errors[airline.DRIFT] + 1 + months / 12  # above the drift, more every year
    pairs = airline.comparison_pairs(airline.DRIFT)
    comparison = airline.compare(errors, pairs, block=3, other_blocks=(2, 4, 12), title="toy")
    for block, verdicts in comparison.other_verdicts.items():
        for a, b in pairs:
            d = paired_difference(errors[a], errors[b], block=block)
            assert verdicts[a, b] == airline.screened_verdict(errors[a] - errors[b], d)
    pair = (airline.HW_ADD, airline.DRIFT)
    assert comparison.other_verdicts[2][pair] == airline.TREND_ABOVE != comparison.differences[pair].verdict
    assert all(v.startswith(airline.TREND_PREFIX) for v in (airline.TREND, airline.TREND_ABOVE, airline.TREND_BELOW))


def test_claim_verdicts_fails_on_a_verdict_with_another_block_length_the_text_does_not_state(monkeypatch, capsys):
    errors = toy_errors()
    pairs = airline.comparison_pairs(airline.DRIFT)
    comparison = airline.compare(errors, pairs, block=3, other_blocks=(2,), title="toy")
    monkeypatch.setitem(airline.TEXT_VERDICTS, "toy", {pair: comparison.verdict(*pair) for pair in pairs})
    monkeypatch.setitem(airline.TEXT_CHANGING, "toy", set())
    monkeypatch.setitem(airline.TEXT_OTHER_BLOCKS, "toy", {2: {(airline.SARIMA, airline.DRIFT): "above 0"}})
    airline.claim_verdicts(comparison, "toy", 0.0)
    assert capsys.readouterr().out.count("✓") == 2
    monkeypatch.setitem(airline.TEXT_OTHER_BLOCKS, "toy", {2: {(airline.LSTM, airline.DRIFT): airline.NO_CLEAR}})
    with pytest.raises(ClaimError, match=r"pairs with a network 1 = 0"):
        airline.claim_verdicts(comparison, "toy", 0.0)
    assert "with blocks of 2, stated no clear difference, the rule says above 0" in capsys.readouterr().out


def test_the_text_s_verdicts_with_other_block_lengths_name_pairs_and_lengths_it_compares():
    s = sections.settings("airline")
    assert set(airline.TEXT_OTHER_BLOCKS) == set(airline.TEXT_VERDICTS)
    for period, by_block in airline.TEXT_OTHER_BLOCKS.items():
        assert set(by_block) <= set(s.other_blocks)
        for stated in by_block.values():
            assert set(stated) <= set(airline.TEXT_VERDICTS[period])
            changed = {p for p, v in stated.items() if v != airline.TEXT_VERDICTS[period][p]}
            assert changed <= airline.TEXT_CHANGING[period]  # a verdict that differs is one that changes
    assert airline.TEXT_OTHER_BLOCKS["36 months"][2] == airline.TEXT_VERDICTS["36 months"]  # none differs with 2
    assert len(airline.TEXT_CHANGING["1960"]) == 3 and len(airline.TEXT_CHANGING["36 months"]) == 13


def test_ratio_text_tells_a_ratio_near_1_from_1():
    ratios = (0.84, 1.2149, 0.996, 1.004, 0.9996, 0.99996, 1.0)
    assert [airline.ratio_text(r) for r in ratios] == ["0.84", "1.21", "0.996", "1.004", "0.9996", "1.0000", "1.00"]


def test_screen_false_alarms_is_the_tables_screen_on_independent_noise():
    """Its shares are those of `screen_ratios` on each noise series with `compare`'s interval, one run at a time."""
    alarms = airline.screen_false_alarms(12, 3, 150, seed=3)
    noise = torch.randn(150, 12, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    flags = []  # per run: {k: flagged}
    for series in noise:
        d = paired_difference(series, torch.zeros_like(series), block=3)
        flags.append({k: r > 1 for k, r in airline.screen_ratios(series, d).items()})
    assert alarms.by_parts == {k: sum(f[k] for f in flags) / 150 for k in (3, 4, 5)}
    assert alarms.any_parts == sum(any(f.values()) for f in flags) / 150
    assert (alarms.months, alarms.block, alarms.runs) == (12, 3, 150)
    assert max(alarms.by_parts.values()) <= alarms.any_parts <= sum(alarms.by_parts.values())
    assert airline.screen_false_alarms(12, 3, 150, seed=3) == alarms  # seeded
    assert str(alarms).startswith(
        "the trend screen on independent Gaussian noise (no trend, no dependence), 12 months, blocks of 3 (150 runs):"
    )
    assert str(alarms).endswith(f"with any k: {100 * alarms.any_parts:.1f} %")
    assert list(airline.screen_false_alarms(8, 2, 20).by_parts) == [3, 4]  # 5 parts leave fewer than 2 months each
    few = airline.screen_false_alarms(36, 3, 400)  # more months: rarer false alarms than with 12 (2.8 % with 2000)
    many = airline.screen_false_alarms(12, 3, 400)
    assert few.any_parts < many.any_parts
    with pytest.raises(ValueError, match="months: expected at least 2"):
        airline.screen_false_alarms(1, 3, 10)
    with pytest.raises(ValueError, match="runs"):
        airline.screen_false_alarms(12, 3, 0)


def test_false_alarms_against_a_comparison_counts_its_pairs_and_its_flags():
    errors = toy_errors()
    comparison = airline.compare(errors, airline.comparison_pairs(airline.DRIFT), block=3, other_blocks=(), title="toy")
    alarms = airline.FalseAlarms(12, 3, 10, {3: 0.1, 4: 0.1, 5: 0.2}, 0.25)
    pairs, flagged = len(comparison.differences), len(comparison.trending())
    assert alarms.against(comparison) == (
        f"independent Gaussian noise would flag about {0.25 * pairs:.1f} of {pairs} pairs; flagged here: {flagged}"
    )


# --- fit_seeds, predict_members, long_split_forecasts, baseline_forecasts: tiny settings, one epoch ------------------

TINY = replace(
    AirlineSettings.for_mode(fast=True),
    seeds=2,
    lstm_hidden=4,
    lstm_epochs=2,
    d_model=4,
    dim_feedforward=4,
    transformer_epochs=1,
    long_test_months=12,
)
"""Settings small enough for a test: 2 members, 4 hidden units, one or two epochs."""


def tiny_datasets():
    """Training windows of 1949-1952 (13 windows) and the one test window of 1951-1952 with 1953's 12 months."""
    _, values = load_airline()
    return airline_datasets(values[:48], values[24:60], TINY)


def weights(model):
    return [p.detach().clone() for p in model.parameters()]


def test_fit_seeds_trains_one_member_per_seed_each_seeded_by_its_own():
    train, _ = tiny_datasets()
    models, seconds = airline.fit_seeds("lstm", train, TINY, seed=3, progress=False)
    assert [type(m).__name__ for m in models] == ["ManyToManyLSTM", "ManyToManyLSTM"] and seconds > 0
    (alone,), _ = airline.fit_seeds("lstm", train, replace(TINY, seeds=1), seed=4, progress=False)
    assert all(torch.equal(a, b) for a, b in zip(weights(alone), weights(models[1])))  # member 1 is seed 4's model
    assert not torch.equal(weights(models[0])[0], weights(models[1])[0])


def test_fit_seeds_trains_each_kind_for_its_own_epochs():
    train, _ = tiny_datasets()
    epochs = []
    models, _ = airline.fit_seeds("lstm", train, TINY, progress=False, callback=lambda e, m: epochs.append(e))
    assert epochs == [0, 1, 0, 1]  # lstm_epochs = 2, for each of the 2 members
    epochs.clear()
    one = replace(TINY, seeds=1)
    (model,), _ = airline.fit_seeds("transformer", train, one, progress=False, callback=lambda e, m: epochs.append(e))
    assert type(model).__name__ == "TransformerForecaster" and epochs == [0]  # transformer_epochs = 1


def test_fit_seeds_refuses_no_members_and_an_unknown_kind():
    train, _ = tiny_datasets()
    with pytest.raises(ValueError, match="seeds: expected a positive int, got 0"):
        airline.fit_seeds("lstm", train, replace(TINY, seeds=0))
    with pytest.raises(ValueError, match=r"kind: expected one of \('lstm', 'transformer'\), got 'gru'"):
        airline.fit_seeds("gru", train, TINY)


def test_predict_members_stacks_each_members_forecasts_in_passengers():
    """Heads writing 0 and log(2) in model units: log-relative scaling gives the window's last month, and twice it."""
    train, test = tiny_datasets()
    members = [airline.build_model("lstm", TINY) for _ in range(2)]
    with torch.no_grad():
        for member, ratio in zip(members, (1.0, 2.0)):
            member.head.weight.zero_()
            member.head.bias.fill_(math.log(ratio) / train.scaler.scale)
    forecasts = airline.predict_members(members, test)
    last = load_airline()[1][47].item()  # December 1952, the test window's last month
    assert forecasts.shape == (2, 1, 12)
    assert torch.allclose(forecasts, torch.tensor([last, 2 * last]).reshape(2, 1, 1).expand(2, 1, 12), rtol=1e-5)


def test_predict_members_needs_at_least_one_model():
    with pytest.raises(ValueError, match="models: expected at least one model, got none"):
        airline.predict_members([], tiny_datasets()[1])


def test_long_split_forecasts_trains_on_the_months_before_the_split_only():
    _, values = load_airline()
    shown = values[:72]  # 1949-1954: 1954 is the long split's test year (long_test_months = 12)
    forecasts, seconds = airline.long_split_forecasts("lstm", shown, TINY, seed=1, progress=False)
    assert forecasts.shape == (2, 12) and seconds > 0 and bool((forecasts > 0).all())
    hidden = torch.cat([shown[:60], torch.full((12,), 1e6)])  # the test months changed: no forecast may move
    again, _ = airline.long_split_forecasts("lstm", hidden, TINY, seed=1, progress=False)
    assert torch.equal(forecasts, again)
    (first,), _ = airline.long_split_forecasts("lstm", shown, replace(TINY, seeds=1), seed=1, progress=False)
    assert torch.equal(first, forecasts[0])  # member 0 is seed 1's model


def test_baseline_forecasts_are_seasonal_naive_and_the_drift_on_values_and_on_logs():
    """Two years of 12 months, 10, 20, ..., 120, then twice that: b = 65 on values, log 2 on logs."""
    first = torch.arange(1.0, 13.0) * 10
    forecasts = airline.baseline_forecasts(torch.cat([first, 2 * first]), 14)
    assert list(forecasts) == [airline.SEASONAL_NAIVE, airline.DRIFT, airline.DRIFT_LOG]
    second = 2 * first
    assert torch.equal(forecasts[airline.SEASONAL_NAIVE], torch.cat([second, second[:2]]))
    assert torch.allclose(forecasts[airline.DRIFT], torch.cat([second + 65, second[:2] + 130]), rtol=1e-5)
    assert torch.allclose(forecasts[airline.DRIFT_LOG], torch.cat([2 * second, 4 * second[:2]]), rtol=1e-4)


def test_judged_is_the_interval_and_the_screened_verdict_of_one_pair():
    twelve = torch.arange(12, dtype=torch.float64)
    lower = airline.judged(twelve + 1, twelve + 10, block=3)  # 9 lower every month
    assert lower == (paired_difference(twelve + 1, twelve + 10, block=3), "below 0")
    jump = 5 + torch.sin(2.1 * (twelve // 3)) + torch.where(twelve >= 10, 40.0, 0.0)  # the screen flags it
    flagged = airline.judged(jump, torch.zeros(12, dtype=torch.float64), block=3)
    assert flagged[0] == paired_difference(jump, torch.zeros(12, dtype=torch.float64), block=3)
    assert flagged[1] == airline.TREND_ABOVE != flagged[0].verdict  # no interval verdict, a sign in every month


def test_block_means_interval_is_students_t_on_the_block_means():
    monthly = torch.tensor([1.0, 3.0, 2.0, 6.0, 4.0, 5.0, -1.0, 0.0, 1.0, 9.0, 8.0, 7.0, 100.0])  # 13: one left over
    means, low, high = airline.block_means_interval(monthly, 3)
    assert means.tolist() == [2.0, 5.0, 0.0, 8.0]  # the 13th month is not used
    half = 3.182446305284263 * statistics.stdev([2.0, 5.0, 0.0, 8.0]) / 2  # t(0.975, 3 df) x sd / sqrt(4)
    assert low == pytest.approx(3.75 - half) and high == pytest.approx(3.75 + half)
    assert airline.block_means_interval(monthly, 3, level=0.5)[1] > low  # a lower level, a narrower interval


def test_block_means_interval_names_a_bad_argument():
    with pytest.raises(ValueError, match=r"monthly: expected \(N,\) with N >= 2 \* block = 8, got shape \(6,\)"):
        airline.block_means_interval(torch.zeros(6), 4)
    with pytest.raises(ValueError, match="block"):
        airline.block_means_interval(torch.zeros(6), 0)
    with pytest.raises(ValueError, match="level: expected a share between 0 and 1, got 95"):
        airline.block_means_interval(torch.zeros(6), 3, level=95)


def test_block_means_interval_can_start_its_blocks_at_any_month_wrapping_as_the_bootstrap_does():
    monthly = torch.arange(12, dtype=torch.float64)
    means, _, _ = airline.block_means_interval(monthly, 3, start=2)
    assert means.tolist() == [3.0, 6.0, 9.0, (11 + 0 + 1) / 3]  # months 2-4, 5-7, 8-10, then 11, 0, 1
    with pytest.raises(ValueError, match="start: expected a month from 0 to block - 1 = 2, got 3"):
        airline.block_means_interval(monthly, 3, start=3)


def test_second_look_keeps_a_verdict_only_if_every_start_excludes_0():
    steady = torch.tensor([-5.0, -6.0, -4.0] * 4)  # below 0 in every block, whatever the start
    look = airline.second_look(steady, 3)
    assert len(look.intervals) == 3 and look.kept and str(look).endswith("; kept")
    assert look.intervals[0] == airline.block_means_interval(steady, 3)[1:]
    mixed_starts = torch.tensor([-60.0, -60.0, 50.0, -8.0, -8.0, -8.0, -9.0, -9.0, -9.0, -7.0, -7.0, 50.0])
    mixed = airline.second_look(mixed_starts, 3)  # blocks from February exclude 0, from January or March they do not
    assert [high < 0 for _, high in mixed.intervals] == [False, True, False] and mixed.kept is False
    assert str(airline.second_look(mixed_starts, 3)).endswith("; includes 0")
    assert airline.CLEAR == ("below 0", "above 0") and airline.NO_CLEAR not in airline.CLEAR
