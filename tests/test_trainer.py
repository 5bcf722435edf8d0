"""The trainer's behaviour over time: phases, stepping back exactly, history, determinism,
divergence, immutable snapshots and bounded memory.

Back-exactness and determinism compare two runs of the engine with each other, bit for bit
(`ndarray.tobytes()`); everything else is checked against hand-written expectations.
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from dltui.engine import Phase, load_scenario, open_scenario
from dltui.engine.train.trainer import Trainer
from house_file import house_file

# --------------------------------------------------------------------------- scenarios

ROWS10 = [[0.3, -1.2, 0.5], [1.1, 0.4, 1.7], [-0.8, 0.9, -0.4], [0.0, -0.3, 0.2], [1.5, 1.2, 2.4],
          [-1.4, -0.6, -1.9], [0.7, -0.9, 0.1], [-0.2, 1.6, 0.9], [0.9, 0.1, 1.0], [-1.0, 0.3, -0.6]]


def write(tmp_path: Path, optimizer: str = "adam", batch_size: int = 0, lr: float = 0.05,
          seed: int = 7, name: str = "s.toml", loss: str = "mse", extra_train: str = "") -> Path:
    """A seeded two-layer regression (no explicit weights) with test rows."""
    rows = ",\n  ".join(str(r) for r in ROWS10)
    path = tmp_path / name
    path.write_text(f"""title = "trainer test"
[data]
features = ["a", "b"]
target = "y"
rows = [
  {rows},
]
test_rows = [[0.5, 0.5, 0.8], [-0.5, 0.2, -0.1]]
normalize = "standard"

[[model.layers]]
units = 3
activation = "tanh"

[[model.layers]]
units = 1
activation = "identity"

