"""Notebook 00's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import pytest
import torch
from exercise_cases import checked_cases
from torch import nn

from seqtut.exercises import check, rnn_io
from seqtut.exercises.rnn_io import GRU_MISTAKES, SHAPE_MISTAKES, lstm_shapes, shapes_by_rule


def _right_shapes(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size):
    return shapes_by_rule(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size)


def shapes_without_d_in_out(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size):
    sizes = (n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size)
    return shapes_by_rule(*sizes, mistake="no D in out")


def shapes_with_batch_first_state(
    n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size
):
    sizes = (n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size)
    return shapes_by_rule(*sizes, mistake="batch_first moves the state")


def shapes_with_the_projection_in_c(
    n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size
):
    sizes = (n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size)
    return shapes_by_rule(*sizes, mistake="projection in c")


def shapes_that_keep_n_for_one_sequence(
    n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size
):
    d, h_out = 2 if bidirectional else 1, proj_size or hidden_size
    batch = 1 if n is None else n  # an unbatched sequence read as a batch of one
    out = (batch, length, d * h_out) if batch_first else (length, batch, d * h_out)
    return out, (d * num_layers, batch, h_out), (d * num_layers, batch, hidden_size)


def shapes_from_a_real_call(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size):
    """The constraint: running nn.LSTM instead of predicting (right values, but the layer is switched off)."""
    return lstm_shapes(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size)


def _shapes_from_another_layer(layer, n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj):
    """Right shapes from a real nn.RNN or nn.GRU run sized like the LSTM (h_out units), c_n taken as h_n with H."""
    h_out = proj or hidden_size
    rnn = layer(input_size, h_out, num_layers, bidirectional=bidirectional, batch_first=batch_first)
    if n is None:
        x = torch.zeros(length, input_size)
    else:
        x = torch.zeros((n, length, input_size) if batch_first else (length, n, input_size))
    out, h_n = rnn(x)
    return tuple(out.shape), tuple(h_n.shape), (*h_n.shape[:-1], hidden_size)


def shapes_from_an_rnn(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size):
    """The constraint around the LSTM: a real nn.RNN call, the reader's right answer that predicts nothing."""
    sizes = (n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size)
    return _shapes_from_another_layer(nn.RNN, *sizes)


def shapes_from_a_gru(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size):
    """The same with a real nn.GRU call."""
    sizes = (n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size)
    return _shapes_from_another_layer(nn.GRU, *sizes)


def shapes_from_torch_rnn_tanh(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size):
    """The same by the function nn.RNN calls, torch.rnn_tanh, reached through torch._C._VariableFunctions."""
    h_out, d = proj_size or hidden_size, 2 if bidirectional else 1
    rnn = nn.RNN(input_size, h_out, num_layers, bidirectional=bidirectional, batch_first=batch_first)
    batch = 1 if n is None else n
    x = torch.zeros((batch, length, input_size) if batch_first else (length, batch, input_size))
    out, h_n = torch._C._VariableFunctions.rnn_tanh(
        x, torch.zeros(d * num_layers, batch, h_out), rnn._flat_weights, True, num_layers, 0.0, False,
        bidirectional, batch_first,
    )  # fmt: skip
    if n is None:
        out, h_n = out.squeeze(0 if batch_first else 1), h_n[:, 0]
    return tuple(out.shape), tuple(h_n.shape), (*h_n.shape[:-1], hidden_size)


def _flat_lstm_call(lstm_function, n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj):
    lstm = nn.LSTM(
        input_size, hidden_size, num_layers, bidirectional=bidirectional, batch_first=batch_first, proj_size=proj
    )
    d, batch = 2 if bidirectional else 1, 1 if n is None else n
    x = torch.zeros((batch, length, input_size) if batch_first else (length, batch, input_size))
    state = (torch.zeros(d * num_layers, batch, proj or hidden_size), torch.zeros(d * num_layers, batch, hidden_size))
    out, h_n, c_n = lstm_function(
        x, state, lstm._flat_weights, True, num_layers, 0.0, False, bidirectional, batch_first
    )
    if n is None:  # one unbatched sequence: drop the batch of one
        out, h_n, c_n = out.squeeze(0 if batch_first else 1), h_n[:, 0], c_n[:, 0]
    return tuple(out.shape), tuple(h_n.shape), tuple(c_n.shape)


def shapes_from_torch_lstm(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size):
    """The constraint by another route: the function nn.LSTM calls, torch.lstm."""
    sizes = (n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size)
    return _flat_lstm_call(torch.lstm, *sizes)


