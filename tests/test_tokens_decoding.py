"""Vocabulary, token datasets and greedy decoding, with a scripted fake model."""

import pytest
import torch
from torch import nn

from seqtut import sections
from seqtut.decoding import append_or_pad, check_sources, decode_dataset, faults, greedy_decode, greedy_step
from seqtut.metrics import exact_match, first_error_positions, teacher_forced_accuracy, token_accuracy
from seqtut.sections.seq2seq import exact_match_as_written
from seqtut.tokens import Seq2SeqDataset, Vocab, reverse_pairs, shifted_window_pairs
from seqtut.transformer import Seq2SeqTransformer


def test_vocab_encodes_and_decodes():
    vocab = Vocab(10)
    assert len(vocab) == 13
    assert vocab.encode([0, 9]) == [1, 3, 12, 2]
    assert vocab.decode([1, 3, 12, 2, 5, 0]) == [0, 9]  # stops at EOS
    assert vocab.name(0) == "<pad>" and vocab.name(4) == "1"
    assert vocab.pad([[1, 2], [1, 5, 2]]).tolist() == [[1, 2, 0], [1, 5, 2]]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Vocab(0), "n_tokens: expected a positive int, got 0"),
        (lambda: Vocab(10).encode([10]), r"tokens: expected ints in 0..9, got 10"),
        (lambda: Vocab(10).encode([-1]), "got -1"),
        (lambda: Vocab(10).decode([13]), r"ids: expected ids in 0..12, got 13"),
        (lambda: Vocab(10).pad([[1, 2, 3]], length=2), "length: expected at least the longest row"),
        (lambda: Seq2SeqDataset([[1]], [], Vocab(10)), "sources/targets: expected equally many"),
        (lambda: reverse_pairs(3, min_len=5, max_len=2), "min_len/max_len"),
    ],
)
def test_token_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_datasets_wrap_in_sos_eos_and_pad():
    vocab = Vocab(10)
    data = Seq2SeqDataset([[1, 2, 3], [4]], [[3, 2, 1], [4]], vocab)
    assert data.src.tolist() == [[1, 4, 5, 6, 2], [1, 7, 2, 0, 0]]
    src, tgt = data[[1]]
    assert tgt.tolist() == [[1, 7, 2, 0, 0]]


def test_tasks():
    sources, targets = shifted_window_pairs([437], window=48, shift=5)
    assert sources[0][0] == 437 and targets[0] == list(range(442, 490))
    sources, targets = reverse_pairs(20, min_len=3, max_len=5, seed=1)
    assert all(t == s[::-1] and 3 <= len(s) <= 5 for s, t in zip(sources, targets))
    assert reverse_pairs(20, seed=1) == reverse_pairs(20, seed=1)


class ScriptedModel(nn.Module):
    """Emits a fixed script of token ids per row, one per decoding step, whatever it reads."""

    def __init__(self, scripts: list[list[int]], vocab_size: int) -> None:
        super().__init__()
        self.scripts, self.vocab_size = scripts, vocab_size
        self.weight = nn.Parameter(torch.zeros(1))
        self.calls = 0

    def encode(self, src):
        return src.float().unsqueeze(-1)

    def forward(self, src, tgt_in):  # teacher forcing: equal scores everywhere, so the argmax is PAD
        return torch.zeros(len(src), tgt_in.shape[1], self.vocab_size)

    def decode(self, tgt_in, memory, src, *, last_only=False):
        self.calls += 1
        step = tgt_in.shape[1] - 1
        logits = torch.full((len(src), tgt_in.shape[1], self.vocab_size), -1.0)
        for row, script in enumerate(self.scripts):
            logits[row, -1, script[min(step, len(script) - 1)]] = 1.0
        return logits[:, -1] if last_only else logits


def test_greedy_decode_stops_each_row_at_its_own_eos():
    vocab = Vocab(10)
    model = ScriptedModel([[5, 6, 2, 7, 7], [8, 2, 9, 9, 9], [4, 4, 4, 4, 4]], len(vocab))
    src = vocab.pad([vocab.encode([1]), vocab.encode([2]), vocab.encode([3])])
    assert greedy_decode(model, src, vocab, max_len=4) == [[2, 3], [5], [1, 1, 1, 1]]
    assert model.calls == 4  # the third row never ends: max_len caps it


def test_greedy_decode_ends_early_when_all_rows_are_done():
    vocab = Vocab(10)
    model = ScriptedModel([[5, 2], [2, 2]], len(vocab))
    src = vocab.pad([vocab.encode([1]), vocab.encode([2])])
    assert greedy_decode(model, src, vocab, max_len=50) == [[2], []]
    assert model.calls == 2


