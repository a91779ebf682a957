"""Checkers for notebook 00's exercises: the shapes of any nn.LSTM call as one function, the
bidirectional summary of padded sequences of different lengths, and one step of a GRU by hand.

The shapes are a drill: the notebook prints calls of the kinds of several of the six cases (among
them a projection with two directions and an unbatched call), and its rules cover the rest. The
others ask for something the notebook does not display: the summary reads a time-first `out` and
finds each sequence's own last step from a padding mask (the notebook read a batch-first `out` at
lengths it was given), and whether packing moves where the backward direction ends is the
exercise's question (the notebook showed where it ends for equal lengths only); the step is a
GRU's, whose gate order and reset gate differ from the LSTM step the notebook computes. Where the
text says "predict" or "by hand", the checker switches PyTorch's own layer and its functions off
while the learner's function runs (`torch.gru`, `torch._VF.gru_cell`, `torch.ops.aten.lstm`, ...:
every route to them passes through a `TorchFunctionMode`), so calling one is reported, not
accepted.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from seqtut.exercises.core import REGISTRY, Case, Checker, Refused, Result, checker, run_cases

NOTEBOOK = "00_rnn_io"


class SwitchedOff(Refused):
    """Raised by a PyTorch function that an exercise asks the learner not to call."""


class Refusing(TorchFunctionMode):
    """Raise `SwitchedOff(why)` when a torch function named in `names` is called, by whatever route.

    `torch.gru_cell`, `torch._VF.gru_cell`, `torch._C._VariableFunctions.gru_cell` and
    `torch.ops.aten.gru_cell` are one operator reached four ways; each call passes through the torch
    function modes active in its thread, so this mode sees them all (the last as `gru_cell.default`).
    """

    def __init__(self, names: frozenset[str], why: str) -> None:
        super().__init__()
        self.names, self.why = names, why

    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        if getattr(func, "__name__", "").split(".")[0] in self.names:
            raise SwitchedOff(self.why)
        return func(*args, **(kwargs or {}))


@contextmanager
def switched_off(targets: Sequence[tuple[Any, str]], why: str, functions: Sequence[str] = ()) -> Iterator[None]:
    """While the block runs, each `owner.attribute` in `targets`, and each torch function named in
    `functions` (by any route: `torch.`, `torch._VF.`, `torch.ops.aten.`), raises `SwitchedOff(why)` when called.
    The attributes are switched off for every thread; the functions for this thread (the checker's).
    """

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise SwitchedOff(why)

    saved = [(owner, name, vars(owner).get(name)) for owner, name in targets]  # None: inherited
    try:
        for owner, name, _ in saved:
            setattr(owner, name, refuse)
        with Refusing(frozenset(functions), why):
            yield
    finally:
        for owner, name, original in saved:
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


class WithoutLayers(Checker):
    """A checker that builds its cases with real layers, then runs the learner's function with them switched off."""

    def __init__(self, base: Checker, targets: Sequence[tuple[Any, str]], why: str, functions: Sequence[str]) -> None:
        super().__init__(base.name, base.make_cases, base.__doc__ or "", base.hints, base.solution_file)
        self.targets, self.why, self.functions = tuple(targets), why, tuple(functions)

    def run(self, function: Any) -> Result:
        cases = self.make_cases()
        with switched_off(self.targets, self.why, self.functions):
            return run_cases(self.name, function, cases)


def _without(
    targets: Sequence[tuple[Any, str]], why: str, functions: Sequence[str] = ()
) -> Callable[[Checker], Checker]:
    """Re-register a checker so that the learner's function runs with `targets` and `functions` switched off."""

    def wrap(base: Checker) -> Checker:
        REGISTRY[base.name] = WithoutLayers(base, targets, why, functions)
        return REGISTRY[base.name]

    return wrap


# 1. Predict the shapes ------------------------------------------------------------------------------------------

Shapes = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def lstm_shapes(
    n: int | None,
    length: int,
    input_size: int,
    hidden_size: int,
    num_layers: int,
    bidirectional: bool,
    batch_first: bool,
    proj_size: int,
) -> Shapes:
    """The shapes of `out`, `h_n` and `c_n` that a real nn.LSTM call returns (`n=None`: one unbatched sequence)."""
    torch.manual_seed(0)
    lstm = nn.LSTM(
        input_size,
        hidden_size,
        num_layers,
        batch_first=batch_first,
        bidirectional=bidirectional,
        proj_size=proj_size,
    )
    if n is None:
        x = torch.zeros(length, input_size)
    else:
        x = torch.zeros((n, length, input_size) if batch_first else (length, n, input_size))
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="LSTM with projections is not supported with oneDNN")
        out, (h_n, c_n) = lstm(x)
    return tuple(out.shape), tuple(h_n.shape), tuple(c_n.shape)


