"""seqtut: sequence models in PyTorch, taught with notebooks and kept honest by tests.

Modules, in the order the tutorial meets them:

- `settings`: fast mode, seeding, threads and device choice.
- `data`: the toy series, sliding windows, scalers, datasets and the vocabulary.
- `lstm`: many-to-one, many-to-many and per-time-step LSTM forecasters.
- `masks`: causal (look-ahead) and padding masks.
- `transformer`: a token seq2seq Transformer with sinusoidal positional encoding.
- `training`: the `fit` loop, losses and held-out evaluation.
- `decoding`: batched greedy decoding that stops at EOS, and its metrics.
- `plots`: forecast, loss-curve and heatmap figures.
- `checkpoints`: save and load a model with its scaler and config.
- `sections`: each tutorial section's settings and end-to-end run (used by the CLI).
"""

from seqtut.settings import FAST, choose_device, seed_everything, setup

__version__ = "0.1.0"

__all__ = ["FAST", "__version__", "choose_device", "seed_everything", "setup"]
