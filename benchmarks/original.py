"""Re-implementation of the original Kaggle tutorial's four training pipelines, for benchmarking.

The original ("De la teoría a la práctica: LSTM y Transformers en PyTorch") trains on the series
0..999 with these settings, reproduced here as written, bugs included:

- LSTMs: hidden 256, 2 layers, Adam lr 1e-3, MSE on raw values (no scaling), DataLoader with
  ``shuffle=True, num_workers=4``, everything on the CPU.
  1. many-to-one: window 5 -> next value, batch 4, 50 epochs; the head reads the last time step.
  2. many-to-many: window 50 -> next 5, batch 8, 50 epochs; the head reads time step -5 (a bug).
  3. sequence generation: window 50 -> the same window shifted by 5, batch 8, 100 epochs; a
     1-output head applied with a Python loop over the batch.
- Transformer: numbers as tokens (0..999, SOS=1001, EOS=1002, embedding size 1003), source = 48
  numbers from i, target = 48 numbers from i+5, both wrapped in SOS/EOS; ``nn.Transformer``
  with d_model 32, 2 heads, 3 encoder + 3 decoder layers, feedforward 256, no positional
  encoding; batch 8, 25 epochs, Adam 1e-3, cross-entropy, teacher forcing with a causal mask.
  Its ``predict`` decodes greedily from SOS for up to 50 steps and stops at EOS.

The original's window counts follow its ``__len__``, which counts its targets; its target loops stop one
window short, so it never yields the last valid window in every section but many-to-one (995, 945, 945
and 947 windows).

Evaluation. The original has no split: it trains on every window its ``__len__`` yields, and so does
this module. To compare with seqtut, the LSTM sections also report MAE in original units on the
windows lying wholly in the last 20 % of the series (values 800..999), the windows seqtut holds out.
The original saw those windows during training (all but the last, in the sections whose ``__len__``
drops it), so for it this figure is in-sample. The Transformer is scored as the original's `predict`
would decode (that cell never ran; as written it decodes one trained window greedily and computes
no score): greedy decoding on
trained start points (50 drawn with a fixed seed), reporting exact match (the decoded sequence, EOS
included, is right) and, in ``final_details``, greedy per-token and teacher-forced token accuracy.

Run ``python -m benchmarks.original --quick`` for a smoke test, or with ``--section``/``--epochs``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

SERIES_LENGTH = 1000
TEST_FIRST_VALUE = 800  # the last 20 % of 0..999, chronologically
SOS_TOKEN, EOS_TOKEN = 1001, 1002
VOCAB_SIZE = 1003
HIDDEN_SIZE, NUM_LAYERS = 256, 2
LEARNING_RATE = 1e-3
NUM_WORKERS = 4
GREEDY_MAX_LENGTH = 50
EXACT_MATCH_STARTS = 50
PROBE_START = 45  # the original's fixed demo window in many-to-many
MANY_TO_ONE_PROBE = list(range(10, 18))  # the original feeds 8 steps to a 5-step model


@dataclass(frozen=True)
class SectionSpec:
    """One pipeline's data layout and schedule, as in the original."""

    window: int
    target_offset: int  # target starts at series[i + target_offset]
    target_length: int
    num_windows: int
    batch_size: int
    epochs: int


SECTIONS: dict[str, SectionSpec] = {
    "many-to-one": SectionSpec(5, 5, 1, 995, batch_size=4, epochs=50),
    "many-to-many": SectionSpec(50, 50, 5, 945, batch_size=8, epochs=50),
    "sequence-generation": SectionSpec(50, 5, 50, 945, batch_size=8, epochs=100),
    "transformer": SectionSpec(48, 5, 48, 947, batch_size=8, epochs=25),
}


def make_windows(spec: SectionSpec, starts: range) -> tuple[np.ndarray, np.ndarray]:
    """Input and target windows of the series 0..999 for the given start indices."""
    series = np.arange(SERIES_LENGTH)
    inputs = np.stack([series[i : i + spec.window] for i in starts])
    first = spec.target_offset
    targets = np.stack([series[i + first : i + first + spec.target_length] for i in starts])
    return inputs, targets


