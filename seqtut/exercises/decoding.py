"""Notebook 07's exercises: exact match on rows as written, the reversal task's teacher-forcing pair, and
greedy decoding that stops feeding finished rows.

Each is a variation the notebook does not display. Exact match is scored on the raw rows
(`greedy_decode(..., raw=True)`), where `vocab.decode` would strip a PAD written before EOS. The
teacher-forcing pair is built from the reversal task's digits with special ids the checker
moves, so `Seq2SeqDataset`'s rows, whose ids are fixed, must be remapped to be used. The greedy loop
feeds the model only the rows still going, where `greedy_decode` feeds a finished row PAD; one
case moves SOS and EOS, so a loop with the package's ids typed in fails.

The greedy-decoding checker drives the learner's loop with `ScriptedSteps`, a stand-in for a
model whose rows write EOS at steps the checker chose. It checks every call: which rows are fed
(every row still going, and only those, so a loop that calls it once per row fails), what each
was fed (long tensors, as the exercise asks: `nn.Embedding` takes int64 or int32 ids), and that
the loop stops once every row is done or `max_len` tokens are written. It records every complaint
before raising it, so a loop that catches the stand-in's errors and goes on still fails, and it
counts its calls, so a loop that calls it more than once per new token fails too. Fast, deterministic, no training.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from seqtut.exercises.core import Case, Refused, any_of, checker, same

NOTEBOOK = "07_sos_eos_decoding"

PAD, SOS, EOS = 0, 1, 2  # the package's special ids (`seqtut.tokens.Vocab`)
OFFSET = 3  # digit d has id d + 3: ids 0, 1, 2 are the specials
VOCAB_SIZE = 13  # specials + ten digits, ids 3..12


def _is_exact(row: Sequence[int], target: Sequence[int], eos_id: int) -> bool:
    """The row wrote EOS, and what it wrote before its first EOS is the target."""
    return eos_id in row and list(row[: list(row).index(eos_id)]) == list(target)


# 1. Exact match on rows as written ------------------------------------------------------------------------------


def _as_number(got: Any) -> Any:
    """A 0-d tensor as the Python number it holds (the exercise accepts one for the fraction); anything else as is."""
    if isinstance(got, torch.Tensor) and got.dim() == 0 and got.dtype != torch.bool and not got.is_complex():
        return got.item()
    return got


def _fraction_matches(expected: Any, got: Any) -> str | None:
    """`same` on the fraction, a Python float or a 0-d tensor holding it."""
    return same(expected, _as_number(got))


def _fraction_is(*values: float) -> Callable[[Any], bool]:
    """A test `answer -> bool` for a usual mistake: the answer, a float or a 0-d tensor, is one of `values`."""
    return any_of(values, read=_as_number)


def _scored(rule: Callable[[list[int], list[int]], bool], written: list[list[int]], targets: list[list[int]]) -> float:
    """The fraction of rows that `rule(row, target)` accepts (the usual mistakes are rules too)."""
    return sum(bool(rule(row, target)) for row, target in zip(written, targets, strict=True)) / len(targets)


@checker(
    hints=[
        "a row is right when two things hold: it wrote EOS, and the ids before its first EOS are its target's",
        "where a row's first EOS stands tells you which of its ids count; a row with no EOS is wrong whatever its ids",
        "pitfall: dropping PAD (or SOS) before the comparison, as vocab.decode does, scores right a row that wrote "
        "PAD where a token belongs; `list.index` finds a first occurrence",
    ]
)
def exact_match_raw_cases() -> list[Case]:
    """Exact match of rows as written (EOS and PAD kept): the fraction that wrote their target, then EOS.

    Within a case every row of `written` has one length, as `greedy_decode(..., raw=True)` returns them
    (`torch.tensor(written)` works); unlike its rows, one case's row goes on after its first EOS.
    """

    def case(description: str, written: list[list[int]], targets: list[list[int]], eos_id: int, hint: str) -> Case:
        def stripped(row: list[int], target: list[int]) -> bool:  # vocab.decode's cut: PAD and SOS dropped
            return eos_id in row and [i for i in row[: row.index(eos_id)] if i not in (PAD, SOS)] == target

        def cut_at(ends: tuple[int, ...]) -> Callable[[list[int], list[int]], bool]:  # the row ends at any of `ends`
            return lambda r, t: eos_id in r and r[: next(k for k, i in enumerate(r) if i in ends)] == t

        mistakes: dict[str, Any] = {
            "drop nothing before EOS: a row that wrote PAD or SOS where a token belongs is wrong, although "
            "vocab.decode would strip it": _scored(stripped, written, targets),
            "a row that never wrote EOS did not decide where to end (max_len stopped it): it is wrong, even "
            "when its ids are the target's": _scored(
                lambda r, t: _is_exact(r, t, eos_id) or (eos_id not in r and r == t), written, targets
            ),
            "the first EOS ends the row: compare what comes before it, nothing after": _scored(
                lambda r, t: eos_id in r and [i for i in r if i not in (eos_id, PAD)] == t, written, targets
            ),
            "use eos_id, the id this case gives EOS, not a fixed 2": _scored(
                lambda r, t: _is_exact(r, t, EOS), written, targets
            ),
            "only EOS ends a row: a PAD or SOS before it is a token the row wrote, and makes the row wrong": (
                _scored(cut_at((PAD, eos_id)), written, targets),
                _scored(cut_at((PAD, SOS, eos_id)), written, targets),
            ),
        }
        expected = _scored(lambda r, t: _is_exact(r, t, eos_id), written, targets)
        mistakes = {  # a 0-d tensor answer too
            hint: _fraction_is(*value) if isinstance(value, tuple) else _fraction_is(value)
            for hint, value in mistakes.items()
        }
        return Case(
            description, (written, targets, eos_id), expected, hint, compare=_fraction_matches, mistakes=mistakes
        )

    return [
        case("two rows, both right, then PAD", [[5, 6, EOS, PAD], [7, EOS, PAD, PAD]], [[5, 6], [7]], EOS, ""),
        case(
            "one of two rows has a wrong id",
            [[5, 6, 7, EOS], [8, 9, EOS, PAD]],
            [[5, 6, 7], [8, 4]],
            EOS,
            "a row is right only when every id before its EOS is the target's",
        ),
        case(
            "a row stops one id early, another writes one too many",
            [[5, 6, EOS, PAD, PAD], [8, 9, 10, 11, EOS], [4, EOS, PAD, PAD, PAD]],
            [[5, 6, 7], [8, 9, 10], [4]],
            EOS,
            "the length counts: the row must write EOS right after its target's last id",
        ),
        case(  # the third row: a PAD stripped, and the whole row compared, no longer give one score
            "a row wrote PAD before its EOS; another goes on after its EOS, right",
            [[5, PAD, 6, EOS], [3, 4, EOS, PAD], [8, EOS, 8, PAD]],
            [[5, 6], [3, 4], [8]],
            EOS,
            "compare the ids before EOS as written",
        ),
        case(
            "a row wrote SOS before its EOS",
            [[5, SOS, 6, EOS], [3, 4, EOS, PAD]],
            [[5, 6], [3, 4]],
            EOS,
            "compare the ids before EOS as written: SOS there is wrong too",
        ),
        case(  # cut at the first PAD or EOS, the first row scores right; at SOS too, the third: the cuts' scores are
            # the stripped rows' and the whole rows', so all four hints are dropped and each gets the case's
            "a row wrote PAD after its target's ids, another SOS, each before its EOS",
            [[5, 6, PAD, EOS], [3, 4, EOS, PAD], [7, 8, SOS, EOS]],
            [[5, 6], [3, 4], [7, 8]],
            EOS,
            "only EOS ends a row: a PAD or SOS written after the target's ids, before EOS, makes the row wrong",
        ),
        case(
            "a row never wrote EOS (max_len stopped it), its ids the target's",
            [[5, 6, 7], [8, EOS, PAD]],
            [[5, 6, 7], [8]],
            EOS,
            "a right row wrote EOS",
        ),
        case(
            "a row goes on after its first EOS",
            [[5, 6, EOS, 9, EOS], [4, 4, EOS, PAD, PAD]],
            [[5, 6], [4, 4]],
            EOS,
            "only what comes before the first EOS counts",
        ),
        case("an empty target: the row writes EOS first", [[EOS, PAD], [3, EOS]], [[], []], EOS, ""),
        case(
            "another vocabulary: EOS is id 12, and ids 1 and 2 are tokens",
            [[2, 4, 12, PAD], [2, 12, PAD, PAD], [1, 5, 12, PAD]],
            [[2, 4], [2, 5], [1, 5]],
            12,
            "use eos_id; here ids 1 and 2 are tokens like any other",
        ),
    ]


# 2. The teacher-forcing pair of the reversal task --------------------------------------------------------------


def reversal_rows(
    sources: list[list[int]], pad_id: int, sos_id: int, eos_id: int, *, reverse: bool = True, offset: int = OFFSET
) -> torch.Tensor:
    """(N, longest + 2) ids: SOS, each source's digits reversed as ids, EOS, then PAD at the end."""
    longest = max(len(s) for s in sources)
    rows = []
    for source in sources:
        digits = source[::-1] if reverse else source
        rows.append([sos_id, *(d + offset for d in digits), eos_id] + [pad_id] * (longest - len(source)))
    return torch.tensor(rows)