def test_raw_decoding_keeps_what_vocab_decode_would_hide_and_faults_counts_it():
    vocab = Vocab(10)  # PAD 0, SOS 1, EOS 2
    scripts = [[5, 0, 6, 2], [1, 5, 2, 2], [7, 2, 0, 0], [4, 4, 4, 4]]  # PAD inside; SOS inside; clean; no EOS
    src = vocab.pad([vocab.encode([1])] * len(scripts))
    raw = greedy_decode(ScriptedModel(scripts, len(vocab)), src, vocab, max_len=4, raw=True)
    assert raw == [[5, 0, 6, 2], [1, 5, 2, 0], [7, 2, 0, 0], [4, 4, 4, 4]]  # PAD fed after each row's EOS
    assert greedy_decode(ScriptedModel(scripts, len(vocab)), src, vocab, max_len=4) == [[2, 3], [2], [4], [1] * 4]
    assert [vocab.decode(row) for row in raw] == [[2, 3], [2], [4], [1] * 4]  # scored as if nothing were wrong
    assert faults(raw, vocab) == {"no_eos": 1, "pad_or_sos_before_eos": 2}
    data = Seq2SeqDataset([[1]] * len(scripts), [[1]] * len(scripts), vocab)
    assert decode_dataset(ScriptedModel(scripts, len(vocab)), data, max_len=4, raw=True) == raw
    assert faults([[5, 2, 0], [2, 1]], vocab) == {"no_eos": 0, "pad_or_sos_before_eos": 0}  # after EOS: fine


def test_exact_match_as_written_drops_nothing_before_eos():
    vocab = Vocab(10)  # PAD 0, SOS 1, EOS 2; token t is id t + 3
    written = [[5, 4, 2, 0], [0, 6, 2, 0], [1, 6, 2, 0], [6, 6, 6, 6], [6, 2, 9, 9]]  # right; PAD; SOS; no EOS; right
    targets = [[2, 1], [3], [3], [3], [3]]
    assert exact_match_as_written(written, targets, vocab) == 2 / 5
    assert exact_match([vocab.decode(row) for row in written], targets) == 4 / 5  # stripped: PAD and SOS rows right


def test_score_decodes_the_untrained_network_as_written_and_counts_its_faults():
    vocab = Vocab(10)
    data = Seq2SeqDataset([[1, 2], [3], [4, 5]], [[2, 1], [3], [5, 4]], vocab)  # target ids [5, 4], [6], [8, 7]
    untrained = ScriptedModel([[5, 4, 2], [0, 6, 2], [8, 8, 8, 8]], len(vocab))  # right; PAD first; no EOS
    model = ScriptedModel([[5, 4, 2], [6, 2], [8, 7, 2]], len(vocab))  # every row right
    scores = sections.get("reverse").score(model, data, untrained)
    assert scores["exact"] == 1.0
    assert scores["untrained"] == 1 / 3  # stripped, the PAD row would count as right: 2 / 3
    assert exact_match(decode_dataset(untrained, data), data.targets) == 2 / 3
    assert (scores["untrained_no_eos"], scores["untrained_pad_or_sos_before_eos"]) == (1, 1)
    assert "untrained_no_eos" not in sections.get("reverse").score(model, data)  # no untrained network given, no count


def test_greedy_decode_rejects_bad_input():
    vocab = Vocab(10)
    model = ScriptedModel([[2]], len(vocab))
    with pytest.raises(ValueError, match="max_len: expected a positive int, got 0"):
        greedy_decode(model, vocab.pad([vocab.encode([1])]), vocab, max_len=0)
    with pytest.raises(ValueError, match="src: expected every source to hold an EOS"):
        greedy_decode(model, torch.tensor([[1, 4, 5]]), vocab, max_len=3)


def test_metrics():
    assert exact_match([[1, 2], [3]], [[1, 2], [3, 4]]) == 0.5
    assert token_accuracy([[1, 2], [3]], [[1, 9], [3, 4]]) == 0.5
    assert first_error_positions([[1, 2], [1], [5, 6]], [[1, 2], [1, 2], [5, 7]]) == [None, 1, 1]
    with pytest.raises(ValueError, match="predicted: expected 2 sequences"):
        exact_match([[1]], [[1], [2]])