[train]
loss = "{loss}"
optimizer = "{optimizer}"
learning_rate = {lr!r}
batch_size = {batch_size}
seed = {seed}
{extra_train}
""", encoding="utf-8")
    return path


def trainer_for(path: Path, **kwargs) -> Trainer:
    return Trainer(load_scenario(path), **kwargs)


def fingerprint(snap) -> dict[str, bytes | object]:
    """Everything a snapshot says about the numbers, as bytes for bit-for-bit comparison."""
    out: dict[str, bytes | object] = {
        "step": snap.step, "phase": snap.phase, "lr": snap.learning_rate,
        "loss": np.float64(snap.loss).tobytes(),
        "test_loss": None if snap.test_loss is None else np.float64(snap.test_loss).tobytes(),
        "predictions": snap.predictions.tobytes(), "row_losses": snap.row_losses.tobytes(),
        "test_predictions": snap.test_predictions.tobytes(),
        "diverged": snap.diverged, "diverged_at": snap.diverged_at,
    }
    for i, layer in enumerate(snap.layers):
        for name in ("weight", "bias", "weight_grad", "bias_grad", "weight_change", "bias_change",
                     "pre_activation", "output"):
            value = getattr(layer, name)
            out[f"{i}.{name}"] = None if value is None else value.tobytes()
        for key, (w, b) in sorted(layer.optimizer_state.items()):
            out[f"{i}.state.{key}"] = (w.tobytes(), None if b is None else b.tobytes())
    return out


def parameters(snap) -> list[bytes]:
    return [a.tobytes() for layer in snap.layers for a in (layer.weight, layer.bias) if a is not None]


def assert_same(a, b, what: str = "", keys: tuple[str, ...] | None = None) -> None:
    fa, fb = fingerprint(a), fingerprint(b)
    if keys is not None:
        fa = {k: v for k, v in fa.items() if any(k.endswith(s) or k == s for s in keys)}
        fb = {k: v for k, v in fb.items() if any(k.endswith(s) or k == s for s in keys)}
    differing = [k for k in fa.keys() | fb.keys() if fa.get(k) != fb.get(k)]
    assert not differing, f"{what}: differ in {sorted(differing)}"


NUMBERS = ("loss", "test_loss", "predictions", "row_losses", "test_predictions", "weight", "bias",
           "pre_activation", "output", "diverged", "diverged_at", "lr", "step")


def with_state(keys=NUMBERS) -> tuple[str, ...]:
    return keys + ("momentum_buffer", "exp_avg", "exp_avg_sq")


# --------------------------------------------------------------------------- phases


def test_phases_of_a_step_row_by_row():
    trainer = Trainer(open_scenario("house_prices"))
    snap = trainer.snapshot()
    assert (snap.step, snap.phase, snap.row, snap.batch_loss) == (0, Phase.START, None, None)
    assert snap.rows_per_phase and snap.batch.tolist() == [0, 1, 2]
    seen = []
    for _ in range(6):
        snap = trainer.advance()
        seen.append((snap.step, snap.phase, snap.row))
        if snap.phase in (Phase.FORWARD, Phase.LOSS):
            assert all(layer.weight_grad is None for layer in snap.layers)
        if snap.phase is Phase.FORWARD:
            assert snap.batch_loss is None
    assert seen == [(0, Phase.FORWARD, 0), (0, Phase.FORWARD, 1), (0, Phase.FORWARD, 2),
                    (0, Phase.LOSS, None), (0, Phase.BACKWARD, None), (1, Phase.UPDATE, None)]
    snap = trainer.advance()
    assert (snap.step, snap.phase, snap.row) == (1, Phase.FORWARD, 0)


def test_loss_and_backward_phases_show_their_numbers():
    trainer = Trainer(open_scenario("house_prices"))
    for _ in range(4):
        snap = trainer.advance()
    assert snap.phase is Phase.LOSS and snap.batch_loss == pytest.approx(1.7 / 3, rel=1e-12)
    snap = trainer.advance()
    assert snap.phase is Phase.BACKWARD and snap.layers[0].weight_grad is not None
    # parameters do not move before UPDATE
    assert snap.layers[0].weight.tolist() == [[0.1, 0.3, 4.0]]
    assert snap.layers[0].weight_change is None


def test_step_mid_phase_finishes_the_step_in_progress(tmp_path):
    path = write(tmp_path, "momentum", batch_size=3)
    a, b = trainer_for(path), trainer_for(path)
    a.advance(), a.advance()
    snap = a.step()
    assert (snap.step, snap.phase) == (1, Phase.UPDATE)
    assert_same(snap, b.step(), "finishing a started step")


def test_run_counts_whole_steps(tmp_path):
    trainer = trainer_for(write(tmp_path, "sgd"))
    assert trainer.run(7) == 7 and trainer.step_count == 7
    assert trainer.snapshot().step == 7


# --------------------------------------------------------------------------- stepping back


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [0, 3])
def test_back_then_forward_is_bit_for_bit(tmp_path, optimizer, batch_size):
    path = write(tmp_path, optimizer, batch_size)
    trainer = trainer_for(path)
    recorded = [trainer.snapshot()]
    for _ in range(8):
        recorded.append(trainer.step())
    # back one at a time to step 3, checking each state on the way
    for k in (7, 6, 5, 4, 3):
        snap = trainer.back()
        assert (snap.step, snap.phase) == (k, Phase.START)
        assert_same(snap, recorded[k], f"back to {k}", with_state())
        assert trainer.learning_rate == recorded[k].learning_rate
    # and on again: the optimizer state came back too, so the same numbers come out
    for k in range(4, 9):
        assert_same(trainer.step(), recorded[k], f"forward again to {k}", with_state(NUMBERS + ("_grad", "_change")))


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_forward_back_forward_repeated(tmp_path, optimizer):
    trainer = trainer_for(write(tmp_path, optimizer, batch_size=4))
    trainer.run(5)
    first = trainer.step()
    for _ in range(5):
        trainer.back()
        again = trainer.step()
        assert_same(again, first, "step 6 after back", with_state(NUMBERS + ("_grad", "_change")))


@pytest.mark.parametrize("stop", ["forward-first-row", "forward-second-row", "forward-last-row",
                                  "loss", "backward"])
@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_back_from_mid_step_returns_to_its_start(tmp_path, stop, optimizer):
    trainer = trainer_for(write(tmp_path, optimizer, batch_size=3))
    trainer.run(5)
    trainer.back()
    start = trainer.snapshot()        # step 4 at START; its batch has 3 rows
    assert (start.step, start.phase) == (4, Phase.START) and len(trainer.batch_rows(4)) == 3
    next_step = trainer.step()
    trainer.back()
    phases = {"forward-first-row": 1, "forward-second-row": 2, "forward-last-row": 3, "loss": 4,
              "backward": 5}[stop]
    for _ in range(phases):
        snap = trainer.advance()
    assert snap.step == 4 and snap.phase.value == stop.split("-")[0]
    snap = trainer.back()
    assert (snap.step, snap.phase) == (4, Phase.START)
    assert_same(snap, start, "back from mid-step", with_state())
    assert all(layer.weight_grad is None for layer in snap.layers)
    assert_same(trainer.step(), next_step, "the step after", with_state(NUMBERS + ("_grad", "_change")))


def test_back_at_step_zero_stays(tmp_path):
    trainer = trainer_for(write(tmp_path))
    first = trainer.snapshot()
    snap = trainer.back()
    assert (snap.step, snap.phase) == (0, Phase.START)
    assert_same(snap, first, "back at 0", with_state())


def test_reset(tmp_path):
    path = write(tmp_path, "adam", batch_size=3, lr=0.05)
    trainer = trainer_for(path)
    initial = trainer.snapshot()
    trainer.run(20)
    trainer.set_learning_rate(0.5)
    trainer.run(3)
    snap = trainer.reset()
    assert (snap.step, snap.phase, snap.learning_rate) == (0, Phase.START, 0.05)
    assert_same(snap, initial, "reset", with_state())
    assert len(trainer.history) == 1
    fresh = trainer_for(path)
    fresh.run(10)
    trainer.run(10)
    assert_same(trainer.snapshot(), fresh.snapshot(), "after reset, like a fresh run", with_state())


@pytest.mark.slow
def test_go_to_across_a_thinned_history(tmp_path):
    path = write(tmp_path, "adam", batch_size=3)
    thinned = trainer_for(path, history_budget_bytes=16_000)
    thinned.run(2000)
    # states really were thinned: the nearest saved state of an old step is far behind it
    saved_at, _ = thinned.history.nearest_state(1001)
    assert saved_at < 1001 - 8
    targets = [2000, 1999, 1900, 1745, 1501, 1001, 777, 255, 254, 3, 1, 0]
    reference = trainer_for(path)
    expected = {}
    for k in sorted(targets):
        reference.run(k - reference.step_count)
        expected[k] = reference.snapshot()
    for k in targets:   # newest first: going back writes a new future from there
        snap = thinned.go_to(k)
        assert (snap.step, snap.phase) == (k, Phase.START)
        assert_same(snap, expected[k], f"go_to({k})", with_state())
    # and running on from the start of a replayed history reproduces the same run
    thinned.run(1501)
    assert_same(thinned.snapshot(), expected[1501], "run on after go_to", with_state())


def test_go_to_out_of_range_raises_value_error(tmp_path):
    trainer = trainer_for(write(tmp_path))
    trainer.run(3)
    with pytest.raises(ValueError):
        trainer.go_to(4)
    with pytest.raises(ValueError):
        trainer.go_to(-1)


# --------------------------------------------------------------------------- learning rate


def test_learning_rate_change_is_part_of_history(tmp_path):
    path = write(tmp_path, "momentum", batch_size=3, lr=0.05)
    trainer = trainer_for(path)
    trainer.run(5)
    trainer.set_learning_rate(0.2)
    assert trainer.snapshot().learning_rate == 0.2
    first = {5: trainer.snapshot()}
    for k in range(6, 11):
        first[k] = trainer.step()
    assert trainer.history.learning_rates[5] == 0.2 and trainer.history.learning_rates[4] == 0.05

    # back to a step after the change: the changed rate is in force, the same numbers follow
    snap = trainer.go_to(7)
    assert snap.learning_rate == 0.2 and trainer.learning_rate == 0.2
    for k in range(8, 11):
        assert_same(trainer.step(), first[k], f"after going back to 7, step {k}", with_state())

    # back to before the change: the rate then in force comes back
    snap = trainer.go_to(3)
    assert snap.learning_rate == 0.05 and trainer.learning_rate == 0.05
    trainer.run(2)
    # redo the change at step 5: the same numbers as the first time, bit for bit
    trainer.set_learning_rate(0.2)
    assert_same(trainer.snapshot(), first[5], "step 5 again", with_state())
    trainer.run(5)
    assert_same(trainer.snapshot(), first[10], "step 10 again", with_state())

    # and the change really mattered: without it step 10 differs
    plain = trainer_for(path)
    plain.run(10)
    assert parameters(plain.snapshot()) != parameters(first[10])


def test_learning_rate_change_replayed_from_a_thinned_state(tmp_path):
    """go_to replays from a saved state before the change, using each step's own rate."""
    path = write(tmp_path, "adam", batch_size=3, lr=0.01)
    trainer = trainer_for(path, history_budget_bytes=4_000)
    trainer.run(5)
    trainer.set_learning_rate(0.03)
    trainer.run(5)
    trainer.set_learning_rate(0.002)
    trainer.run(800)
    assert trainer.history.nearest_state(12)[0] < 5, "the state at 12 must be replayed across both changes"
    snap = trainer.go_to(12)
    reference = trainer_for(path)
    reference.run(5)
    reference.set_learning_rate(0.03)
    reference.run(5)
    reference.set_learning_rate(0.002)
    reference.run(2)
    assert snap.learning_rate == 0.002
    assert_same(snap, reference.snapshot(), "go_to(12) across two rate changes", with_state())