def reversal_pair(sources: list[list[int]], pad_id: int, sos_id: int, eos_id: int, **kwargs: Any) -> tuple:
    """(decoder input, expected output), (N, longest + 1) each: `reversal_rows` without its last, its first column."""
    full = reversal_rows(sources, pad_id, sos_id, eos_id, **kwargs)
    return full[:, :-1], full[:, 1:]


def _left_padded(sources: list[list[int]], pad_id: int, sos_id: int, eos_id: int) -> tuple:
    """The usual mistake of PAD at the start of the rows."""
    longest = max(len(s) for s in sources)
    rows = [[pad_id] * (longest - len(s)) + [sos_id, *(d + OFFSET for d in s[::-1]), eos_id] for s in sources]
    full = torch.tensor(rows)
    return full[:, :-1], full[:, 1:]


@checker(
    hints=[
        "first build each whole target row as the decoder sees it in training: SOS, the reversed digits as ids, "
        "EOS, then PAD up to the longest row",
        "those rows have L + 2 columns, L the longest source's length; at each position the decoder must output "
        "the id that follows the one it reads",
        "pitfalls: digit d is id d + 3 whatever the special ids are; the specials come from the arguments, never "
        "from Vocab; PAD goes at the end, so the input starts with SOS",
    ]
)
def reversal_pair_cases() -> list[Case]:
    """The reversal task's (decoder input, expected output), (N, L + 1) each, L the longest source's length."""

    def case(description: str, sources: list[list[int]], specials: tuple[int, int, int], hint: str) -> Case:
        pad_id, sos_id, eos_id = specials
        args = (sources, pad_id, sos_id, eos_id)
        longest = max(len(s) for s in sources)
        mistakes: dict[str, Any] = {
            "return torch tensors: a numpy array will not go into nn.Embedding or F.cross_entropy": lambda got: (
                isinstance(got, tuple | list) and any(isinstance(t, np.ndarray) for t in got)
            ),
            "return long tensors (int64): F.cross_entropy wants long targets": lambda got: (
                isinstance(got, tuple | list)
                and any(isinstance(t, torch.Tensor) and t.dtype in _SHORT_INTEGERS for t in got)
            ),
            "each target is its source reversed: for a source of n digits, output i is its digit n - 1 - i": (
                reversal_pair(*args, reverse=False)
            ),
            "digit d has id d + 3: ids 0, 1 and 2 belong to the specials": reversal_pair(*args, offset=0),
            "pad at the end of each row (right padding), as Vocab.pad does": _left_padded(*args),
            "the decoder reads SOS first and must output the next id at each position: the input is the row "
            "without its last id, the output the row without its first": any_of(_unshifted(*args)),
            "use the special ids given (pad_id, sos_id, eos_id): one case moves them": reversal_pair(
                sources, PAD, SOS, EOS
            ),
            "both tensors have L + 1 columns, L the longest source's length: the whole row (SOS, digits, EOS, "
            "PAD) has L + 2, and each half drops one": lambda got: (
                _widths(got) not in (None, (longest + 1, longest + 1))
            ),
        }
        return Case(description, args, reversal_pair(*args), hint, compare=_long_pair, mistakes=mistakes)

    return [
        case("one string: 3 1 4", [[3, 1, 4]], (PAD, SOS, EOS), "the decoder reads SOS, then the reversed digits"),
        case(
            "3 strings of the same length, with the digit 0 (id 3, not PAD)",
            [[0, 1, 2], [9, 8, 7], [5, 0, 5]],
            (PAD, SOS, EOS),
            "digit 0 is id 3",
        ),
        case(
            "strings of lengths 4, 1 and 2, padded to the longest",
            [[1, 2, 3, 4], [7], [6, 0]],
            (PAD, SOS, EOS),
            "a shorter row reads its own EOS, then PAD, and must output PAD there: the padded row shifted, as "
            "teacher_forcing_loss reads it (a convention: reading PAD in place of that EOS gives the same loss, "
            "which ignores PAD targets)",
        ),
        case("one string of one digit", [[8]], (PAD, SOS, EOS), "SOS, the digit, EOS: two columns in each tensor"),
        case(
            "the specials moved: PAD 2, SOS 0, EOS 1",
            [[4, 2], [9, 9, 1]],
            (2, 0, 1),
            "use pad_id, sos_id and eos_id as given",
        ),
    ]


