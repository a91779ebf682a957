#!/usr/bin/env python3
# A copy of shared/tools/calib.py, kept identical, so that `make bench` can divide by it on a fresh clone.
"""A fixed CPU workload shaped like seqtut's (a tiny LSTM and a tiny Transformer, one thread).

Prints its wall time in seconds. Divide a measured time by it, taken in the same run, to get
"calib units": a budget that holds on shared machines of different speeds, where seconds do not.
Run it with the project's own Python: `.venv/bin/python ../shared/tools/calib.py`.
"""
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)
started = time.perf_counter()
lstm, head = nn.LSTM(1, 32, batch_first=True), nn.Linear(32, 1)
opt = torch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=1e-2)
x, y = torch.randn(800, 50, 1), torch.randn(800, 1)
for _ in range(8):
    for i in range(0, 800, 32):
        out, _ = lstm(x[i : i + 32])
        loss = nn.functional.mse_loss(head(out[:, -1]), y[i : i + 32])
        opt.zero_grad(); loss.backward(); opt.step()
model = nn.Transformer(64, 4, 2, 2, 128, 0.0, batch_first=True)
emb, out_head = nn.Embedding(1003, 64), nn.Linear(64, 1003)
opt = torch.optim.Adam([*model.parameters(), *emb.parameters(), *out_head.parameters()], lr=1e-3)
src, tgt = torch.randint(0, 1003, (32, 50)), torch.randint(0, 1003, (32, 51))
mask = nn.Transformer.generate_square_subsequent_mask(50)
for _ in range(60):
    logits = out_head(model(emb(src), emb(tgt[:, :-1]), tgt_mask=mask))
    loss = nn.functional.cross_entropy(logits.flatten(0, 1), tgt[:, 1:].flatten())
    opt.zero_grad(); loss.backward(); opt.step()
print(f"{time.perf_counter() - started:.2f}")