def test_bad_learning_rate_is_refused(tmp_path):
    trainer = trainer_for(write(tmp_path))
    for lr in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError):
            trainer.set_learning_rate(lr)
    assert trainer.learning_rate == 0.05


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_two_fresh_runs_are_identical(tmp_path, optimizer):
    import torch

    path = write(tmp_path, optimizer, batch_size=3)
    a = trainer_for(path)
    torch.manual_seed(12345)          # global RNG use must not matter
    np.random.seed(54321)
    torch.rand(100)
    b = trainer_for(path)
    assert_same(a.snapshot(), b.snapshot(), "step 0")
    for k in range(1, 301):
        sa, sb = a.step(), b.step()
        if k % 50 == 0 or k < 5:
            assert_same(sa, sb, f"step {k}")
    assert [a.batch_rows(k).tolist() for k in range(20)] == [b.batch_rows(k).tolist() for k in range(20)]


def test_seed_changes_the_numbers(tmp_path):
    a = trainer_for(write(tmp_path, seed=1, name="a.toml"))
    b = trainer_for(write(tmp_path, seed=2, name="b.toml"))
    assert parameters(a.snapshot()) != parameters(b.snapshot())


@pytest.mark.slow
def test_same_numbers_in_another_process(tmp_path):
    path = write(tmp_path, "adam", batch_size=3)
    trainer = trainer_for(path)
    trainer.run(200)
    here = [float(v) for layer in trainer.snapshot().layers for v in layer.weight.ravel()]
    code = ("import sys; from dltui.engine import load_scenario; from dltui.engine.train.trainer import Trainer;"
            "t = Trainer(load_scenario(sys.argv[1])); t.run(200);"
            "print(repr([float(v) for l in t.snapshot().layers for v in l.weight.ravel()]))")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(here)