_SHORT_INTEGERS = (torch.int32, torch.int16, torch.int8, torch.uint8)


def _long_pair(expected: Any, got: Any) -> str | None:
    """`same`, on torch tensors only, both long (int64): `F.cross_entropy` refuses other integer targets."""
    if isinstance(got, tuple | list) and not all(isinstance(t, torch.Tensor) for t in got):
        return f"expected two torch tensors, got {', '.join(type(t).__name__ for t in got)}"
    problem = same(expected, got)
    if problem is None and any(isinstance(t, torch.Tensor) and t.dtype != torch.long for t in got):
        dtypes = ", ".join(str(t.dtype).removeprefix("torch.") for t in got)
        return f"expected long tensors (int64), as the loss needs its targets, got dtypes {dtypes}"
    return problem


def _unshifted(sources: list[list[int]], pad_id: int, sos_id: int, eos_id: int) -> list[tuple]:
    """The usual shift mistakes: no shift either way, the halves swapped, the input without its SOS."""
    full = reversal_rows(sources, pad_id, sos_id, eos_id)
    first, last = full[:, :-1], full[:, 1:]
    return [(first, first), (last, last), (last, first)]


def _widths(got: Any) -> tuple[int, int] | None:
    """The number of columns of a pair of 2-D tensors, or None when `got` is not one."""
    if (
        isinstance(got, tuple | list)
        and len(got) == 2
        and all(isinstance(t, torch.Tensor) and t.dim() == 2 for t in got)
    ):
        return got[0].shape[1], got[1].shape[1]
    return None


