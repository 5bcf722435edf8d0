"""The baseline for run_vs_torch: a bare PyTorch loop on the house_prices model.

nn.Linear(3, 1) in float64 from weight [[0.1, 0.3, 4.0]] and bias [0.5], L1 loss, SGD(lr=1e-4),
full batch over the lecture's three rows. Like `dltui run --format json`, it records step,
loss, weights and predictions for steps 0..N and dumps them as one JSON document.
Usage: python bench/bare_loop.py [STEPS] [json|csv]   (on stdout; csv: the same columns as
`dltui run --format csv`, one row written per step as it is computed)
"""

import csv
import json
import sys

import torch
from torch import nn

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
fmt = sys.argv[2] if len(sys.argv) > 2 else "json"

x = torch.tensor([[32, 3, 0.3], [33, 3, 0.5], [36, 4, 0.5]], dtype=torch.float64)
y = torch.tensor([[6.0], [7.0], [8.5]], dtype=torch.float64)
model = nn.Linear(3, 1).double()
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.1, 0.3, 4.0]], dtype=torch.float64))
    model.bias.copy_(torch.tensor([0.5], dtype=torch.float64))
criterion = nn.L1Loss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.0001)


def record(step, loss, predictions):
    return {"step": step, "loss": loss.item(), "test_loss": None, "diverged": False,
            "predictions": predictions.detach()[:, 0].tolist(),
            "layers": [{"weight": model.weight.detach().tolist(), "bias": model.bias.detach().tolist()}]}


if fmt == "csv":
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["step", "loss", "test_loss", "learning_rate", "accuracy", "test_accuracy", "diverged",
                     "layer1.w[1][1]", "layer1.w[1][2]", "layer1.w[1][3]", "layer1.b[1]",
                     "pred[1]", "pred[2]", "pred[3]"])
    for step in range(steps + 1):
        predictions = model(x)
        loss = criterion(predictions, y)
        writer.writerow([step, repr(loss.item()), "", 0.0001, "", "", "false",
                         *map(repr, model.weight.detach()[0].tolist()), repr(model.bias.item()),
                         *map(repr, predictions.detach()[:, 0].tolist())])
        if step == steps:
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    sys.exit(0)

history = []
for step in range(steps + 1):
    predictions = model(x)
    loss = criterion(predictions, y)
    history.append(record(step, loss, predictions))
    if step == steps:
        break
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

json.dump({"title": "bare loop", "diverged": False, "steps": history}, sys.stdout)
sys.stdout.write("\n")
