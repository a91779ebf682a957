"""Notebook 07's exercises: scoring decoded sequences, the teacher-forcing shift, greedy decoding.

The greedy-decoding checker drives the learner's loop with a scripted stand-in for a model: a
next-token function whose rows write EOS at steps the checker chose. It checks every prefix it
is fed, so a loop that feeds a finished row anything but PAD, or keeps going once every row is
done, fails with a message that says so. Fast, deterministic, no training.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from seqtut.exercises.core import Case, checker
from seqtut.metrics import exact_match, token_accuracy

PAD, SOS, EOS = 0, 1, 2  # the package's special ids (`seqtut.tokens.Vocab`)
VOCAB_SIZE = 13  # specials + ten digits, ids 3..12


@checker
def exact_and_token_accuracy_cases() -> list[Case]:
    """Exact match and per-token accuracy of decoded sequences against their targets."""

    def case(description: str, decoded: list[list[int]], targets: list[list[int]], hint: str) -> Case:
        expected = (exact_match(decoded, targets), token_accuracy(decoded, targets))
        return Case(description, (decoded, targets), expected, hint)

    return [
        case("two sequences, both right", [[5, 6], [7]], [[5, 6], [7]], "every sequence right gives (1.0, 1.0)"),
        case(
            "one of two sequences has a wrong token",
            [[5, 6, 7], [8, 9]],
            [[5, 6, 7], [8, 4]],
            "exact match counts whole sequences; token accuracy counts positions over all targets",
        ),
        case(
            "a decoded sequence stopped one token early",
            [[5, 6], [8, 9, 10, 11]],
            [[5, 6, 7], [8, 9, 10, 11]],
            "a missing token is a wrong token: divide by the number of target tokens",
        ),
        case(
            "a decoded sequence runs on past its target",
            [[5, 6, 7, 7, 7], [8]],
            [[5, 6, 7], [8]],
            "extra tokens are not target tokens, but a sequence of the wrong length is not an exact match",
        ),
        case(
            "a short and a long target: tokens weigh equally, not sequences",
            [[9], [3, 4, 5, 6, 7, 8, 9, 10, 11]],
            [[5], [3, 4, 5, 6, 7, 8, 9, 10, 11]],
            "pool the tokens of every sequence before dividing, instead of averaging per-sequence accuracies",
        ),
    ]


def _shift(target: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The package's convention: `tgt` = SOS + target; the decoder reads `tgt[:, :-1]`, must output `tgt[:, 1:]`."""
    tgt = torch.cat([torch.full((len(target), 1), SOS, dtype=target.dtype), target], dim=1)
    return tgt[:, :-1], tgt[:, 1:]


@checker
def teacher_forcing_pair_cases() -> list[Case]:
    """Decoder input and expected output (N, T) from targets (N, T) that end with EOS and PAD."""

    def case(description: str, rows: list[list[int]], hint: str) -> Case:
        target = torch.tensor(rows)
        return Case(description, (target, SOS), _shift(target), hint)

    return [
        case(
            "one row: ids 8 9 10, then EOS", [[8, 9, 10, EOS]], "the decoder reads SOS first, and must write EOS last"
        ),
        case(
            "a batch of 3 rows of the same length",
            [[3, 4, 5, EOS], [6, 7, 8, EOS], [12, 11, 10, EOS]],
            "position t of the decoder input is the token just before position t of the expected output",
        ),
        case(
            "rows of different lengths, padded with PAD",
            [[3, 4, 5, 6, 7, EOS], [8, 9, EOS, PAD, PAD, PAD], [10, EOS, PAD, PAD, PAD, PAD]],
            "shift every row the same way, PAD included: the loss ignores PAD targets",
        ),
        case(
            "a row of one token, padded to the length of a row of two",
            [[4, EOS, PAD], [5, 6, EOS]],
            "both outputs keep the target's shape (N, T)",
        ),
    ]


StepFn = Callable[[torch.Tensor], torch.Tensor]


