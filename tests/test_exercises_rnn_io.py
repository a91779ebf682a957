"""Notebook 00's exercises: wrong answers the checkers must reject, and checker-specific checks."""

import torch

from seqtut.exercises import check
from seqtut.exercises.rnn_io import lstm_shapes


def shapes_without_d_in_out(batch_first, num_layers, bidirectional, n, length, h_in, h_out):
    d = 2 if bidirectional else 1
    out = (n, length, h_out) if batch_first else (length, n, h_out)
    return out, (d * num_layers, n, h_out), (d * num_layers, n, h_out)


def shapes_with_batch_first_state(batch_first, num_layers, bidirectional, n, length, h_in, h_out):
    d = 2 if bidirectional else 1
    out = (n, length, d * h_out) if batch_first else (length, n, d * h_out)
    state = (n, d * num_layers, h_out) if batch_first else (d * num_layers, n, h_out)
    return out, state, state


def shapes_without_d_in_state(batch_first, num_layers, bidirectional, n, length, h_in, h_out):
    d = 2 if bidirectional else 1
    out = (n, length, d * h_out) if batch_first else (length, n, d * h_out)
    return out, (num_layers, n, h_out), (num_layers, n, h_out)


def shapes_with_input_size_state(batch_first, num_layers, bidirectional, n, length, h_in, h_out):
    d = 2 if bidirectional else 1
    out = (n, length, d * h_out) if batch_first else (length, n, d * h_out)
    return out, (d * num_layers, n, h_in), (d * num_layers, n, h_in)  # the original's h_0 prose


def summary_from_the_last_step(out, hidden_size):
    return out[:, -1]


def summary_with_halves_swapped(out, hidden_size):
    return torch.cat([out[:, 0, :hidden_size], out[:, -1, hidden_size:]], dim=1)


def summary_of_the_forward_direction_twice(out, hidden_size):
    return torch.cat([out[:, -1, :hidden_size], out[:, -1, :hidden_size]], dim=1)


def _pre_activations(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh):
    return (x_t @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh).chunk(4, dim=1)


def step_with_gates_i_f_o_g(x_t, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    i, f, o, g = _pre_activations(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)
    c_t = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c_t), c_t


def step_without_tanh_on_the_cell(x_t, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    i, f, g, o = _pre_activations(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)
    c_t = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * c_t, c_t


def step_with_a_sigmoid_candidate(x_t, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    i, f, g, o = _pre_activations(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh)
    c_t = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.sigmoid(g)
    return torch.sigmoid(o) * torch.tanh(c_t), c_t


def step_without_the_hidden_bias(x_t, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    i, f, g, o = (x_t @ weight_ih.T + bias_ih + h @ weight_hh.T).chunk(4, dim=1)
    c_t = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c_t), c_t


MUTANTS = {
    "lstm_shapes": [
        shapes_without_d_in_out,
        shapes_with_batch_first_state,
        shapes_without_d_in_state,
        shapes_with_input_size_state,
    ],
    "bidirectional_summary": [
        summary_from_the_last_step,
        summary_with_halves_swapped,
        summary_of_the_forward_direction_twice,
    ],
    "lstm_step": [
        step_with_gates_i_f_o_g,
        step_without_tanh_on_the_cell,
        step_with_a_sigmoid_candidate,
        step_without_the_hidden_bias,
    ],
}


def test_expected_shapes_come_from_real_lstm_calls():
    assert lstm_shapes(True, 2, True, 5, 7, 3, 4) == ((5, 7, 8), (4, 5, 4), (4, 5, 4))
    assert lstm_shapes(False, 1, False, 2, 6, 3, 4) == ((6, 2, 4), (1, 2, 4), (1, 2, 4))


def test_a_torch_size_answer_passes_too():
    def with_sizes(batch_first, num_layers, bidirectional, n, length, h_in, h_out):
        out, h_n, c_n = lstm_shapes(batch_first, num_layers, bidirectional, n, length, h_in, h_out)
        return torch.Size(out), torch.Size(h_n), torch.Size(c_n)

    assert check.lstm_shapes.run(with_sizes).passed