def shapes_by_rule(
    n: int | None,
    length: int,
    input_size: int,
    hidden_size: int,
    num_layers: int,
    bidirectional: bool,
    batch_first: bool,
    proj_size: int,
    *,
    mistake: str = "",
) -> Shapes:
    """The shapes by the notebook's rules, or as one usual `mistake` (a key of `SHAPE_MISTAKES`) gets them."""
    d = 2 if bidirectional else 1
    h_size, c_size = proj_size or hidden_size, hidden_size  # what h (and each direction of out) and c carry
    if mistake == "projection ignored":
        h_size = hidden_size
    features = (1 if mistake == "no D in out" else d) * h_size  # out's last size
    layers = num_layers if mistake == "no D in the state" else d * num_layers
    if mistake == "projection in c":
        c_size = h_size
    if mistake == "input_size in the state":
        h_size = c_size = input_size
    if n is None and mistake != "unbatched keeps N":
        return (length, features), (layers, h_size), (layers, c_size)
    batch = 1 if n is None else n
    out = (batch, length, features) if batch_first else (length, batch, features)
    if mistake == "batch_first moves the state" and batch_first:
        return out, (batch, layers, h_size), (batch, layers, c_size)
    return out, (layers, batch, h_size), (layers, batch, c_size)


SHAPE_MISTAKES = {
    "no D in out": "out holds both directions side by side at every step: its last size is D·H_out",
    "no D in the state": "h_n and c_n hold one vector per layer and per direction: D·num_layers of them",
    "batch_first moves the state": (
        "batch_first changes the input and out only; h_n and c_n keep the batch in the middle"
    ),
    "projection ignored": "with proj_size = P, h (so h_n and each direction of out) has P features, not hidden_size",
    "projection in c": "the projection applies to h only: c_n keeps hidden_size features",
    "unbatched keeps N": "an unbatched input is (L, H_in) whatever batch_first says, and every output drops N",
    "input_size in the state": "the state lives in the layer's hidden space: H_out features, never input_size",
}


RECURRENT_FUNCTIONS = ("rnn_tanh", "rnn_relu", "gru", "lstm")  # what nn.RNN, nn.GRU and nn.LSTM call
RECURRENT_CELL_FUNCTIONS = tuple(f"{name}_cell" for name in RECURRENT_FUNCTIONS)  # and their cells


@_without(
    [(layer, "forward") for layer in (nn.RNN, nn.GRU, nn.LSTM, nn.RNNCell, nn.GRUCell, nn.LSTMCell)]
    + [(owner, name) for owner in (torch, torch._VF) for name in RECURRENT_FUNCTIONS + RECURRENT_CELL_FUNCTIONS],
    "predict the shapes: nn.RNN, nn.GRU, nn.LSTM and their functions cannot run while the checker runs your function",
    functions=[*RECURRENT_FUNCTIONS, *RECURRENT_CELL_FUNCTIONS],
)
@checker(
    hints=[
        "Start from the Summary's table, then apply the two last cases of the notebook: the projection and "
        "an unbatched sequence.",
        "D is 2 for a bidirectional layer. With proj_size = P > 0, H_out is P for h and out, and c keeps "
        "hidden_size. batch_first only swaps the first two sizes of out.",
        "The pitfall is the unbatched call (n is None): there is no batch dimension for batch_first to move, "
        "so it changes nothing, and every output and state simply loses N. With a projection, c_n is the one "
        "that ignores proj_size.",
    ]
)
def lstm_shapes_cases() -> list[Case]:
    """The shapes of out, h_n and c_n for an nn.LSTM call, batched or not, with or without a projection."""
    hint = "work out D and H_out first; then out is every step of the top layer, h_n and c_n every layer and direction"
    cases = []
    for sizes, words in [
        ((2, 6, 3, 4, 1, False, False, 0), "one layer, time first (the default)"),
        ((5, 7, 3, 4, 2, True, True, 0), "2 layers, bidirectional, batch_first=True"),
        ((2, 6, 3, 4, 2, False, True, 2), "a projection to 2 features, batch_first=True"),
        ((3, 5, 2, 6, 1, True, False, 3), "a projection to 3 features, bidirectional, time first"),
        ((None, 6, 3, 4, 2, True, True, 0), "one unbatched sequence, bidirectional, batch_first=True"),
        ((None, 1, 1, 8, 3, False, False, 5), "one unbatched sequence of one step, 3 layers, a projection"),
    ]:
        expected = lstm_shapes(*sizes)
        mistakes = {
            words_of_mistake: shapes_by_rule(*sizes, mistake=m) for m, words_of_mistake in SHAPE_MISTAKES.items()
        }
        cases.append(Case(words, sizes, expected, hint, mistakes=mistakes))
    return cases


