"""The Transformer sections: positional encoding, mask invariances, cached decoding and the CLI."""

import importlib.util
import json
import math
from dataclasses import asdict, replace
from pathlib import Path
from unittest import mock

import pytest
import torch

from seqtut import sections
from seqtut.checkpoints import load_checkpoint, save_checkpoint
from seqtut.cli import headline, main
from seqtut.decoding import greedy_decode
from seqtut.masks import causal_mask, padding_mask
from seqtut.sections import seq2seq
from seqtut.sections.reverse import mirror_attention
from seqtut.sections.seq2seq import TokenSection, result_fields, same_training, saved_model_path
from seqtut.sections.shifted_window import (
    ALL_KEYS_HIDDEN,
    attention_paths,
    count_up_then_eos,
    counting,
    first_token_sources,
    paths_table,
)
from seqtut.tokens import Seq2SeqDataset, Vocab, shifted_window_pairs
from seqtut.training import fit, teacher_forcing_loss
from seqtut.transformer import PositionalEncoding, Seq2SeqTransformer

ROOT = Path(__file__).resolve().parents[1]

VOCAB = Vocab(10)


def tiny(norm_first: bool = False, positional: bool = True, seed: int = 0) -> Seq2SeqTransformer:
    torch.manual_seed(seed)
    model = Seq2SeqTransformer(
        len(VOCAB),
        d_model=16,
        nhead=2,
        num_encoder_layers=2,
        num_decoder_layers=2,
        dim_feedforward=32,
        dropout=0.0,
        max_len=20,
        positional=positional,
        norm_first=norm_first,
    )
    return model.eval()


def batch() -> Seq2SeqDataset:
    """Three pairs of different lengths: sources and targets padded with PAD."""
    sources = [[1, 2, 3], [4, 5, 6, 7, 8], [9, 0, 1, 2, 3, 4, 5]]
    return Seq2SeqDataset(sources, [s[::-1] for s in sources], VOCAB)


def test_positional_encoding_values_at_known_positions():
    pe = PositionalEncoding(8, max_len=20).pe  # (20, 8)
    assert torch.equal(pe[0], torch.tensor([0.0, 1.0] * 4))  # sin 0, cos 0 in every pair
    assert pe[1, 0].item() == pytest.approx(math.sin(1)) and pe[1, 1].item() == pytest.approx(math.cos(1))
    # pair i turns 10000^(2i/8) times slower: pair 1 at position 5 is (sin 0.5, cos 0.5), pair 3 divides by 1000
    assert pe[5, 2].item() == pytest.approx(math.sin(0.5), abs=1e-6)
    assert pe[5, 3].item() == pytest.approx(math.cos(0.5), abs=1e-6)
    assert pe[19, 6].item() == pytest.approx(math.sin(19 / 1000), abs=1e-6)
    assert torch.equal(PositionalEncoding(8, max_len=20)(torch.zeros(2, 3, 8)), pe[:3].expand(2, 3, 8))
    with pytest.raises(ValueError, match="x: expected at most max_len = 20 positions, got 21"):
        PositionalEncoding(8, max_len=20)(torch.zeros(1, 21, 8))