def shapes_from_the_vf_lstm(n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size):
    """The constraint by a private route: torch._C._VariableFunctions.lstm, which cannot be replaced by an attribute."""
    sizes = (n, length, input_size, hidden_size, num_layers, bidirectional, batch_first, proj_size)
    return _flat_lstm_call(torch._C._VariableFunctions.lstm, *sizes)


def summary_at_the_last_step(out, padding_mask, hidden_size):
    return torch.cat([out[-1, :, :hidden_size], out[0, :, hidden_size:]], dim=1)  # the notebook's equal lengths


def _lengths(padding_mask):
    return (~padding_mask).sum(dim=1)


def summary_with_both_halves_at_the_own_last_step(out, padding_mask, hidden_size):
    return out[_lengths(padding_mask) - 1, torch.arange(out.shape[1])]


def summary_one_step_too_far(out, padding_mask, hidden_size):
    steps = _lengths(padding_mask)
    return torch.cat([out[steps, torch.arange(out.shape[1]), :hidden_size], out[0, :, hidden_size:]], dim=1)


def summary_counting_the_padding(out, padding_mask, hidden_size):
    steps = padding_mask.sum(dim=1) - 1  # True taken for a real step
    return torch.cat([out[steps, torch.arange(out.shape[1]), :hidden_size], out[0, :, hidden_size:]], dim=1)


def summary_read_batch_first(out, padding_mask, hidden_size):
    rows = torch.arange(out.shape[1])
    return torch.cat([out[rows, _lengths(padding_mask) - 1, :hidden_size], out[:, 0, hidden_size:]], dim=1)


def my_summary(out, padding_mask, hidden_size):
    columns = torch.arange(out.shape[1])
    return torch.cat([out[_lengths(padding_mask) - 1, columns, :hidden_size], out[0, :, hidden_size:]], dim=1)


def summary_with_gather(out, padding_mask, hidden_size):
    index = (_lengths(padding_mask) - 1).view(1, -1, 1).expand(1, out.shape[1], hidden_size)
    return torch.cat([out[..., :hidden_size].gather(0, index)[0], out[0, :, hidden_size:]], dim=1)


def summary_with_halves_swapped(out, padding_mask, hidden_size):
    columns = torch.arange(out.shape[1])
    return torch.cat([out[0, :, hidden_size:], out[_lengths(padding_mask) - 1, columns, :hidden_size]], dim=1)