# 2. The bidirectional summary of padded sequences, time first, from a padding mask ------------------------------


def packed_run(lengths: list[int], total: int, num_layers: int, hidden: int, seed: int) -> tuple[torch.Tensor, ...]:
    """A seeded bidirectional time-first LSTM run on packed sequences of `lengths`, `out` padded to `total` steps.

    Returns `out` (total, N, 2H), the padding mask (N, total), True at padded steps, and the top
    layer's summary `cat(h_n[-2], h_n[-1])` (N, 2H).
    """
    torch.manual_seed(seed)
    lstm = nn.LSTM(3, hidden, num_layers, bidirectional=True)
    x = torch.randn(max(lengths), len(lengths), 3)
    sizes = torch.tensor(lengths)
    with torch.no_grad():
        packed = nn.utils.rnn.pack_padded_sequence(x, sizes, enforce_sorted=False)
        out_packed, (h_n, _) = lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out_packed, total_length=total)
    padding_mask = torch.arange(total) >= sizes[:, None]  # (N, total)
    return out, padding_mask, torch.cat([h_n[-2], h_n[-1]], dim=1)


def summary_read_at(out: torch.Tensor, lengths: torch.Tensor, hidden: int, forward: str, backward: str) -> torch.Tensor:
    """From a time-first `out` (T, N, 2H), the two halves read at other steps ("last": step T - 1,
    "own": lengths - 1, "first": step 0, "padding count": the number of padded steps - 1), for the hints."""
    columns = torch.arange(out.shape[1])
    steps = {
        "last": torch.full_like(lengths, out.shape[0] - 1),
        "own": lengths - 1,
        "first": torch.zeros_like(lengths),
        "padding count": out.shape[0] - lengths - 1,
    }
    return torch.cat([out[steps[forward], columns, :hidden], out[steps[backward], columns, hidden:]], dim=1)


def _padding_in_the_forward_half(hidden: int) -> Callable[[Any], bool]:
    """A test for the usual mistake of reading the forward half where out holds padding: a row of zeros."""

    def test(got: Any) -> bool:
        return isinstance(got, torch.Tensor) and got.dim() == 2 and bool((got[:, :hidden] == 0).all(dim=1).any())

    return test


@checker(
    hints=[
        "First each sequence's length: padding_mask is True at padded steps, so its real steps are the False "
        "ones. Then: where does each direction of sequence i end, with packing?",
        "The forward direction ends after the sequence's own last step, lengths[i] - 1 (steps count from 0). "
        "At which step does packing start the backward direction, and so where does it end? out is time first: "
        "out[t, i] is sequence i at step t.",
        "The key tool is advanced indexing: a tensor of steps beside a tensor of sequence numbers picks one step "
        "per sequence (torch.gather along the steps does it too). The pitfalls: out[-1] is padding for every "
        "sequence shorter than T, and out[:, i] (not out[i]) is sequence i.",
    ]
)
def packed_summary_cases() -> list[Case]:
    """From a padded, time-first out (T, N, 2H) of packed sequences and a padding mask (N, T), True at padded
    steps -> cat(h_n[-2], h_n[-1]) (N, 2H)."""
    hint = (
        "out is time first (out[t, i] is sequence i at step t); each sequence has its own last step; "
        "the forward and the backward direction end at different steps"
    )
    cases = []
    for lengths, total, num_layers, hidden, words in [
        ([5, 3], 5, 1, 2, "2 sequences of 5 and 3 steps, one layer, H = 2"),
        ([2, 6, 4], 6, 1, 3, "3 sequences, not sorted by length"),
        ([4, 1, 3], 4, 2, 3, "2 stacked layers (out is the top layer), a sequence of one step"),
        ([3, 2], 6, 1, 2, "out padded to 6 steps, beyond the longest sequence"),
    ]:
        out, padding_mask, summary = packed_run(lengths, total, num_layers, hidden, seed=total + len(lengths))
        sizes = torch.tensor(lengths)
        wrong: dict[str, Any] = {
            "your forward half is padding (zeros): out beyond a sequence's own last step, lengths[i] - 1 (steps "
            "count from 0), holds zeros; the forward direction ends at that step": _padding_in_the_forward_half(hidden),
            "padding_mask is True at padded steps: a sequence's length is its number of False entries": (
                summary_read_at(out, sizes, hidden, "padding count", "first")
            ),
            "packing starts the backward direction at each sequence's own last step, not at the padding: "
            "where does it end, then?": (summary_read_at(out, sizes, hidden, "own", "own")),
            "the forward direction's final state is the first half of out, the backward one's the second": torch.cat(
                [out[sizes - 1, torch.arange(len(lengths)), hidden:], out[0, :, :hidden]], dim=1
            ),
        }
        cases.append(Case(words, (out, padding_mask, hidden), summary, hint, mistakes=wrong))
    return cases