# --------------------------------------------------------------------------- divergence



@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_divergence_stops_the_run_without_raising(tmp_path, optimizer):
    path = house_file(tmp_path, loss="mse", lr="1000.0", optimizer=optimizer, name="diverge.toml")
    trainer = trainer_for(path)
    done = trainer.run(10_000)
    snap = trainer.snapshot()
    assert 0 < done < 10_000
    assert snap.diverged and trainer.diverged
    assert snap.diverged_at == snap.step == done == trainer.step_count
    values = [snap.loss] + [float(v) for v in snap.layers[0].weight.ravel()] + snap.layers[0].bias.tolist()
    assert not all(math.isfinite(v) for v in values)
    # stopped: neither run nor advance nor step moves it
    assert trainer.run(5) == 0
    assert trainer.advance().step == done and trainer.step().step == done
    assert len(trainer.history) == done + 1
    # the step before is finite and not diverged, and stepping back still works
    back = trainer.back()
    assert back.step == done - 1 and not back.diverged and back.diverged_at is None
    assert math.isfinite(back.loss) and np.isfinite(back.layers[0].weight).all()
    again = trainer.step()
    assert again.diverged and again.diverged_at == done
    # and a reset clears it
    assert not trainer.reset().diverged


def test_divergence_at_step_zero(tmp_path):
    path = house_file(tmp_path, weight="[[1e307, 1e307, 1e307]]", loss="mse", lr="1000.0", name="huge.toml")
    trainer = trainer_for(path)
    snap = trainer.snapshot()
    assert snap.diverged and snap.diverged_at == 0
    assert trainer.run(3) == 0 and trainer.step_count == 0