def _gru_parts(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    return (x_t @ weight_ih.T + bias_ih).chunk(3, dim=1), (h @ weight_hh.T + bias_hh).chunk(3, dim=1)


def gru_with_gates_z_r_n(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    (x_z, x_r, x_n), (h_z, h_r, h_n) = _gru_parts(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)
    r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
    n = torch.tanh(x_n + r * h_n)
    return (1 - z) * n + z * h


def gru_with_z_and_1_minus_z_swapped(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    (x_r, x_z, x_n), (h_r, h_z, h_n) = _gru_parts(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)
    r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
    n = torch.tanh(x_n + r * h_n)
    return z * n + (1 - z) * h


def gru_with_the_reset_before_the_product(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    (x_r, x_z, x_n), (h_r, h_z, _) = _gru_parts(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)
    r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
    n = torch.tanh(x_n + (r * h) @ weight_hh.chunk(3)[2].T + bias_hh.chunk(3)[2])  # arXiv 1406.1078v3's form
    return (1 - z) * n + z * h


def gru_with_the_reset_outside_the_bias(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    (x_r, x_z, x_n), (h_r, h_z, _) = _gru_parts(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)
    r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
    n = torch.tanh(x_n + r * (h @ weight_hh.chunk(3)[2].T) + bias_hh.chunk(3)[2])  # b_hn left outside r
    return (1 - z) * n + z * h


def gru_with_the_lstm_gates(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    (x_r, x_z, x_n), (h_r, h_z, h_n) = _gru_parts(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)
    r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
    return torch.sigmoid(r) * torch.tanh(x_n + h_n) + z * h


def gru_from_grucell(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """The constraint: nn.GRUCell with the given weights (right values, but the layer is switched off)."""
    cell = nn.GRUCell(x_t.shape[1], h.shape[1])
    with torch.no_grad():
        for name, value in zip(
            ("weight_ih", "weight_hh", "bias_ih", "bias_hh"), (weight_ih, weight_hh, bias_ih, bias_hh)
        ):
            getattr(cell, name).copy_(value)
        return cell(x_t, h)


def gru_from_torch_gru(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """The constraint by another route: torch.gru, the function nn.GRU calls, on a sequence of one step."""
    params = [weight_ih, weight_hh, bias_ih, bias_hh]
    return torch.gru(x_t.unsqueeze(0), h.unsqueeze(0), params, True, 1, 0.0, False, False, False)[1][0]


def gru_from_the_vf_gru_cell(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    return torch._VF.gru_cell(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)


def gru_from_the_aten_operator(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    return torch.ops.aten.gru_cell.default(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)


def gru_from_the_variable_functions(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    return torch._C._VariableFunctions.gru_cell(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)


MUTANTS = {
    "lstm_shapes": [
        shapes_without_d_in_out,
        shapes_with_batch_first_state,
        shapes_with_the_projection_in_c,
        shapes_that_keep_n_for_one_sequence,
        shapes_from_a_real_call,
        shapes_from_torch_lstm,
        shapes_from_the_vf_lstm,
        shapes_from_an_rnn,
        shapes_from_a_gru,
        shapes_from_torch_rnn_tanh,
    ],
    "packed_summary": [
        summary_at_the_last_step,
        summary_with_both_halves_at_the_own_last_step,
        summary_one_step_too_far,
        summary_counting_the_padding,
        summary_read_batch_first,
        summary_with_halves_swapped,
    ],
    "gru_step": [
        gru_with_gates_z_r_n,
        gru_with_z_and_1_minus_z_swapped,
        gru_with_the_reset_before_the_product,
        gru_with_the_reset_outside_the_bias,
        gru_with_the_lstm_gates,
        gru_from_grucell,
        gru_from_torch_gru,
        gru_from_the_vf_gru_cell,
        gru_from_the_aten_operator,
        gru_from_the_variable_functions,
    ],
}


def test_the_rule_the_hints_use_gives_what_real_lstm_calls_return():
    for sizes in [
        (5, 7, 3, 4, 2, True, True, 0),
        (2, 6, 3, 4, 1, False, False, 0),
        (3, 5, 2, 6, 1, True, False, 3),
        (None, 6, 3, 4, 2, True, True, 0),
        (None, 4, 2, 6, 2, True, False, 2),
    ]:
        assert shapes_by_rule(*sizes) == lstm_shapes(*sizes)
    assert lstm_shapes(None, 6, 3, 4, 2, True, True, 0) == ((6, 8), (4, 4), (4, 4))  # batch_first plays no part


def test_a_torch_size_answer_passes_too():
    def with_sizes(*sizes):
        return tuple(torch.Size(shape) for shape in _right_shapes(*sizes))

    assert check.lstm_shapes.run(with_sizes).passed


def test_each_usual_shape_mistake_gets_its_own_hint():
    report = check.lstm_shapes.run(shapes_with_the_projection_in_c).message
    assert f"hint:     {SHAPE_MISTAKES['projection in c']}" in report
    report = check.lstm_shapes.run(shapes_that_keep_n_for_one_sequence).message
    assert "case 5 of 6" in report and f"hint:     {SHAPE_MISTAKES['unbatched keeps N']}" in report
    report = check.lstm_shapes.run(shapes_with_batch_first_state).message
    assert f"hint:     {SHAPE_MISTAKES['batch_first moves the state']}" in report


def test_running_the_layer_is_reported_and_the_layer_works_again_afterwards():
    report = check.lstm_shapes.run(shapes_from_a_real_call).message
    assert (
        "SwitchedOff: predict the shapes: nn.RNN, nn.GRU, nn.LSTM and their functions cannot run while the checker "
        "runs your function" in report
    )
    assert "(line " in report and "of your code" in report  # the learner's line that called it
    out, _ = nn.LSTM(2, 3)(torch.zeros(4, 1, 2))
    assert out.shape == (4, 1, 3)
    report = check.gru_step.run(gru_from_grucell).message
    assert "SwitchedOff: by hand: nn.GRU, nn.GRUCell, torch.gru and torch.gru_cell cannot run" in report
    assert nn.GRUCell(2, 3)(torch.zeros(1, 2)).shape == (1, 3) and nn.GRU(2, 3)(torch.zeros(4, 2))[0].shape == (4, 3)
    assert callable(torch.gru_cell) and "gru_cell" in vars(torch) and "gru" in vars(torch)


def test_a_right_answer_that_runs_another_recurrent_layer_is_reported():
    for mutant in (shapes_from_an_rnn, shapes_from_a_gru, shapes_from_torch_rnn_tanh):
        for case in check.lstm_shapes.make_cases():  # right values with the layers on: the constraint is all it breaks
            assert tuple(tuple(shape) for shape in mutant(*case.args)) == case.expected, (mutant.__name__, case.args)
        report = check.lstm_shapes.run(mutant).message
        assert "SwitchedOff: predict the shapes: nn.RNN, nn.GRU, nn.LSTM" in report, mutant.__name__
    assert nn.RNN(2, 3)(torch.zeros(4, 2))[0].shape == (4, 3) and callable(torch.rnn_tanh)  # on again afterwards
    assert "rnn_tanh" not in vars(torch._VF) and "rnn_tanh" in vars(torch)


def test_every_route_to_the_library_is_reported_and_works_again_afterwards():
    for checker, mutants in [
        (check.lstm_shapes, [shapes_from_torch_lstm, shapes_from_the_vf_lstm]),
        (check.lstm_shapes, [shapes_from_an_rnn, shapes_from_a_gru, shapes_from_torch_rnn_tanh]),
        (check.gru_step, [gru_from_torch_gru, gru_from_the_vf_gru_cell, gru_from_the_aten_operator]),
        (check.gru_step, [gru_from_the_variable_functions]),
    ]:
        for mutant in mutants:
            assert "SwitchedOff: " in checker.run(mutant).message, mutant.__name__
    x, h, w_ih, w_hh, b = torch.zeros(1, 2), torch.zeros(1, 3), torch.zeros(9, 2), torch.zeros(9, 3), torch.zeros(9)
    assert torch._VF.gru_cell(x, h, w_ih, w_hh, b, b).shape == (1, 3)
    assert torch.ops.aten.gru_cell(x, h, w_ih, w_hh, b, b).shape == (1, 3)
    assert "gru_cell" not in vars(torch._VF) and "lstm" not in vars(torch._VF)  # back to the lookup it had


def test_each_usual_summary_mistake_gets_its_own_hint():
    report = check.packed_summary.run(summary_at_the_last_step).message
    assert "case 1 of 4" in report and "hint:     your forward half is padding (zeros)" in report
    report = check.packed_summary.run(summary_with_both_halves_at_the_own_last_step).message
    assert "hint:     packing starts the backward direction at each sequence's own last step" in report
    assert "step 0" not in report  # where the backward direction ends is the exercise's question: no hint answers it
    assert not any("step 0" in hint for hint in check.packed_summary.hints)
    report = check.packed_summary.run(summary_counting_the_padding).message
    assert "hint:     padding_mask is True at padded steps" in report
    report = check.packed_summary.run(summary_one_step_too_far).message  # out of range where T is the longest
    assert "IndexError: index 5 is out of bounds for dimension 0 with size 5 (line " in report

    def one_step_too_far_where_it_can(out, padding_mask, hidden_size):
        if out.shape[0] == _lengths(padding_mask).max():
            return my_summary(out, padding_mask, hidden_size)
        return summary_one_step_too_far(out, padding_mask, hidden_size)

    report = check.packed_summary.run(one_step_too_far_where_it_can).message
    assert "case 4 of 4" in report and "lengths[i] - 1 (steps count from 0)" in report


def test_other_right_summaries_pass():
    assert check.packed_summary.run(my_summary).passed and check.packed_summary.run(summary_with_gather).passed


def test_each_usual_gru_mistake_gets_its_own_hint():
    for mutant, mistake in [
        (gru_with_gates_z_r_n, "order z, r, n"),
        (gru_with_z_and_1_minus_z_swapped, "z swapped"),
        (gru_with_the_reset_before_the_product, "reset before the product"),
        (gru_with_the_reset_outside_the_bias, "reset outside the bias"),
    ]:
        report = check.gru_step.run(mutant).message
        assert f"hint:     {GRU_MISTAKES[mistake]}" in report, mutant.__name__
        assert sum(words in report for words in GRU_MISTAKES.values()) == 1, mutant.__name__


def test_a_gru_case_where_two_mistakes_agree_names_neither():
    """An expert read's answer: with H = 1, W_hn (r ⊙ h) = r ⊙ (W_hn h), so the reset's two misplacements agree."""
    one_unit = next(case for case in check.gru_step.make_cases() if "H = 1" in case.description)
    assert GRU_MISTAKES["reset before the product"] not in one_unit.mistakes
    assert GRU_MISTAKES["reset outside the bias"] not in one_unit.mistakes
    assert GRU_MISTAKES["order z, r, n"] in one_unit.mistakes


# --- the case builders and their helpers, called directly -----------------------------------------------------------


GRU_CELL_ARGS = (torch.zeros(1, 1), torch.zeros(1, 1), torch.zeros(3, 1), torch.zeros(3, 1))  # x, h, w_ih, w_hh


class Layer:
    def forward(self) -> str:
        return "ran"


class Child(Layer):
    """Inherits `forward`: switching it off must not leave a copy of it behind."""


def test_switched_off_refuses_attributes_and_torch_functions_inside_the_block_only():
    with rnn_io.switched_off([(Layer, "forward"), (Child, "forward")], "predict it", functions=["gru_cell"]):
        for call in (Layer().forward, Child().forward):
            with pytest.raises(rnn_io.SwitchedOff, match="^predict it$"):
                call()
        for gru_cell in (torch.gru_cell, torch._VF.gru_cell, torch.ops.aten.gru_cell):  # one operator, three routes
            with pytest.raises(rnn_io.SwitchedOff, match="^predict it$"):
                gru_cell(*GRU_CELL_ARGS)
        assert torch.equal(torch.add(torch.ones(1), 1), torch.tensor([2.0]))  # any other function runs
    assert Layer().forward() == Child().forward() == "ran" and "forward" not in vars(Child)
    assert torch.equal(torch.gru_cell(*GRU_CELL_ARGS), torch.zeros(1, 1))


def test_switched_off_puts_everything_back_when_the_block_raises():
    with pytest.raises(KeyError), rnn_io.switched_off([(Layer, "forward")], "no", functions=["gru_cell"]):
        raise KeyError("inside")
    assert Layer().forward() == "ran"
    torch.gru_cell(*GRU_CELL_ARGS)


def test_packed_run_gives_padded_out_the_padding_mask_and_the_top_layers_summary():
    out, padding_mask, summary = rnn_io.packed_run([3, 1], total=4, num_layers=2, hidden=2, seed=0)
    assert out.shape == (4, 2, 4) and summary.shape == (2, 4)
    assert torch.equal(padding_mask, torch.tensor([[False, False, False, True], [False, True, True, True]]))
    assert torch.equal(out[3, 0], torch.zeros(4)) and torch.equal(out[1:, 1], torch.zeros(3, 4))  # padded steps
    assert torch.equal(summary[:, :2], torch.stack([out[2, 0, :2], out[0, 1, :2]]))  # forward: each own last step
    assert torch.equal(summary[:, 2:], out[0, :, 2:])  # backward: step 0, where it ends
    again = rnn_io.packed_run([3, 1], total=4, num_layers=2, hidden=2, seed=0)
    assert all(torch.equal(a, b) for a, b in zip(again, (out, padding_mask, summary)))  # seeded


def test_summary_read_at_reads_each_half_at_the_steps_named():
    out = torch.arange(12.0).reshape(3, 2, 2)  # (T, N, 2H), H = 1: out[t, n] = [4t + 2n, 4t + 2n + 1]
    lengths = torch.tensor([3, 2])
    assert torch.equal(
        rnn_io.summary_read_at(out, lengths, 1, "last", "first"), torch.tensor([[8.0, 1.0], [10.0, 3.0]])
    )
    assert torch.equal(rnn_io.summary_read_at(out, lengths, 1, "own", "own"), torch.tensor([[8.0, 9.0], [6.0, 7.0]]))
    # "padding count": T - length - 1, which is -1, the last step, for a sequence with no padding
    assert torch.equal(
        rnn_io.summary_read_at(out, lengths, 1, "padding count", "padding count"),
        torch.tensor([[8.0, 9.0], [2.0, 3.0]]),
    )


def test_lstm_shapes_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(rnn_io.lstm_shapes_cases)
    expected = {case.args: case.expected for case in cases}
    assert expected[2, 6, 3, 4, 1, False, False, 0] == ((6, 2, 4), (1, 2, 4), (1, 2, 4))
    assert expected[2, 6, 3, 4, 2, False, True, 2] == ((2, 6, 2), (2, 2, 2), (2, 2, 4))  # c_n keeps hidden_size
    assert expected[None, 6, 3, 4, 2, True, True, 0] == ((6, 8), (4, 4), (4, 4))  # unbatched: no N anywhere


def test_packed_summary_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(rnn_io.packed_summary_cases)
    for case in cases:
        out, padding_mask, hidden = case.args
        lengths = (~padding_mask).sum(dim=1)
        assert torch.equal(case.expected, rnn_io.summary_read_at(out, lengths, hidden, "own", "first"))


def test_gru_step_cases_are_well_formed_and_the_solution_passes():
    cases = checked_cases(rnn_io.gru_step_cases)
    for case in cases:
        x_t, h, weight_ih, weight_hh, bias_ih, bias_hh = case.args
        cell = nn.GRUCell(x_t.shape[1], h.shape[1])
        with torch.no_grad():
            for name, value in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), case.args[2:]):
                getattr(cell, name).copy_(value)
            assert torch.allclose(case.expected, cell(x_t, h), atol=1e-6)
