"""Notebook 01's ceiling on one Adam step: (1 - b1) / sqrt((1 - b2)(1 - b1²/b2)) × lr, for any history.

The derivation. After t gradients g_1..g_t (m_0 = v_0 = 0), Adam's moments are
m_t = (1 - b1) Σ_k b1^(t-k) g_k and v_t = (1 - b2) Σ_k b2^(t-k) g_k². Write
b1^(t-k) g_k = (b1 / sqrt(b2))^(t-k) · sqrt(b2)^(t-k) g_k; Cauchy–Schwarz gives
|Σ_k b1^(t-k) g_k| <= sqrt(Σ_j (b1²/b2)^j, j = 0..t-1) · sqrt(Σ_k b2^(t-k) g_k²), so

    |m_t / sqrt(v_t)| <= (1 - b1) / sqrt(1 - b2) · sqrt((1 - (b1²/b2)^t) / (1 - b1²/b2)).

The step is lr · m̂ / (sqrt(v̂) + eps), with m̂ = m_t / (1 - b1^t), v̂ = v_t / (1 - b2^t): eps only
shrinks it, and the bias corrections multiply the bound by sqrt(1 - b2^t) / (1 - b1^t). So the step
is at most lr × the ceiling × sqrt((1 - b2^t)(1 - (b1²/b2)^t)) / (1 - b1^t), and this finite-sum
factor is at most 1 for every t checked below. Equality in Cauchy–Schwarz needs g_k proportional to
(b1 / b2)^(t-k): a gradient rising × b2/b1 a step, the history notebook 01 runs.
"""

import math

import torch

BETA1, BETA2 = 0.9, 0.999  # Adam's defaults
CEILING = (1 - BETA1) / math.sqrt((1 - BETA2) * (1 - BETA1**2 / BETA2))


def finite_sum_factor(t: int) -> float:
    """Bias correction × the factor of a sum of t terms (not infinitely many), relative to the ceiling."""
    return math.sqrt((1 - BETA2**t) * (1 - (BETA1**2 / BETA2) ** t)) / (1 - BETA1**t)


def adam_steps(gradients: list[float] | torch.Tensor) -> torch.Tensor:
    """torch.optim.Adam with lr = 1 and default settings: the size of each step, shape (T,) or (T, n).

    A (T, n) history runs n independent weights at once: Adam's update is elementwise.
    """
    history = torch.as_tensor(gradients, dtype=torch.float64)
    weight = torch.zeros(history.shape[1:], dtype=torch.float64, requires_grad=True)
    adam = torch.optim.Adam([weight], lr=1.0)
    steps = []
    for gradient in history:
        weight.grad = gradient.clone()
        before = weight.detach().clone()
        adam.step()
        steps.append((weight.detach() - before).abs())
    return torch.stack(steps)


def test_the_ceiling_is_7_27():
    assert round(CEILING, 2) == 7.27


def test_bias_correction_and_a_finite_sum_never_raise_the_ceiling():
    largest = max(finite_sum_factor(t) for t in range(1, 100_001))
    assert largest <= 1 + 1e-12
    assert math.isclose(CEILING * finite_sum_factor(1), 1)  # the first step: exactly lr (m̂ / sqrt(v̂) = ±1)


def test_no_history_steps_beyond_the_ceiling():
    generator = torch.Generator().manual_seed(0)
    scale = torch.exp(torch.randn(300, 20, generator=generator, dtype=torch.float64) * 3)  # 20 histories
    signs = torch.where(torch.rand(300, 20, generator=generator) < 0.8, 1.0, -1.0)
    assert adam_steps(scale * signs).max() <= CEILING


def test_a_gradient_rising_by_b2_over_b1_comes_close():
    steps = adam_steps([0.0] * 3000 + [(BETA2 / BETA1) ** k for k in range(100)])
    assert 0.95 * CEILING < steps[-1] <= CEILING