def test_teacher_forced_accuracy_and_decode_dataset_with_an_identity_model():
    vocab = Vocab(10)
    data = Seq2SeqDataset([[1, 2], [3]], [[1, 2], [3]], vocab)

    class Echo(ScriptedModel):
        def forward(self, src, tgt_in):  # predicts the true next token: reads the target itself
            logits = torch.zeros(len(src), tgt_in.shape[1], self.vocab_size)
            return logits.scatter(2, data.tgt[: len(src), 1 : tgt_in.shape[1] + 1].unsqueeze(-1), 1.0)

    model = Echo([[4, 5, 2], [6, 2]], len(vocab))
    assert teacher_forced_accuracy(model, data) == 1.0
    assert decode_dataset(model, data) == [[1, 2], [3]]


def test_greedy_step_and_append_or_pad_write_pad_after_eos():
    vocab = Vocab(10)
    model = ScriptedModel([[5, 6], [2, 7]], len(vocab))
    prefix = torch.tensor([[1], [1]])
    next_id = greedy_step(model, prefix, model.encode(prefix), prefix)
    assert next_id.tolist() == [5, 2]
    prefix, done = append_or_pad(prefix, next_id, torch.tensor([False, False]), vocab)
    assert prefix.tolist() == [[1, 5], [1, 2]] and done.tolist() == [False, True]
    prefix, done = append_or_pad(prefix, torch.tensor([2, 7]), done, vocab)
    assert prefix.tolist() == [[1, 5, 2], [1, 2, 0]] and done.tolist() == [True, True]


def test_check_sources_names_the_row_without_eos():
    vocab = Vocab(10)
    check_sources(torch.tensor([[1, 4, 2], [1, 2, 0]]), vocab)
    with pytest.raises(ValueError, match=r"src: expected every source to hold an EOS \(id 2\), row 1 has none"):
        check_sources(torch.tensor([[1, 4, 2], [1, 4, 0]]), vocab)
    with pytest.raises(
        ValueError, match=r"src: expected a 2-D tensor of ids \(batch, length\), got torch.Size\(\[3\]\)"
    ):
        check_sources(torch.tensor([1, 4, 2]), vocab)


def test_same_training_ignores_claim_bounds_only():
    from dataclasses import asdict, replace

    from seqtut import sections
    from seqtut.sections.seq2seq import same_training

    s = sections.settings("transformer", fast=False)
    saved = asdict(s)
    assert same_training(saved, s)
    assert same_training(asdict(replace(s, trained_exact_min=0.5)), s)  # a threshold: training never reads it
    assert same_training({k: v for k, v in saved.items() if not k.endswith(("_min", "_max"))}, s)  # saved before
    assert not same_training(asdict(replace(s, epochs=s.epochs + 1)), s)
    assert "trained_exact_min" not in repr(s)  # thresholds stay out of printed settings


def test_last_only_logits_are_the_last_row_of_the_full_logits():
    """`decode(..., last_only=True)` skips the output layer for all but the last position, nothing else."""
    torch.manual_seed(0)
    vocab = Vocab(20)
    model = Seq2SeqTransformer(len(vocab), 16, 2, 1, 1, 32, 0.0, pad_id=vocab.pad_id).eval()
    src = vocab.pad([vocab.encode([3, 4, 5]), vocab.encode([6, 7])])
    tgt_in = vocab.pad([vocab.encode([9, 8, 7], wrap=False), vocab.encode([5, 4], wrap=False)])
    tgt_in = torch.cat([torch.full((2, 1), vocab.sos_id), tgt_in], dim=1)  # (2, 4), row 1 padded at the end
    with torch.no_grad():
        memory = model.encode(src)
        full, last = model.decode(tgt_in, memory, src), model.decode(tgt_in, memory, src, last_only=True)
    assert full.shape == (2, 4, len(vocab)) and last.shape == (2, len(vocab))
    torch.testing.assert_close(last, full[:, -1])


def test_score_reads_the_trained_networks_rows_as_written_too():
    """One rule for both networks: a PAD that `Vocab.decode` would strip makes the model's row wrong as well."""
    vocab = Vocab(10)
    data = Seq2SeqDataset([[1, 2], [3], [4, 5]], [[2, 1], [3], [5, 4]], vocab)  # target ids [5, 4], [6], [8, 7]
    model = ScriptedModel([[5, 4, 2], [0, 6, 2], [8, 7, 2]], len(vocab))  # right; PAD first; right
    scores = sections.get("reverse").score(model, data)
    assert scores["exact"] == 2 / 3  # stripped, the PAD row would count as right: 3 / 3
    assert exact_match(decode_dataset(model, data), data.targets) == 1.0
    written = decode_dataset(model, data, raw=True)
    assert sections.get("reverse").score(model, data, written=written) == scores  # reuses the rows it is given
