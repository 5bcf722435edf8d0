"""The lecture's house table as a scenario file with chosen weights, bias, loss and optimizer."""

from __future__ import annotations

from pathlib import Path


def house_file(tmp_path: Path, weight: str = "[[0.1, 0.3, 4.0]]", bias: str = "[0.5]", loss: str = "mae",
               lr: str = "0.0001", optimizer: str = "sgd", name: str = "house.toml") -> Path:
    path = tmp_path / name
    path.write_text(f"""title = "집값 예측"

[data]
features = ["평수", "방 개수", "지하철 역과의 거리"]
target = "집 값"
rows = [
  [32, 3, 0.3, 6.0],
  [33, 3, 0.5, 7.0],
  [36, 4, 0.5, 8.5],
]

[[model.layers]]
units = 1
activation = "identity"
weight = {weight}
bias = {bias}

[train]
loss = "{loss}"
optimizer = "{optimizer}"
learning_rate = {lr}
""", encoding="utf-8")
    return path