class ScriptedSteps:
    """A stand-in for a model: `step(prefix (N, t)) -> logits (N, V)` that write a fixed script per row.

    It raises, in words, when the prefix is not what a correct greedy loop would feed it.
    """

    def __init__(self, scripts: Sequence[Sequence[int]], max_len: int) -> None:
        self.scripts, self.max_len = [list(s) for s in scripts], max_len

    def __repr__(self) -> str:
        """What each row will write, up to its EOS: the checker prints this as the `step_fn` input."""
        names = {PAD: "PAD", SOS: "SOS", EOS: "EOS"}
        rows = []
        for row, script in enumerate(self.scripts):
            shown = script[: script.index(EOS) + 1] if EOS in script[: self.max_len] else script[: self.max_len]
            rows.append(f"row {row} writes {' '.join(names.get(i, str(i)) for i in shown)}")
        return f"a scripted model ({'; '.join(rows)})"

    def written(self, row: int, steps: int) -> list[int]:
        """What row `row` has written after `steps` steps: its script up to EOS, then PAD."""
        out: list[int] = []
        for step in range(steps):
            out.append(PAD if EOS in out else self.scripts[row][step])
        return out

    def __call__(self, prefix: torch.Tensor) -> torch.Tensor:
        if not isinstance(prefix, torch.Tensor) or prefix.ndim != 2 or prefix.shape[0] != len(self.scripts):
            raise ValueError(f"step_fn: expected a prefix tensor ({len(self.scripts)}, t), got {prefix!r}")
        steps = prefix.shape[1] - 1
        if steps >= self.max_len:
            raise ValueError(f"step_fn: called for new token {steps + 1}, more than max_len={self.max_len}")
        if steps and all(EOS in self.written(row, steps) for row in range(len(self.scripts))):
            raise ValueError(f"step_fn: called again after every row had written EOS (prefix of {steps + 1} ids)")
        for row in range(len(self.scripts)):
            fed = [int(i) for i in prefix[row].tolist()]
            wanted = [SOS, *self.written(row, steps)]
            if fed != wanted:
                reason = "a finished row is fed PAD" if EOS in wanted[:-1] else "the prefix starts with SOS"
                raise ValueError(f"step_fn: row {row} was fed {fed}, expected {wanted} ({reason})")
        logits = torch.zeros(len(self.scripts), VOCAB_SIZE)
        for row, script in enumerate(self.scripts):
            logits[row, script[steps]] = 1.0
        return logits


def _greedy_reference(scripts: Sequence[Sequence[int]], max_len: int) -> list[list[int]]:
    """What each row writes before its EOS, at most `max_len` tokens."""
    return [list(s[: s.index(EOS)]) if EOS in s[:max_len] else list(s[:max_len]) for s in scripts]


@checker
def greedy_decode_cases() -> list[Case]:
    """Greedy decoding of a batch that stops each row at its own EOS, and the loop once every row is done."""

    def case(description: str, scripts: list[list[int]], max_len: int, hint: str) -> Case:
        steps = ScriptedSteps(scripts, max_len)
        args = (steps, len(scripts), SOS, EOS, PAD, max_len)
        return Case(description, args, _greedy_reference(scripts, max_len), hint)

    return [
        case(
            "one row that writes EOS at step 4",
            [[5, 6, 7, EOS, 8, 9]],
            6,
            "return the tokens before EOS, without SOS and without EOS itself",
        ),
        case(
            "3 rows that write EOS at steps 2, 4 and 3",
            [[5, EOS, 9, 9, 9], [6, 7, 8, EOS, 9], [10, 11, EOS, 9, 9]],
            5,
            "each row stops at its own EOS; the loop goes on while some row has not written it",
        ),
        case(
            "a row that never writes EOS, beside one that does",
            [[4, 4, 4, 4, 4, 4, 4], [8, EOS, 9, 9, 9, 9, 9]],
            4,
            "max_len caps the number of new tokens for a row that never writes EOS",
        ),
        case(
            "a row whose very first token is EOS",
            [[EOS, 5, 5, 5], [3, 4, EOS, 5]],
            4,
            "a row that writes EOS first decodes to an empty list",
        ),
        case(
            "every row done long before max_len",
            [[7, EOS] + [9] * 48, [EOS] + [9] * 49],
            50,
            "stop calling the model once every row has written EOS",
        ),
    ]
