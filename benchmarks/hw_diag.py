"""Where statsmodels' multiplicative Holt-Winters fit lands on this machine, from each start.

Notebook 08 fits it on 1949..1957 (36 months ahead) and on 1949..1959 (1960). On an H100 host the
default start stopped elsewhere on 1949..1957 (benchmarks/RESULTS.md, "On an accelerator"); this
prints, for both splits, each start's SSE, forecast error and weights, two other optimizers, and
where 40 random starts end, so two machines' lines can be compared side by side.

Usage: `PYTHONPATH=. python benchmarks/hw_diag.py` (benchmarks/device_check.sh runs it).
"""

from __future__ import annotations

import platform
import warnings
from pathlib import Path

import numpy as np
import scipy
import statsmodels
from statsmodels.tsa.holtwinters import ExponentialSmoothing
from statsmodels.tsa.holtwinters import model as holt_winters_model

from seqtut.sections.airline import holt_winters_starts, load_airline

SPLITS = ((108, 36), (132, 12))  # (months fitted, months forecast): 1949..1957 -> 36, 1949..1959 -> 1960
RANDOM_STARTS = 40


def cpu_name() -> str:
    """The CPU's model name, as /proc/cpuinfo gives it ("?" elsewhere)."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "?")


def errors(forecast: np.ndarray, actual: np.ndarray) -> str:
    """MAPE (%) and MAE of `forecast` against `actual`, both (H,)."""
    mape = np.mean(np.abs(forecast - actual) / actual) * 100
    return f"MAPE {mape:.4f} MAE {np.mean(np.abs(forecast - actual)):.4f}"


def fit_quietly(history: np.ndarray, **options: object):
    """statsmodels' multiplicative Holt-Winters (additive trend) fitted to `history` with `options`."""
    model = ExponentialSmoothing(history, trend="add", seasonal="mul", seasonal_periods=12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(**options)


def random_start_landings(
    history: np.ndarray, horizon: int, count: int, seed: int = 0
) -> dict[int, tuple[int, np.ndarray]]:
    """SSE (rounded) -> (how many of `count` random (α, β, γ) starts end there, the first one's forecast (horizon,))."""
    brute = holt_winters_model.ExponentialSmoothing._setup_brute
    rng = np.random.default_rng(seed)
    landed: dict[int, tuple[int, np.ndarray]] = {}
    try:
        for _ in range(count):
            alpha = rng.uniform(0.01, 0.99)
            point = np.array([alpha, rng.uniform(0, alpha), rng.uniform(0, 1 - alpha)])
            grid = staticmethod(lambda sel, bounds, alpha, p=point: p[None, :].copy())  # one "grid" point
            holt_winters_model.ExponentialSmoothing._setup_brute = grid
            fit = fit_quietly(history)
            sse = round(fit.sse)
            times, forecast = landed.get(sse, (0, fit.forecast(horizon)))
            landed[sse] = (times + 1, forecast)
    finally:
        holt_winters_model.ExponentialSmoothing._setup_brute = staticmethod(brute)
    return dict(sorted(landed.items()))


def main() -> None:
    versions = f"numpy {np.__version__} scipy {scipy.__version__} statsmodels {statsmodels.__version__}"
    print(platform.python_version(), versions)
    print("model name\t:", cpu_name())
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    print("numpy blas", blas.get("name"), blas.get("version"))
    _, values = load_airline()
    for fitted, horizon in SPLITS:
        history = values[:fitted].double().numpy()
        actual = values[fitted : fitted + horizon].double().numpy()
        for start, fit in holt_winters_starts(values[:fitted], horizon).items():
            weights = " ".join(f"{name} {weight:.6f}" for name, weight in fit.weights.items())
            forecast = fit.forecast.double().numpy()
            print(f"{fitted} {start:27s} SSE {fit.sse:.3f} {errors(forecast, actual)} {weights} conv {fit.converged}")
        for method in ("SLSQP", "least_squares", "trust-constr"):
            fit = fit_quietly(history, method=method)
            print(f"{fitted} fit(method={method!r}) SSE {fit.sse:.3f} {errors(fit.forecast(horizon), actual)}")
        landed = random_start_landings(history, horizon, RANDOM_STARTS)
        counts = {sse: times for sse, (times, _) in landed.items()}
        print(f"{fitted} {RANDOM_STARTS} random starts (seed 0) -> SSE: count", counts)
        lowest = min(landed)
        print(f"{fitted} the lowest SSE they reach, {lowest}: {errors(landed[lowest][1], actual)}")


if __name__ == "__main__":
    main()