# 3. Greedy decoding that stops feeding finished rows -----------------------------------------------------------


class WrongInput(Refused, ValueError):
    """`ScriptedSteps`' complaint about the form of its input (a dtype, not a tensor): no case's hint is about it."""


class ScriptedSteps:
    """A stand-in for a model: `step(prefix (n, t), rows (n,)) -> scores (n, V)` that writes a fixed script per row.

    `rows` names the batch rows the prefix rows belong to. It records, then raises in words, whatever
    a correct loop would not do: feed a finished row, leave out a row still going, feed a wrong
    prefix, or call it after every row is done or `max_len` tokens are written. A complaint about
    the form of its input (not a tensor, not long) is a `WrongInput`, whose hint is the problem line.
    """

    def __init__(self, scripts: Sequence[Sequence[int]], max_len: int, *, sos_id: int = SOS, eos_id: int = EOS) -> None:
        self.scripts, self.max_len = [list(s) for s in scripts], max_len
        self.sos_id, self.eos_id = sos_id, eos_id
        self.calls = 0
        self.complaints: list[str] = []

    def __deepcopy__(self, memo: dict) -> ScriptedSteps:
        """The checker copies a case's inputs; this one stays itself, so that its record can be read afterwards."""
        return self

    def __repr__(self) -> str:
        """What each row will write, up to its EOS: the checker prints this as the `step_fn` input."""
        names = {self.sos_id: "SOS", self.eos_id: "EOS"}
        rows = []
        for row in range(len(self.scripts)):
            rows.append(f"row {row} writes {' '.join(names.get(i, str(i)) for i in self.writes(row))}")
        return f"a scripted model ({'; '.join(rows)})"

    def writes(self, row: int) -> list[int]:
        """What row `row` writes: its script up to its first EOS (included), at most `max_len` ids."""
        script = self.scripts[row][: self.max_len]
        return script[: script.index(self.eos_id) + 1] if self.eos_id in script else script

    def steps_needed(self) -> int:
        """The calls a correct loop makes: one per new token, until the last row is done."""
        return max(len(self.writes(row)) for row in range(len(self.scripts)))

    def _complain(self, message: str, kind: type[ValueError] = ValueError) -> None:
        self.complaints.append(message)
        raise kind(message)

    def _going(self, steps: int) -> list[int]:
        """The batch rows that have not written EOS among their first `steps` ids."""
        return [row for row in range(len(self.scripts)) if self.eos_id not in self.writes(row)[:steps]]

    def __call__(self, prefix: torch.Tensor, rows: Any) -> torch.Tensor:
        self.calls += 1
        # First, a call after every row is done: a loop that forgets to stop often passes no rows as
        # torch.tensor([]), a float32 tensor, and must hear about the loop, not about the dtype
        if isinstance(prefix, torch.Tensor) and prefix.dim() == 2 and not self._going(prefix.shape[1] - 1):
            self._complain(f"step_fn: called again after every row had written EOS (prefix of {prefix.shape[1]} ids)")
        if not isinstance(rows, torch.Tensor) or rows.dtype != torch.long or rows.dim() != 1:
            got = f"a {rows.dtype} tensor {tuple(rows.shape)}" if isinstance(rows, torch.Tensor) else repr(rows)
            self._complain(f"step_fn: expected rows, a long tensor (n,) of batch row indices, got {got}", WrongInput)
        rows = rows.tolist()
        if not isinstance(prefix, torch.Tensor) or prefix.dim() != 2 or prefix.shape[0] != len(rows):
            tensor = isinstance(prefix, torch.Tensor)  # a wrong shape may be the loop's logic; no tensor is a form
            shape = tuple(prefix.shape) if tensor else type(prefix).__name__
            message = f"step_fn: expected a prefix ({len(rows)}, t) for the {len(rows)} rows given, got {shape}"
            self._complain(message, ValueError if tensor else WrongInput)
        if prefix.dtype != torch.long:
            self._complain(
                f"step_fn: expected the prefix as a long tensor of ids, got {prefix.dtype}: the exercise asks for "
                "int64, as greedy_decode keeps them (nn.Embedding takes int64 or int32 ids, never floats)",
                WrongInput,
            )
        steps = prefix.shape[1] - 1  # ids written so far, SOS aside
        if steps >= self.max_len:
            self._complain(f"step_fn: called for new token {steps + 1}, more than max_len={self.max_len}")
        going = self._going(steps)
        for row in rows:
            if row not in range(len(self.scripts)) or list(rows).count(row) > 1:
                self._complain(f"step_fn: rows {list(rows)}: each batch row 0 to {len(self.scripts) - 1}, once")
            if row not in going:
                self._complain(f"step_fn: row {row} was fed after it wrote EOS: feed only the rows still going")
        left_out = [row for row in going if row not in rows]
        if left_out:
            self._complain(f"step_fn: row {left_out[0]} is still going but was left out of this call")
        for position, row in enumerate(rows):
            fed = prefix[position].tolist()
            wanted = [self.sos_id, *self.writes(row)[:steps]]
            if fed != wanted:
                self._complain(f"step_fn: row {row} was fed {fed}, expected {wanted} (SOS, then what it wrote)")
        scores = torch.zeros(len(rows), VOCAB_SIZE)
        for position, row in enumerate(rows):
            scores[position, self.scripts[row][steps]] = 1.0
        return scores


