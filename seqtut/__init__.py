"""seqtut: sequence models in PyTorch, taught with notebooks and kept honest by tests.

Modules, in the order the tutorial meets them:

- `runtime`: fast mode, seeding, threads, device choice and progress bars.
- `checks`: the argument checks every public function uses.
- `series`: the toy line and a noisy AR(2) swing.
- `data`: sliding windows, chronological splits and window datasets.
- `scalers`: raw, standardized and window-relative scaling.
- `baselines`: forecasts that learn nothing (last value, drift, seasonal naive, the AR(2) floor).
- `metrics`: MAE, RMSE, MAPE, sMAPE, exact match and token accuracy.
- `lstm`: many-to-one, many-to-many and per-time-step LSTM forecasters.
- `training`: the `fit` loop, its learning-rate schedule, early stopping and evaluation.
- `masks`: causal (look-ahead) and padding masks.
- `tokens`: the vocabulary with PAD/SOS/EOS, token datasets and the two token tasks.
- `transformer`: a token seq2seq Transformer with sinusoidal positional encoding.
- `decoding`: batched greedy decoding that stops each row at EOS.
- `forecaster_transformer`: an encoder-only Transformer that forecasts real values.
- `plots`: forecast, loss-curve and heatmap figures.
- `config` and `checkpoints`: save and load a model with its scaler and settings.
- `sections`: one module per tutorial section (settings, data, pipeline, predict) and their registry.
"""

from seqtut.runtime import FAST, choose_device, seed_everything, setup

__version__ = "0.2.0"

__all__ = ["FAST", "__version__", "choose_device", "seed_everything", "setup"]