# 3. One GRU step by hand ----------------------------------------------------------------------------------------


def gru_step(
    x_t: torch.Tensor,
    h: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor,
    bias_hh: torch.Tensor,
    *,
    mistake: str = "",
) -> torch.Tensor:
    """One GRU step from nn.GRU's stacked weights, or as one usual `mistake` computes it (for the hints)."""
    x_part, h_part = x_t @ weight_ih.T + bias_ih, h @ weight_hh.T + bias_hh
    order = (1, 0, 2) if mistake == "order z, r, n" else (0, 1, 2)
    x_r, x_z, x_n = (x_part.chunk(3, dim=1)[k] for k in order)
    h_r, h_z, h_n = (h_part.chunk(3, dim=1)[k] for k in order)
    r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
    if mistake == "reset before the product":  # r * h inside the product: arXiv 1406.1078v3, Keras reset_after=False
        n = torch.tanh(x_n + (r * h) @ weight_hh.chunk(3)[order[2]].T + bias_hh.chunk(3)[order[2]])
    elif mistake == "reset outside the bias":
        n = torch.tanh(x_n + r * (h_n - bias_hh.chunk(3)[order[2]]) + bias_hh.chunk(3)[order[2]])
    else:
        n = torch.tanh(x_n + r * h_n)
    if mistake == "z swapped":
        return z * n + (1 - z) * h
    return (1 - z) * n + z * h


GRU_MISTAKES = {
    "order z, r, n": "nn.GRU stacks its blocks in the order r, z, n (reset, update, new): the first H rows are r's",
    "z swapped": "in PyTorch's GRU, z keeps the old state: h_t = (1 - z) ⊙ n + z ⊙ h",
    "reset before the product": "PyTorch applies r after the product: r ⊙ (W_hn h + b_hn), not W_hn (r ⊙ h)",
    "reset outside the bias": "r multiplies the whole of (W_hn h + b_hn), bias included",
}


@_without(
    [(nn.GRU, "forward"), (nn.GRUCell, "forward"), (torch, "gru"), (torch, "gru_cell")]
    + [(torch._VF, "gru"), (torch._VF, "gru_cell")],
    "by hand: nn.GRU, nn.GRUCell, torch.gru and torch.gru_cell cannot run while the checker runs your function",
    functions=["gru", "gru_cell", "_thnn_fused_gru_cell"],
)
@checker(
    hints=[
        "The LSTM step of the notebook cut a (N, 4H) product into four blocks; here there are three, "
        "in the order r, z, n.",
        "Keep the input's part (x_t times weight_ih transposed, plus bias_ih) and the state's part (the same with "
        "h, weight_hh and bias_hh) apart: r and z use the sum of their blocks, but n multiplies the state's block "
        "by r first.",
        "The pitfalls: PyTorch applies r to the state's block with its bias, W_hn h + b_hn (r after the product, "
        "as the GRU paper's first arXiv version, 1406.1078v1, does), not to h before the product, as its v3 does; "
        "and z is the weight of the old h, not of n.",
    ]
)
def gru_step_cases() -> list[Case]:
    """One nn.GRU step from its stacked weights: x_t (N, H_in), h (N, H), weight_ih_l0, ... -> h_t (N, H)."""
    hint = "weight_ih_l0 stacks r, z, n; check n's equation: where r applies, and which bias it multiplies"
    cases = []
    for n, h_in, hidden, words in [  # H = 1 last: with one unit, W_hn (r ⊙ h) = r ⊙ (W_hn h), two mistakes agree
        # (the case drops both), so each is named on a case before it
        (2, 3, 4, "a batch of 2, H_in = 3, H = 4"),
        (4, 2, 5, "a batch of 4, H_in = 2, H = 5"),
        (1, 1, 1, "one sample, one feature, H = 1"),
    ]:
        torch.manual_seed(10 * n + hidden)
        gru = nn.GRU(h_in, hidden)
        with torch.no_grad():  # biases far from 0, so that a misplaced bias shows
            gru.bias_hh_l0.uniform_(-2, 2)
            gru.bias_ih_l0.uniform_(-2, 2)
        x_t, h = torch.randn(n, h_in), torch.randn(n, hidden)
        with torch.no_grad():
            _, h_t = gru(x_t.unsqueeze(0), h.unsqueeze(0))
            weights = tuple(
                p.detach().clone() for p in (gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0)
            )
        mistakes = {
            words_of_mistake: gru_step(x_t, h, *weights, mistake=m) for m, words_of_mistake in GRU_MISTAKES.items()
        }
        cases.append(Case(words, (x_t, h, *weights), h_t[0], hint, mistakes=mistakes))
    return cases