def _holds_tensors(got: Any) -> bool:
    """The usual mistake of tensors where lists of ints are asked for: a tensor, or a list holding tensors."""
    if isinstance(got, torch.Tensor):
        return True
    if not isinstance(got, list | tuple):
        return False
    rows = [row if isinstance(row, list | tuple) else [row] for row in got]  # a row, or a tensor standing for one
    return any(isinstance(item, torch.Tensor) for row in rows for item in row)


def _judged_with(steps: ScriptedSteps) -> Callable[[Any, Any], str | None]:
    """`same`, after reading the stand-in's record: a swallowed complaint, or a call too many, fails the answer."""

    def compare(expected: Any, got: Any) -> str | None:
        if steps.complaints:
            return f"the model complained and your function went on (do not catch its errors): {steps.complaints[0]}"
        problem = same(expected, got)
        if problem is None and steps.calls != steps.steps_needed():
            return (
                f"step_fn was called {steps.calls} times; one call per new token, every row still going in it, "
                f"makes {steps.steps_needed()}"
            )
        return problem

    return compare


@checker(
    hints=[
        "keep three things from step to step: the prefix of the rows still going, their batch indices, and "
        "one list per batch row for what it wrote",
        "a row that writes EOS is done: it leaves both the prefix and the indices, so that position i of the next "
        "call's prefix is still batch row indices[i]",
        "pitfalls: step_fn takes long (int64) tensors, as the exercise asks (check the dtype of what you "
        "build); the loop also ends after max_len new tokens, for a row that never writes EOS",
    ]
)
def shrinking_greedy_cases() -> list[Case]:
    """Greedy decoding that feeds the model only the rows still going: each row's ids before its EOS."""

    def case(
        description: str, scripts: list[list[int]], max_len: int, hint: str, specials: tuple[int, int] = (SOS, EOS)
    ) -> Case:
        sos_id, eos_id = specials
        steps = ScriptedSteps(scripts, max_len, sos_id=sos_id, eos_id=eos_id)
        expected = [[i for i in steps.writes(row) if i != eos_id] for row in range(len(scripts))]
        mistakes: dict[str, Any] = {
            "return the ids each row wrote before its EOS, without EOS itself": [
                steps.writes(row) for row in range(len(scripts))
            ],
            "leave SOS out: it is where each row starts, not something it wrote": [[sos_id, *row] for row in expected],
            "one list per batch row, in the batch's order: answer[r] is what row r wrote": lambda got: (
                isinstance(got, list) and got != expected and sorted(map(str, got)) == sorted(map(str, expected))
            ),
            "answer `batch` lists of Python ints (a tensor's `.tolist()` gives them), not tensors": _holds_tensors,
        }
        args = (steps, len(scripts), sos_id, eos_id, max_len)
        return Case(description, args, expected, hint, compare=_judged_with(steps), mistakes=mistakes)

    return [
        case("one row that writes EOS at step 4", [[5, 6, 7, EOS, 8, 9]], 6, "stop once the row has written EOS"),
        case(
            "3 rows that write EOS at steps 2, 4 and 3",
            [[5, EOS, 9, 9, 9], [6, 7, 8, EOS, 9], [10, 11, EOS, 9, 9]],
            5,
            "each row leaves the batch at its own EOS; the others go on",
        ),
        case(
            "a row that never writes EOS, beside one that does",
            [[4, 4, 4, 4, 4, 4, 4], [8, EOS, 9, 9, 9, 9, 9]],
            4,
            "max_len caps the new tokens of a row that never writes EOS",
        ),
        case(
            "a row whose very first token is EOS",
            [[EOS, 5, 5, 5], [3, 4, EOS, 5]],
            4,
            "a row that writes EOS first decodes to an empty list, and is not fed again",
        ),
        case(
            "the first row finishes last, the last first",
            [[3, 4, 5, 6, EOS], [7, 8, EOS, 9, 9], [EOS, 9, 9, 9, 9]],
            6,
            "keep each row's ids in its own place, whatever order the rows finish in",
        ),
        case(
            "every row done long before max_len",
            [[7, EOS] + [9] * 48, [EOS] + [9] * 49],
            50,
            "stop calling the model once every row has written EOS",
        ),
        case(
            "another vocabulary: SOS is id 0, EOS id 1, and id 2 is a token",
            [[5, 2, 1, 9], [1, 7, 7, 7], [2, 4, 6, 1]],
            5,
            "use sos_id and eos_id as given: this case moves them",
            specials=(0, 1),
        ),
    ]