# --------------------------------------------------------------------------- snapshots


def all_arrays(snap):
    for f in dataclasses.fields(snap):
        value = getattr(snap, f.name)
        if isinstance(value, np.ndarray):
            yield f.name, value
    for i, layer in enumerate(snap.layers):
        for f in dataclasses.fields(layer):
            value = getattr(layer, f.name)
            if isinstance(value, np.ndarray):
                yield f"layers[{i}].{f.name}", value
        for key, pair in layer.optimizer_state.items():
            for j, value in enumerate(pair):
                if value is not None:
                    yield f"layers[{i}].optimizer_state[{key}][{j}]", value


@pytest.mark.parametrize("name", ["house_prices", "iris", "xor"])
def test_snapshot_arrays_are_read_only(name):
    trainer = Trainer(open_scenario(name))
    trainer.run(2)
    for _ in range(5):                  # through FORWARD, LOSS, BACKWARD: gradients present
        trainer.advance()
    snap = trainer.snapshot()
    writeable = [field for field, array in all_arrays(snap) if array.flags.writeable]
    assert not writeable, f"writeable snapshot arrays: {writeable}"
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.loss = 0.0


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_snapshot_unchanged_by_later_steps(tmp_path, optimizer):
    trainer = trainer_for(write(tmp_path, optimizer))
    trainer.run(3)
    for _ in range(3):
        trainer.advance()
    snaps = [trainer.snapshot(), trainer.advance(), trainer.advance()]   # mid-step, backward, update
    copies = [{k: v.copy() for k, v in all_arrays(s)} for s in snaps]
    scalars = [(s.step, s.phase, s.loss, s.batch_loss) for s in snaps]
    trainer.run(5)
    trainer.back()
    trainer.set_learning_rate(1.0)
    trainer.run(3)
    for s, c, sc in zip(snaps, copies, scalars):
        assert (s.step, s.phase, s.loss, s.batch_loss) == sc
        for k, v in all_arrays(s):
            assert v.tobytes() == c[k].tobytes(), k


# --------------------------------------------------------------------------- memory


def stored_bytes(history) -> int:
    """Bytes the history holds: per-step arrays plus every saved state."""
    per_step = sum(arr.itemsize * len(arr) for arr in (history.losses, history.test_losses,
                                                         history.learning_rates))
    return per_step + sum(state.nbytes for state in history._states.values())


def rss_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


@pytest.mark.slow
def test_history_of_100k_steps_stays_under_100_mb(record_property):
    trainer = Trainer(open_scenario("house_prices"))
    rss_before = rss_bytes()
    started = time.perf_counter()
    assert trainer.run(100_000) == 100_000
    elapsed = time.perf_counter() - started
    record_property("seconds_for_100k_steps", elapsed)
    rss_growth = rss_bytes() - rss_before
    print(f"100,000 steps in {elapsed:.1f} s; history {stored_bytes(trainer.history) / 1e6:.1f} MB; "
          f"RSS +{rss_growth / 1e6:.1f} MB")
    assert len(trainer.history) == 100_001
    assert stored_bytes(trainer.history) < 100e6
    assert rss_growth < 100e6
    # still exact far back after a long run
    snap = trainer.go_to(31_337)
    reference = Trainer(open_scenario("house_prices"))
    reference.run(31_337)
    assert parameters(snap) == parameters(reference.snapshot())


@pytest.mark.slow
def test_history_budget_bounds_real_memory():
    """A history budget of 1 MB keeps the memory the history really takes near 1 MB.

    Run in a fresh interpreter so that the peak resident size (VmHWM) is this run's own."""
    code = """
import gc
from dltui.engine import open_scenario
from dltui.engine.train.trainer import Trainer

def peak():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) * 1024

trainer = Trainer(open_scenario('house_prices'), history_budget_bytes=1 << 20)
trainer.run(50)
gc.collect()
before = peak()
trainer.run(20_000)
print(peak() - before)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    growth = int(result.stdout.strip())
    per_step_series = 20_000 * 3 * 8     # losses, test losses, learning rates
    assert growth < 2 * (1 << 20) + per_step_series + (1 << 20), \
        f"peak memory grew {growth / 1e6:.1f} MB with a 1 MB history budget"