def test_without_positions_the_encoder_only_permutes():
    src = batch().src[2:]  # (1, 9), no padding
    permutation = torch.randperm(src.shape[1], generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        for positional, equivariant in ((False, True), (True, False)):
            model = tiny(positional=positional)
            memory, permuted = model.encode(src), model.encode(src[:, permutation])
            assert torch.allclose(memory[:, permutation], permuted, atol=1e-5) is equivariant


@pytest.mark.parametrize("norm_first", [False, True])
def test_changing_a_future_target_token_leaves_earlier_outputs_bit_identical(norm_first):
    model, data = tiny(norm_first), batch()
    src, tgt_in = data.src, data.tgt[:, :-1]  # (3, 7) each
    with torch.no_grad():
        for position in range(1, 5):
            changed = tgt_in.clone()
            changed[:, position] = torch.where(tgt_in[:, position] == 5, 6, 5)  # any other real token
            before, after = model(src, tgt_in), model(src, changed)
            assert torch.equal(before[:, :position], after[:, :position])
            assert (before[:, position] != after[:, position]).any(dim=-1).all()


@pytest.mark.parametrize("norm_first", [False, True])
def test_pad_content_is_never_read_neither_by_outputs_nor_by_the_loss(norm_first):
    model, data = tiny(norm_first), batch()
    noisy = tiny(norm_first)
    with torch.no_grad():
        noisy.embed.weight[VOCAB.pad_id] = 5 * torch.randn(16, generator=torch.Generator().manual_seed(1))
        real = data.tgt[:, :-1] != VOCAB.pad_id
        out, out_noisy = model(data.src, data.tgt[:, :-1]), noisy(data.src, data.tgt[:, :-1])
        assert torch.equal(out[real], out_noisy[real])
        assert not torch.equal(out[~real], out_noisy[~real])  # PAD positions change, and nothing uses them
        loss = teacher_forcing_loss(model, (data.src, data.tgt))
        assert torch.equal(loss, teacher_forcing_loss(noisy, (data.src, data.tgt)))


def test_padding_does_not_change_a_sequence_result():
    model, data = tiny(), batch()
    with torch.no_grad():
        padded = model(data.src, data.tgt[:, :-1])  # (3, 8, V)
        alone = model(data.src[:1, :5], data.tgt[:1, :4])  # the shortest pair without any PAD
        more_padding = torch.cat([data.src, torch.zeros(3, 4, dtype=torch.long)], dim=1)
        assert torch.allclose(alone, padded[:1, :4], atol=1e-5)
        assert torch.allclose(model(more_padding, data.tgt[:, :-1]), padded, atol=1e-5)


@pytest.mark.parametrize("norm_first", [False, True])
def test_greedy_decoding_takes_the_argmax_of_the_full_forward_pass(norm_first):
    model, data = tiny(norm_first, seed=3), batch()
    decoded = greedy_decode(model, data.src, VOCAB, 10)
    with torch.no_grad():  # one row at a time, by the plain forward pass: the argmax after each prefix
        for row, tokens in enumerate(decoded):
            prefix = torch.tensor([[VOCAB.sos_id]])
            for _ in range(10):
                next_id = model(data.src[row : row + 1], prefix)[0, -1].argmax().item()
                prefix = torch.cat([prefix, torch.tensor([[next_id]])], dim=1)
                if next_id == VOCAB.eos_id:
                    break
            assert VOCAB.decode(prefix[0].tolist()) == tokens


@pytest.mark.parametrize("norm_first", [False, True])
def test_cross_attention_comes_from_the_forward_pass_and_leaves_no_hooks(norm_first):
    model, data = tiny(norm_first), batch()
    attention = model.transformer.decoder.layers[-1].multihead_attn
    seen = []
    attention.register_forward_hook(lambda module, args, output: seen.append(output[1]))
    weights = model.cross_attention(data.src, data.tgt[:, :-1])
    assert len(seen) == 1 and torch.equal(seen[0], weights)  # the weights of the one real call
    with torch.no_grad():
        model(data.src, data.tgt[:, :-1])
    assert len(seen) == 2 and seen[1] is None  # afterwards the layer again asks for no weights


@pytest.mark.parametrize("norm_first", [False, True])
def test_cross_attention_is_a_distribution_over_real_source_positions(norm_first):
    model, data = tiny(norm_first), batch()
    weights = model.cross_attention(data.src, data.tgt[:, :-1])  # (N, T, S)
    assert weights.shape == (3, data.tgt.shape[1] - 1, data.src.shape[1])
    assert torch.allclose(weights.sum(dim=-1), torch.ones(3, data.tgt.shape[1] - 1))
    assert (weights[data.src.unsqueeze(1).expand_as(weights) == VOCAB.pad_id] == 0).all()


def test_fit_warmup_is_checked_and_changes_training():
    data = batch()
    with pytest.raises(ValueError, match="warmup: expected an int >= 0, got -1"):
        fit(tiny(), data, epochs=1, loss_fn=teacher_forcing_loss, warmup=-1)
    plain = fit(tiny(), data, epochs=2, lr=1e-2, batch_size=1, loss_fn=teacher_forcing_loss, progress_bar=False)
    warm = fit(
        tiny(), data, epochs=2, lr=1e-2, batch_size=1, loss_fn=teacher_forcing_loss, progress_bar=False, warmup=4
    )
    assert plain.train_loss[0] != warm.train_loss[0]


def tiny_checkpoint(tmp_path, name: str) -> str:
    """An untrained model saved as a `name` checkpoint with that section's fast settings."""
    s = sections.settings(name, fast=True)
    vocab = Vocab(s.n_tokens)
    torch.manual_seed(0)
    model = Seq2SeqTransformer(
        len(vocab),
        d_model=16,
        nhead=2,
        num_encoder_layers=1,
        num_decoder_layers=1,
        dim_feedforward=32,
        dropout=0.0,
        max_len=sections.get(name).longest(s) + 1,
    )
    path = tmp_path / name / "model.pt"
    save_checkpoint(path, model, config={"section": name, "settings": asdict(s), "seed": 0})
    return str(path)


def test_predict_transformer_and_reverse_print_one_decoded_line_per_input(tmp_path, capsys):
    path = tiny_checkpoint(tmp_path, "transformer")
    assert main(["predict", "transformer", "--checkpoint", path, "437", "0", "947"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3  # one per start; an untrained model writes up to window + 1 tokens
    assert all(len(line.split()) <= 49 and all(0 <= int(t) <= 999 for t in line.split()) for line in lines)
    path = tiny_checkpoint(tmp_path, "reverse")
    assert main(["predict", "reverse", "--checkpoint", path, "3", "1", "4"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert len(line.split()) <= 13 and all(0 <= int(t) <= 9 for t in line.split())


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("transformer", ["437", "948"], "VALUE: a start must lie in 0..947, so that its window and the answer"),
        ("transformer", ["-1"], "VALUE: a start must lie in 0..947"),
        ("transformer", ["4.5"], "VALUE: expected an integer, got '4.5'"),
        ("reverse", ["3", "1", "10"], "every token must lie in 0..9; this input needs 10"),
        ("reverse", [], "VALUE: expected at least one value, got none"),
        ("reverse", ["1", "2"], "VALUE: expected 3 to 12 digits (the lengths trained on), got 2"),
        ("reverse", ["1"] * 13, "VALUE: expected 3 to 12 digits (the lengths trained on), got 13"),
    ],
)
def test_predict_out_of_vocabulary_prints_one_line_and_exits_2(name, values, message, tmp_path, capsys):
    path = tiny_checkpoint(tmp_path, name)
    assert main(["predict", name, "--checkpoint", path, *values]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.out == ""


def test_run_transformer_fast_reports_trained_and_heldout_exact_match(tmp_path, capsys, monkeypatch):
    """The CLI's plumbing, on a shrunken fast run: notebook 06 checks what the real fast run learns."""
    section = sections.get("transformer")
    fast = section.settings(fast=True)
    tiny_run = replace(fast, train_size=16, heldout_size=8, epochs=2)
    monkeypatch.setattr(section, "settings", lambda fast=None: tiny_run)
    assert main(["run", "transformer", "--fast", "--out", str(tmp_path), "--json"]) == 0
    printed = capsys.readouterr().out.splitlines()
    result = json.loads(printed[-1])
    trained = f"trained starts {result['train_exact_match']:.4f}"  # the in-sample figure, never printed alone
    assert printed[0].startswith(
        f"transformer: greedy exact match, held-out starts {result['value']:.4f} | {trained} |"
    )
    assert result["metric"] == "greedy exact match, held-out starts"
    assert result["value"] == result["heldout_exact_match"] and "train_exact_match" in result
    assert result["baseline_name"] == "copying the source" and result["baseline"] == 0.0
    assert result["exact_rule_name"] == "counting from the source's sixth number" and result["exact_rule"] == 1.0
    assert printed[0].split(" | ")[2:4] == [
        "baseline (copying the source) 0.0000",
        "exact rule (counting from the source's sixth number) 1.0000",
    ]
    assert (result["train_size"], result["heldout_size"], result["epochs_run"]) == (16, 8, 2)
    assert 0.0 <= result["teacher_forced_accuracy"] <= 1.0
    assert main(["predict", "transformer", "--checkpoint", str(tmp_path / "model.pt"), "437"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_label_smoothing_mixes_the_true_token_with_a_uniform_share_and_still_skips_pad():
    model, data = tiny(), batch()
    with torch.no_grad():
        logits = model(data.src, data.tgt[:, :-1]).flatten(0, 1)  # (N * (T-1), V)
        targets = data.tgt[:, 1:].flatten()
        real = targets != VOCAB.pad_id
        log_p = logits.log_softmax(-1)[real]  # PAD targets left out, as the loss leaves them out
        true = -log_p.gather(1, targets[real, None]).mean()
        uniform = -log_p.mean()  # every class's share: the mean over rows and classes
        smoothed = teacher_forcing_loss(model, (data.src, data.tgt), label_smoothing=0.1)
        assert smoothed.item() == pytest.approx((0.9 * true + 0.1 * uniform).item(), rel=1e-6)
        assert teacher_forcing_loss(model, (data.src, data.tgt)).item() == pytest.approx(true.item(), rel=1e-6)


def test_embedding_scaling_is_off_by_default_and_a_checkpoint_keeps_the_value_it_was_saved_with(tmp_path):
    """The class default is the recipe notebook 06 recommends; a scaled model saved earlier loads scaled."""
    assert Seq2SeqTransformer(len(VOCAB), d_model=16, nhead=2).embedding_scale == 1.0
    scaled = Seq2SeqTransformer(len(VOCAB), d_model=16, nhead=2, scale_embedding=True)
    save_checkpoint(tmp_path / "scaled.pt", scaled, config={})
    loaded, _, _ = load_checkpoint(tmp_path / "scaled.pt", kind="Seq2SeqTransformer")
    assert loaded.embedding_scale == math.sqrt(16) and loaded.config["scale_embedding"] is True


def test_mirror_attention_on_attention_that_follows_the_reversal_exactly():
    """Strings of 2 and 3 digits; every digit-writing position attends only to its mirrored key, EOS to SOS."""
    lengths = torch.tensor([2, 3])
    src = torch.tensor([[1, 5, 6, 2, 0], [1, 7, 8, 9, 2]])  # SOS, digits, EOS, PAD
    weights = torch.zeros(2, 4, 5)  # (N, T, S): T = 4 decoder positions (SOS + 3 digits)
    for n, length in enumerate(lengths.tolist()):
        for i in range(length):
            weights[n, i, length - i] = 1.0  # position i reads source position L - i
        weights[n, length, 0] = 1.0  # the EOS-writing position reads SOS
    weights[0, 3, 0] = 1.0  # after EOS: not scored
    found = mirror_attention(weights, src, lengths)
    assert found["on_mirror"] == 1.0 and found["mirror_top"] == 1.0 and found["eos_reads_sos"] == 1.0
    assert found["missed"] == 0 and found["uniform"] == pytest.approx((2 * 1 / 4 + 3 * 1 / 5) / 5)
    shifted = weights.roll(1, dims=2)  # every position now reads the key just right of its mirrored one
    moved = mirror_attention(shifted, src, lengths)
    assert moved["mirror_top"] == 0.0 and moved["missed"] == 5 and moved["right_of_mirror"] == 1.0


def test_first_token_sources_counts_trained_first_tokens_and_lonely_starts():
    s = replace(sections.settings("transformer", fast=True), n_tokens=100, window=4, shift=2)
    vocab = Vocab(s.n_tokens)
    train = Seq2SeqDataset(*shifted_window_pairs([10, 12, 50], s.window, s.shift), vocab)
    heldout = Seq2SeqDataset(*shifted_window_pairs([11, 30], s.window, s.shift), vocab)
    decoded = [[12, 13, 14, 15], [52, 53, 54, 55]]  # start 11 writes start 10's window; 30 writes 50's
    found = first_token_sources(decoded, heldout, train, s)
    assert found["from_trained"] == 1.0 and found["possible"] == 100 - 4 - 2 + 1
    assert found["chance"] == 3 / found["possible"] and dict(found["distance"]) == {1: 1, 20: 1}
    assert found["lonely"] == 1 and found["lonely_from_trained"] == 1 and found["lonely_distance"] == (20, 20)
    assert found["lonely_gaps"] == [20] and found["lonely_on_neighbour"] == 0 and found["lonely_on_nearest"] == 0
    assert found["lonely_past_trained"] == 0  # 30 -> 50: nothing trained between
    heldout = Seq2SeqDataset(*shifted_window_pairs([30, 40, 47], s.window, s.shift), vocab)
    decoded = [[14, 15, 16, 17], [43, 44, 45, 46], [52, 53, 54, 55]]  # nearest (12), 41 (untrained), nearest (50)
    found = first_token_sources(decoded, heldout, train, s)
    assert found["lonely"] == 3 and found["lonely_from_trained"] == 2 and found["lonely_gaps"] == [1, 3, 18]
    assert found["lonely_on_neighbour"] == 1 and found["lonely_on_nearest"] == 2 and found["lonely_past_trained"] == 0
    decoded = [[12, 13, 14, 15], [43, 44, 45, 46], [14, 15, 16, 17]]  # 30 writes 10's (past 12), 47 writes 12's
    found = first_token_sources(decoded, heldout, train, s)
    assert found["lonely_on_nearest"] == 0 and found["lonely_past_trained"] == 1  # nothing trained in 12..47


def _left_padded_masks():
    ids = torch.tensor([[VOCAB.pad_id, VOCAB.pad_id, VOCAB.sos_id, 5, 6]])  # PAD PAD SOS 2 3
    masks = {"bool": (causal_mask(5), padding_mask(ids, VOCAB.pad_id))}
    masks["float"] = tuple(torch.zeros(m.shape).masked_fill(m, float("-inf")) for m in masks["bool"])
    return ids, masks


def test_attention_paths_counts_the_path_each_call_takes_and_leaves_the_mode_as_it_was():
    """At inference bool masks take the fast path and float masks never do (in MultiheadAttention's code, not docs)."""
    model = tiny()
    ids, masks = _left_padded_masks()
    paths = attention_paths(model, ids, masks)
    taken = {(call, kind): path for call, kinds in paths.items() for kind, (path, _) in kinds.items()}
    assert taken[("inference, need_weights=True", "bool")] == "fast path"
    assert taken[("inference, need_weights=False", "bool")] == "fast path"
    assert taken[("inference, need_weights=True", "float")] == "softmax written out"
    assert taken[("inference, need_weights=False", "float")] == "SDPA"
    assert taken[("training, need_weights=True", "bool")] == "softmax written out"
    assert taken[("training, need_weights=False", "float")] == "SDPA"
    assert not model.training  # eval before the calls, eval after
    assert all(outcomes[0][2:] == ["attention"] * 3 for kinds in paths.values() for _, outcomes in kinds.values())


def test_all_keys_hidden_holds_the_table_and_training_rows_measured_on_this_torch():
    """The per-version table notebook 06 quotes; `make compat` runs this on torch 2.3 and 2.14.1 as well."""
    version = ".".join(torch.__version__.split(".")[:2])
    if version not in ALL_KEYS_HIDDEN:
        pytest.skip(f"torch {version} has no measured entry")
    table, training_rows = ALL_KEYS_HIDDEN[version]
    model = tiny()
    ids, masks = _left_padded_masks()
    assert paths_table(attention_paths(model, ids, masks), rows=[0, 1]) == table
    found = []
    with torch.enable_grad():
        model.train()
        h, memory = model.embed_ids(ids), model.encode(torch.tensor([[VOCAB.sos_id, 5, 6, VOCAB.eos_id]]))
        for layer in model.transformer.decoder.layers:
            h = layer(h, memory, tgt_mask=masks["bool"][0], tgt_key_padding_mask=masks["bool"][1])
            found.append(h[0].isnan().any(dim=-1).nonzero().flatten().tolist())
    model.eval()
    assert found == training_rows


def test_count_up_then_eos_misses_only_the_first_token_of_a_shifted_window():
    s = sections.get("transformer").settings()
    vocab = Vocab(s.n_tokens)
    sources, targets = shifted_window_pairs([0, 437, 947], window=s.window, shift=s.shift)
    tgt = Seq2SeqDataset(sources, targets, vocab).tgt  # (3, 50): SOS, 48 tokens, EOS
    previous, expected = tgt[:, :-1], tgt[:, 1:]
    predicted = count_up_then_eos(previous, vocab.eos_id)
    assert predicted.shape == previous.shape and previous.equal(tgt[:, :-1])  # its input left as it was
    assert (predicted[:, 0] == vocab.eos_id).all()  # after SOS: SOS's id + 1, EOS's, never a first token
    assert predicted[:, 1:].equal(expected[:, 1:])  # every later position right, EOS included
    assert (predicted == expected).sum().item() == 3 * 48  # 48 of 49 a row


def test_counting_is_the_exact_rule_that_reads_the_source_and_copying_it_the_baseline():
    section = sections.get("transformer")
    s = section.settings()
    sources, targets = shifted_window_pairs([0, 437, 947], window=s.window, shift=s.shift)
    assert counting(sources, s) == targets
    dataset = Seq2SeqDataset(sources, targets, Vocab(s.n_tokens))
    assert section.exact_rule(s, dataset) == 1.0 and section.baseline(s, dataset) == 0.0
    assert section.exact_rule_name == "counting from the source's sixth number"
    assert section.baseline_name == "copying the source"


def test_reversing_the_source_is_the_reversals_exact_rule_and_both_rules_are_computed_not_assumed():
    reverse = sections.get("reverse")
    r, digits = reverse.settings(), Vocab(10)
    assert reverse.exact_rule_name == "reversing the source" and reverse.baseline_name == "copying the source"
    train, heldout, _ = reverse.data(r)
    assert reverse.exact_rule(r, train) == reverse.exact_rule(r, heldout) == 1.0
    wrong = Seq2SeqDataset([[1, 2, 3], [4, 5, 6]], [[3, 2, 1], [4, 5, 6]], digits)  # the second target is copied
    assert reverse.exact_rule(r, wrong) == 0.5 and reverse.baseline(r, wrong) == 0.5
    palindromes = Seq2SeqDataset([[1, 2, 1], [4, 5, 6]], [[1, 2, 1], [6, 5, 4]], digits)
    assert reverse.baseline(r, palindromes) == 0.5  # copying is right on palindromes only


def test_a_token_section_must_name_its_own_exact_rule():
    """TokenSection has no default exact rule: a new token task states the rule that solves it."""
    with pytest.raises(NotImplementedError):
        TokenSection.exact_rule(sections.get("reverse"), None, None)


def test_decode_docstring_holds_the_output_layer_is_larger_than_a_decoder_layer_in_notebook_06():
    section = sections.get("transformer")
    s = section.settings()
    model = section.build_model(s, Vocab(s.n_tokens))
    head = model.head.weight.numel()  # D x V
    assert head == s.d_model * (s.n_tokens + 3)
    assert head > sum(p.numel() for p in model.transformer.decoder.layers[0].parameters())


def test_a_fast_run_of_06_never_replaces_the_full_model_that_07_reuses():
    """06 saves, and 07 loads, one file per training settings: fast and full mode differ, claim bounds do not count."""
    s = sections.get("transformer").settings()
    path = saved_model_path("06_transformer", s)
    assert path.parent.name == "runs" and path.name.startswith("06_transformer-") and path.suffix == ".pt"
    assert saved_model_path("06_transformer", replace(s, epochs=s.epochs + 1)) != path  # as fast mode's fewer epochs
    assert saved_model_path("06_transformer", replace(s, trained_exact_min=0.5)) == path  # a claim bound only
    assert same_training(asdict(replace(s, trained_exact_min=0.5)), s)


def test_report_label_renames_the_printed_slot_only(tmp_path, monkeypatch, capsys):
    """`label` renames the printed slot (report_scores puts a held-out figure there); the JSON row is unchanged."""
    path = tmp_path / "results.jsonl"
    monkeypatch.setenv("SEQTUT_RESULTS", str(path))
    name = sections.get("reverse").exact_rule_name
    sections.report("reverse", "greedy exact match, held-out", 1.0, 0.004, name, label="the source copied")
    sections.report("reverse", "greedy exact match, held-out", 1.0, 0.004, name)
    assert capsys.readouterr().out.splitlines() == [
        "reverse: greedy exact match, held-out 1.0000 | the source copied 0.0040",
        f"reverse: greedy exact match, held-out 1.0000 | baseline ({name}) 0.0040",
    ]
    first, second = (json.loads(line) for line in path.read_text().splitlines())
    assert first == second and first["baseline_name"] == name and "label" not in first


def test_result_fields_name_score_dicts_as_run_writes_them():
    """Trained fields only when trained data was scored; the untrained network's only when it was decoded."""
    trained = {"exact": 1.0, "token": 0.9, "length": 1.0, "teacher_forced": 0.99, "copy": 0.0}
    fresh = {"exact": 0.0, "token": 0.1, "length": 1.0, "teacher_forced": 0.97, "copy": 0.0, "untrained": 0.0}
    assert result_fields(trained, fresh) == {
        "train_exact_match": 1.0,
        "train_token_accuracy": 0.9,
        "heldout_exact_match": 0.0,
        "heldout_token_accuracy": 0.1,
        "heldout_length_accuracy": 1.0,
        "teacher_forced_accuracy": 0.99,
        "heldout_teacher_forced_accuracy": 0.97,
        "untrained_heldout_exact_match": 0.0,
    }
    fresh.pop("untrained")
    assert list(result_fields(None, fresh)) == [
        "heldout_exact_match",
        "heldout_token_accuracy",
        "heldout_length_accuracy",
        "heldout_teacher_forced_accuracy",
    ]


def test_report_scores_prints_the_line_run_prints_and_writes_the_fields_run_writes(tmp_path, monkeypatch, capsys):
    """Notebook 07's one-line reports: `run`'s headline (a held-out figure beside an in-sample one)."""
    path = tmp_path / "results.jsonl"
    monkeypatch.setenv("SEQTUT_RESULTS", str(path))
    window = sections.get("transformer")
    s = window.settings()
    vocab = Vocab(s.n_tokens)
    data = {
        name: Seq2SeqDataset(*shifted_window_pairs(starts, s.window, s.shift), vocab)
        for name, starts in (("trained", [0, 437]), ("held-out", [5]))
    }
    scores = {
        "trained": {"exact": 1.0, "token": 1.0, "length": 1.0, "teacher_forced": 1.0},
        "held-out": {"exact": 0.0, "token": 0.0, "length": 1.0, "teacher_forced": 0.97, "untrained": 0.0},
    }
    row = window.report_scores(s, data, scores)
    result = sections.Result(
        "transformer",
        row["metric"],
        row["value"],
        row["baseline"],
        row["baseline_name"],
        1.0,
        "cpu",
        row["fast"],
        "model.pt",
        {
            **result_fields(scores["trained"], scores["held-out"]),
            "exact_rule": 1.0,
            "exact_rule_name": window.exact_rule_name,
        },
    )
    printed = capsys.readouterr().out.strip()
    assert printed == headline("transformer", result).rsplit(" | ", 1)[0]  # `run`'s line without time and device
    assert printed.endswith(
        "| trained starts 1.0000 | baseline (copying the source) 0.0000"
        " | exact rule (counting from the source's sixth number) 1.0000"
    )
    assert printed.startswith("transformer: greedy exact match, held-out starts 0.0000 |")
    reverse = sections.get("reverse")
    r, digits = reverse.settings(), Vocab(10)
    heldout = Seq2SeqDataset([[1, 2, 1], [3, 4, 5]], [[1, 2, 1], [5, 4, 3]], digits)
    reverse.report_scores(r, {"held-out": heldout}, {"held-out": scores["held-out"]})
    assert (
        capsys.readouterr().out == "reverse: greedy exact match, held-out 0.0000 | baseline (copying the source) 0.5000"
        " | exact rule (reversing the source) 1.0000\n"
    )
    first, second = (json.loads(line) for line in path.read_text().splitlines())
    assert first["train_exact_match"] == 1.0 and first["heldout_exact_match"] == 0.0 and "label" not in first
    assert second["baseline"] == 0.5 and "train_exact_match" not in second
    assert second["baseline_name"] == "copying the source"
    assert second["exact_rule"] == 1.0 and second["exact_rule_name"] == "reversing the source"


def test_the_benchmarks_table_shows_the_transformers_trained_starts_beside_its_held_out_headline():
    """benchmarks/run.py's per-section row reads the JSON row's train_exact_match; other sections' rows as before."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    row = {"metric": "greedy exact match, held-out starts", "value": 0.0, "baseline": 1.0, "baseline_name": "counting"}
    found = {"name": "transformer", "seconds": 55.1, "peak_mib": 543.0, "rc": 0}
    line = bench.memory_row({**found, "result": {**row, "train_exact_match": 1.0}})
    assert "| greedy exact match, held-out starts | 0.0000 (trained starts 1.0000) | 1.0000 (counting) |" in line
    assert "| 0.0000 | 1.0000 (counting) |" in bench.memory_row({**found, "result": row})  # a row without the figure
    reverse = {**row, "metric": "greedy exact match, held-out", "value": 1.0, "train_exact_match": 1.0}
    assert "trained starts" not in bench.memory_row({**found, "name": "reverse", "result": reverse})
    exact = {**reverse, "exact_rule": 1.0, "exact_rule_name": "reversing"}
    assert "| 1.0000 (counting); exact rule (reversing) 1.0000 |" in bench.memory_row({**found, "result": exact})
    drift = bench.memory_row({**found, "result": {**row, "drift": 0.0}})
    assert drift.endswith("| 1.0000 (counting); drift 0.0000 |")
    assert "failed (exit 1)" in bench.memory_row({**found, "rc": 1, "result": None})


def test_the_benchmarks_details_line_names_original_pys_own_sample_beside_the_tables(monkeypatch):
    """RESULTS.md's Details: original.py's built-in evaluation (its 50 starts), not the table's sample (100)."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    monkeypatch.setattr(bench, "summarize", lambda found: {"deterministic": True})
    probe = mock.Mock(tokens=True, starts=list(range(100)), s=mock.Mock(train_size=700))
    own = {"own_details": {"exact_match": 0.0}, "probe": "45..92 -> [53]", "final_train_loss": 0.18}
    name = f"greedy exact match on {bench.original.EXACT_MATCH_STARTS} seeded trained starts"  # original.py's name
    result = {"train_exact_match": 1.0, "heldout_exact_match": 0.0, "baseline_name": "counting", "baseline": 1.0}
    found = {"section": "transformer", "probe": probe, "seqtut": [{"result": result}]}
    line = bench.details({**found, "original": {**own, "own_metric": name}})[0]
    assert line.startswith(
        "- **transformer**: `original.py`'s built-in evaluation "
        "(greedy exact match on 50 seeded trained starts, not the table's 100): exact_match 0;"
    )
    lstm = mock.Mock(tokens=False)
    mae = {"metric": "test MAE", "value": 0.0005, "baseline_name": "last value", "baseline": 1.0}
    found = {"section": "many-to-one", "probe": lstm, "seqtut": [{"result": mae}]}
    line = bench.details({**found, "original": {**own, "own_metric": "MAE on windows in 800..999 (in-sample)"}})[0]
    assert "evaluation (MAE on windows in 800..999 (in-sample)): " in line and "table's" not in line


def test_encode_docstring_holds_an_all_pad_row_is_nan_only_through_the_encoder_layers_fused_kernel():
    """On torch 2.13 (eval, autograd off) the fused kernel runs, not MHA's, and the row is NaN; else SDPA: the bias."""
    if ".".join(torch.__version__.split(".")[:2]) != "2.13":
        pytest.skip("the docstring states what torch 2.13 does")
    section = sections.get("transformer")
    s = section.settings()
    vocab = Vocab(s.n_tokens)
    torch.manual_seed(0)
    model = section.build_model(s, vocab)
    src = torch.cat([vocab.pad([vocab.encode([437, 438])]), torch.full((1, 4), vocab.pad_id)])  # row 1: PAD only
    attention = model.transformer.encoder.layers[0].self_attn
    seen = []  # what the hook records; a hook on self_attn turns the fused kernel off, so only where it is not expected
    for training, grad in [(False, False), (False, True), (True, False), (True, True)]:
        model.train(training)
        inference = not training and not grad
        seen.clear()
        hook = None if inference else attention.register_forward_hook(lambda m, i, out: seen.append(out[0]))
        fused_fwd, mha_fwd = torch._transformer_encoder_layer_fwd, torch._native_multi_head_attention
        with (
            mock.patch("torch._transformer_encoder_layer_fwd", wraps=fused_fwd) as fused,
            mock.patch("torch._native_multi_head_attention", wraps=mha_fwd) as mha,
            torch.set_grad_enabled(grad),
        ):
            out = model.transformer.encoder(model.embed_ids(src), src_key_padding_mask=padding_mask(src, vocab.pad_id))
        assert (fused.call_count, mha.call_count) == ((s.num_layers, 0) if inference else (0, 0))
        assert bool(out[1].isnan().any()) == inference and not out[0].isnan().any()
        if hook is not None:  # SDPA gives the row zero weights: its attention is out_proj's bias
            hook.remove()
            assert torch.allclose(seen[0][1], attention.out_proj.bias.expand(4, -1))


def test_beside_headline_gives_the_trained_figure_beside_the_transformer_sections_held_out_headline():
    assert seq2seq.beside_headline("transformer", {"train_exact_match": 0.25, "exact_match": 1.0}) == (
        "trained starts 0.2500"
    )
    assert seq2seq.beside_headline("transformer", {"train_exact_match": 1}) == "trained starts 1.0000"
    assert seq2seq.beside_headline("transformer", {"heldout_exact_match": 0.0}) is None  # no figure to put beside


@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("transformer", {"exact_match": 1.0}),  # the figure is missing from the row
        ("reverse", {"train_exact_match": 0.5}),  # a section that prints nothing beside its headline
        ("many-to-one", {"train_exact_match": 0.5}),  # not a token section
        ("nope", {"train_exact_match": 0.5}),  # no such section
    ],
)
def test_beside_headline_is_none_when_there_is_nothing_to_print_beside(name, row):
    assert seq2seq.beside_headline(name, row) is None