def wrap_tokens(numbers: torch.Tensor) -> torch.Tensor:
    """Numbers (..., n) as a token sequence (..., n + 2) wrapped in SOS and EOS."""
    shape = (*numbers.shape[:-1], 1)
    sos = torch.full(shape, SOS_TOKEN, dtype=torch.long)
    eos = torch.full(shape, EOS_TOKEN, dtype=torch.long)
    return torch.cat((sos, numbers.long(), eos), dim=-1)


class WindowDataset(Dataset):
    """The original's dataset: numpy windows turned into tensors one item at a time."""

    def __init__(self, spec: SectionSpec, as_tokens: bool) -> None:
        self.inputs, self.targets = make_windows(spec, range(spec.num_windows))
        if spec.target_length == 1:
            self.targets = self.targets[:, 0]
        self.as_tokens = as_tokens

    def __len__(self) -> int:
        return len(self.inputs)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        inputs = torch.tensor(self.inputs[index], dtype=torch.float32)
        targets = torch.tensor(self.targets[index], dtype=torch.float32)
        if self.as_tokens:
            return wrap_tokens(inputs), wrap_tokens(targets)
        return inputs, targets


class ManyToOneLSTM(nn.Module):
    """LSTM whose linear head reads the last time step: (B, T, 1) -> (B, 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.lstm = nn.LSTM(1, HIDDEN_SIZE, NUM_LAYERS, batch_first=True)
        self.fc = nn.Linear(HIDDEN_SIZE, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])


class ManyToManyLSTM(nn.Module):
    """LSTM whose head reads time step -future (the original's bug): (B, T, 1) -> (B, future)."""

    def __init__(self, future: int = 5) -> None:
        super().__init__()
        self.future = future
        self.lstm = nn.LSTM(1, HIDDEN_SIZE, NUM_LAYERS, batch_first=True)
        self.fc = nn.Linear(HIDDEN_SIZE, future)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(x)
        return self.fc(out[:, -self.future, :])


class SequenceLSTM(nn.Module):
    """LSTM with a 1-output head applied sample by sample: (B, T, 1) -> (B, T)."""

    def __init__(self) -> None:
        super().__init__()
        self.lstm = nn.LSTM(1, HIDDEN_SIZE, NUM_LAYERS, batch_first=True)
        self.fc = nn.Linear(HIDDEN_SIZE, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(x)
        result = torch.zeros(out.shape[0], out.shape[1])
        for sample in range(out.shape[0]):
            result[sample] = self.fc(out[sample]).view(-1)
        return result


def causal_mask(size: int) -> torch.Tensor:
    """Float mask: 0 on and below the diagonal, -inf above."""
    return torch.triu(torch.full((size, size), float("-inf")), diagonal=1)


class TokenTransformer(nn.Module):
    """The original's seq2seq Transformer: shared embedding, no positional encoding."""

    def __init__(self) -> None:
        super().__init__()
        self.embedding = nn.Embedding(VOCAB_SIZE, 32)
        self.transformer = nn.Transformer(
            d_model=32,
            nhead=2,
            num_encoder_layers=3,
            num_decoder_layers=3,
            dim_feedforward=256,
            batch_first=True,
        )
        self.fc = nn.Linear(32, VOCAB_SIZE)

    def forward(self, source: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Logits (B, T_target, VOCAB_SIZE), teacher-forced under a causal mask."""
        mask = causal_mask(target.shape[1])
        out = self.transformer(self.embedding(source), self.embedding(target), tgt_mask=mask)
        return self.fc(out)


def greedy_decode(model: TokenTransformer, sources: torch.Tensor) -> list[list[int]]:
    """The original's ``predict`` for a batch of token sources (B, T): tokens after SOS, up to EOS.

    Decoding the batch together equals decoding each sequence alone: the causal mask keeps tokens
    after a sequence's EOS from influencing it, and they are cut off here.
    """
    decoded = torch.full((sources.shape[0], 1), SOS_TOKEN, dtype=torch.long)
    for _ in range(GREEDY_MAX_LENGTH):
        next_tokens = model(sources, decoded)[:, -1, :].argmax(dim=-1, keepdim=True)
        decoded = torch.cat((decoded, next_tokens), dim=1)
        if bool((decoded == EOS_TOKEN).any(dim=1).all()):
            break
    sequences = []
    for row in decoded[:, 1:].tolist():
        sequences.append(row[: row.index(EOS_TOKEN) + 1] if EOS_TOKEN in row else row)
    return sequences


def predict(model: TokenTransformer, numbers: list[int]) -> list[int]:
    """Greedy decoding of one number sequence, returned as the original does: SOS ... EOS."""
    model.eval()
    with torch.no_grad():
        source = wrap_tokens(torch.tensor([numbers]))
        return [SOS_TOKEN, *greedy_decode(model, source)[0]]


def exact_match_starts(seed: int = 0) -> list[int]:
    """The fixed sample of trained start points that the Transformer is scored on."""
    num_windows = SECTIONS["transformer"].num_windows
    return sorted(random.Random(seed).sample(range(num_windows), EXACT_MATCH_STARTS))


def heldout_starts(spec: SectionSpec) -> range:
    """Starts of the windows whose inputs and targets all lie in 800..999."""
    last_value = spec.target_offset + spec.target_length - 1
    return range(TEST_FIRST_VALUE, SERIES_LENGTH - last_value)


def evaluate_lstm(model: nn.Module, spec: SectionSpec) -> dict[str, float]:
    """MAE in original units over all predicted steps of the test windows, and at step one."""
    inputs, targets = make_windows(spec, heldout_starts(spec))
    with torch.no_grad():
        predictions = model(torch.tensor(inputs, dtype=torch.float32).unsqueeze(-1))
    errors = (predictions.view(len(targets), -1) - torch.tensor(targets)).abs()
    return {"mae": errors.mean().item(), "mae_first_step": errors[:, 0].mean().item()}


def evaluate_transformer(model: TokenTransformer) -> dict[str, float]:
    """Greedy exact match and per-token accuracy, and teacher-forced accuracy, on trained starts."""
    inputs, targets = make_windows(SECTIONS["transformer"], exact_match_starts())
    sources, expected = (
        wrap_tokens(torch.tensor(inputs)),
        wrap_tokens(torch.tensor(targets)),
    )
    with torch.no_grad():
        decoded = greedy_decode(model, sources)
        forced = model(sources, expected[:, :-1]).argmax(dim=-1)
    wanted = expected[:, 1:].tolist()  # 48 numbers then EOS
    numbers = len(wanted[0]) - 1
    padded = [(row + [-1] * numbers)[:numbers] for row in decoded]
    return {
        "exact_match": float(np.mean([row == want for row, want in zip(decoded, wanted)])),
        "greedy_token_accuracy": float(np.mean(np.array(padded) == np.array(wanted)[:, :-1])),
        "teacher_forced_accuracy": (forced == expected[:, 1:]).float().mean().item(),
    }


def evaluate(section: str, model: nn.Module) -> dict[str, float]:
    """The section's built-in evaluation; its headline metric comes first."""
    if section == "transformer":
        return evaluate_transformer(model)
    return evaluate_lstm(model, SECTIONS[section])


def build_model(section: str) -> nn.Module:
    """A fresh model for the section."""
    builders: dict[str, Callable[[], nn.Module]] = {
        "many-to-one": ManyToOneLSTM,
        "many-to-many": ManyToManyLSTM,
        "sequence-generation": SequenceLSTM,
        "transformer": TokenTransformer,
    }
    return builders[section]()


def batch_loss(section: str, model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The original's training loss for one batch."""
    if section == "transformer":
        logits = model(inputs, targets[:, :-1])
        return nn.functional.cross_entropy(logits.permute(0, 2, 1), targets[:, 1:])
    predictions = model(inputs.unsqueeze(-1))
    return nn.functional.mse_loss(predictions.view(targets.shape), targets)


def probe(section: str, model: nn.Module) -> float | list[float] | list[int]:
    """The original's demo prediction: 10..17 for many-to-one, else the window from 45."""
    model.eval()
    if section == "transformer":
        return predict(model, list(range(PROBE_START, PROBE_START + 48)))
    numbers = MANY_TO_ONE_PROBE if section == "many-to-one" else range(PROBE_START, 95)
    with torch.no_grad():
        output = model(torch.tensor(list(numbers), dtype=torch.float32).view(1, -1, 1))
    values = output.view(-1).tolist()
    return values[0] if section == "many-to-one" else values


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and torch."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train_original(
    section: str,
    *,
    epochs: int | None = None,
    eval_every: int = 1,
    eval_fn: Callable[[nn.Module], float] | None = None,
    seed: int = 0,
) -> dict:
    """Train one section with the original's settings and evaluate every ``eval_every`` epochs.

    ``eval_fn(model) -> float`` replaces the built-in headline metric (called in eval mode, without
    gradients); the final epoch is always evaluated. ``seconds_per_epoch`` excludes evaluation.
    """
    spec = SECTIONS[section]
    num_epochs = spec.epochs if epochs is None else epochs
    seed_everything(seed)
    dataset = WindowDataset(spec, as_tokens=section == "transformer")
    loader = DataLoader(dataset, batch_size=spec.batch_size, shuffle=True, num_workers=NUM_WORKERS)
    model = build_model(section)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)

    def headline_metric() -> float:
        model.eval()
        with torch.no_grad():
            if eval_fn is not None:
                return float(eval_fn(model))
            return next(iter(evaluate(section, model).values()))

    seconds_per_epoch: list[float] = []
    metric_history: list[tuple[int, float, float]] = []
    epoch_losses: list[float] = []
    for epoch in range(1, num_epochs + 1):
        model.train()
        started = time.perf_counter()
        epoch_losses = []
        for inputs, targets in loader:
            optimizer.zero_grad()
            loss = batch_loss(section, model, inputs, targets)
            loss.backward()
            optimizer.step()
            epoch_losses.append(loss.item())
        seconds_per_epoch.append(time.perf_counter() - started)
        if epoch % eval_every == 0 or epoch == num_epochs:
            metric_history.append((epoch, sum(seconds_per_epoch), headline_metric()))

    model.eval()
    return {
        "section": section,
        "metric_name": f"greedy exact match on {EXACT_MATCH_STARTS} seeded trained starts"
        if section == "transformer"
        else "MAE on windows in 800..999 (in-sample)",
        "seconds_per_epoch": seconds_per_epoch,
        "metric_history": metric_history,
        "final_metric": metric_history[-1][2],
        "final_train_loss": float(np.mean(epoch_losses)),
        "final_details": evaluate(section, model),
        "probe": probe(section, model),
        "model": model,
    }


def describe_probe(section: str, value: float | list[float] | list[int]) -> str:
    """A short text for the probe column."""
    if section == "many-to-one":
        return f"10..17 -> {value:.2f}"
    if section == "transformer":
        tokens = value[1:]  # after SOS
        end = "then EOS" if tokens and tokens[-1] == EOS_TOKEN else f"no EOS within {len(tokens)} steps"
        return f"45..92 -> {tokens[:3]}..{tokens[-2:]} ({len(tokens)} tokens, {end}; right: 50..97 then EOS)"
    return f"45..94 -> {value[0]:.1f}, {value[1]:.1f} .. {value[-1]:.1f}"


def main() -> None:
    """Run the chosen sections and print a compact table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", choices=[*SECTIONS, "all"], default="all")
    parser.add_argument("--epochs", type=int, default=None, help="override every section's count")
    parser.add_argument("--quick", action="store_true", help="2 epochs each (smoke test)")
    parser.add_argument("--eval-every", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore", message="This DataLoader will create")  # 4 workers, 2 cores
    epochs = 2 if args.quick else args.epochs
    sections = list(SECTIONS) if args.section == "all" else [args.section]

    header = f"{'section':<20} {'ep':>3} {'s/epoch':>7} {'loss':>9} {'metric':>8}  details | probe"
    print(header)
    for section in sections:
        result = train_original(section, epochs=epochs, eval_every=args.eval_every, seed=args.seed)
        details = " ".join(f"{k}={v:.3g}" for k, v in result["final_details"].items())
        print(
            f"{section:<20} {len(result['seconds_per_epoch']):>3}"
            f" {statistics.median(result['seconds_per_epoch']):>7.2f}"
            f" {result['final_train_loss']:>9.4g} {result['final_metric']:>8.4g}"
            f"  {details} | {describe_probe(section, result['probe'])}",
            flush=True,
        )


if __name__ == "__main__":
    main()
