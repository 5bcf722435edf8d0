"""What a served session may open: bundled scenarios and the teacher's folder, nothing else.

Real files and symlinks in tmp_path; no server (tests/test_serve_limits.py drives a real one).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from dltui.engine.intents import Play
from dltui.engine import ScenarioError, bundled_names, open_scenario
from dltui.tui.served import FOLDER_PREFIX, Served, TooBig
from said import english
from dltui.words.errors import scenario_error_text
from dltui.words.errors import scenario_error_text

HOUSE = Path(__file__).resolve().parent.parent / "scenarios" / "house_prices.toml"
CSV_SCENARIO = """title = "From a CSV"
[data]
features = ["x"]
target = "y"
csv = "{csv}"
[[model.layers]]
units = 1
activation = "identity"
[train]
loss = "mse"
optimizer = "sgd"
learning_rate = 0.1
"""


@pytest.fixture
def classroom(tmp_path: Path) -> dict:
    """A teacher's folder with one good file and every way of reaching outside it."""
    folder = tmp_path / "class"
    folder.mkdir()
    elsewhere = tmp_path / "private"
    elsewhere.mkdir()
    (elsewhere / "secret.toml").write_text(HOUSE.read_text("utf-8").replace("집값 예측", "SECRET"), "utf-8")
    (elsewhere / "secret.csv").write_text("x,y\n1,2\n3,4\n", "utf-8")
    (folder / "good.toml").write_text(HOUSE.read_text("utf-8").replace("집값 예측", "Teacher's houses"), "utf-8")
    (folder / "own.csv").write_text("x,y\n1,2\n2,4\n3,6\n", "utf-8")
    (folder / "csv_inside.toml").write_text(CSV_SCENARIO.format(csv="own.csv"), "utf-8")
    (folder / "csv_outside.toml").write_text(CSV_SCENARIO.format(csv="../private/secret.csv"), "utf-8")
    (folder / "csv_device.toml").write_text(CSV_SCENARIO.format(csv="/dev/zero"), "utf-8")
    (folder / "zero.toml").symlink_to("/dev/zero")
    (folder / "stdin.toml").symlink_to("/dev/stdin")
    (folder / "link_out.toml").symlink_to(elsewhere / "secret.toml")
    (folder / "fifo.toml").parent.joinpath("fifo.toml")
    os.mkfifo(folder / "fifo.toml")
    (folder / "big.toml").write_bytes(b"# " + b"x" * 3_000_000 + b"\n")
    (folder / "sub.toml").mkdir()
    return {"folder": folder, "elsewhere": elsewhere, "served": Served(folder, max_file_bytes=2_000_000)}


def offered(served: Served) -> list[str]:
    return [key for key, _ in served.choices()]


def test_the_dialog_offers_bundled_scenarios_and_only_the_folders_regular_files(classroom):
    keys = offered(classroom["served"])
    assert keys[:len(bundled_names())] == bundled_names()
    folder_files = [k[len(FOLDER_PREFIX):] for k in keys if k.startswith(FOLDER_PREFIX)]
    # the three whose .toml is a small regular file inside; CSVs are checked when opened
    assert folder_files == ["csv_device.toml", "csv_inside.toml", "csv_outside.toml", "good.toml"]
    labels = dict(classroom["served"].choices())
    assert labels[FOLDER_PREFIX + "good.toml"].split() == ["good.toml", "Teacher's", "houses", "(House", "prices)"]
    assert labels[FOLDER_PREFIX + "csv_inside.toml"].endswith("From a CSV")


def test_without_a_folder_only_bundled_scenarios_are_offered():
    assert offered(Served(None)) == bundled_names()
    assert offered(Served(Path("/nonexistent/folder"))) == bundled_names()


def test_a_folder_file_opens_and_reads_its_csv(classroom):
    served = classroom["served"]
    assert served.open(FOLDER_PREFIX + "good.toml").title.startswith("Teacher's houses")
    scenario = served.open(FOLDER_PREFIX + "csv_inside.toml")
    assert scenario.data.n_train == 3
    assert served.open("house_prices").title == open_scenario("house_prices").title


@pytest.mark.parametrize("choice", [
    FOLDER_PREFIX + "zero.toml", FOLDER_PREFIX + "stdin.toml", FOLDER_PREFIX + "link_out.toml",
    FOLDER_PREFIX + "fifo.toml", FOLDER_PREFIX + "sub.toml", FOLDER_PREFIX + "missing.toml",
    FOLDER_PREFIX + "../private/secret.toml", FOLDER_PREFIX + "/dev/zero", FOLDER_PREFIX + "/etc/passwd",
    FOLDER_PREFIX + "csv_outside.toml", FOLDER_PREFIX + "csv_device.toml",
    "/dev/zero", "../../etc/passwd", str(HOUSE), "no_such_bundled",
])
def test_everything_outside_is_refused_with_one_message_that_reveals_nothing(classroom, choice):
    served = classroom["served"]
    for lang, expected in (("en", "This scenario cannot be opened."), ("ko", "이 시나리오는 열 수 없습니다.")):
        with pytest.raises(ScenarioError) as caught:
            served.open(choice)
        message = scenario_error_text(caught.value, lang)
        assert expected in message
        # the same words whether it exists, is a device, a directory or elsewhere
        for leak in ("not found", "directory", "ermission", "SECRET", "secret.csv", "private",
                     str(classroom["folder"]), "/dev/", "/etc/"):
            assert leak not in message.replace(choice.removeprefix(FOLDER_PREFIX), ""), (choice, message)


def test_a_file_past_the_size_cap_is_refused_without_reading_it_all(classroom):
    with pytest.raises(ScenarioError) as caught:
        classroom["served"].open(FOLDER_PREFIX + "big.toml")
    assert "too big" in english(caught.value) and "2.0 MB" in english(caught.value)


def test_a_broken_teacher_file_says_what_is_wrong_without_the_servers_path(classroom):
    folder = classroom["folder"]
    (folder / "broken.toml").write_text(HOUSE.read_text("utf-8").replace('loss = "mae"', 'loss = "maybe"'),
                                        "utf-8")
    with pytest.raises(ScenarioError) as caught:
        classroom["served"].open(FOLDER_PREFIX + "broken.toml")
    message = english(caught.value)
    assert message.startswith("broken.toml: train.loss:") and "maybe" in message
    assert str(folder) not in message


def test_downloads_are_one_zip_and_capped():
    served = Served(max_download_bytes=10_000)
    data = served.pack({"history.json": json.dumps({"steps": [1, 2]}).encode(), "screen.svg": b"<svg/>"})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["history.json", "screen.svg"]
        assert json.loads(archive.read("history.json")) == {"steps": [1, 2]}
    with pytest.raises(TooBig):
        served.pack({"noise.bin": os.urandom(20_000)})


@pytest.mark.slow
async def test_a_long_served_export_is_one_download_thinned_to_fit_its_cap(tmp_path, monkeypatch):
    """The export key in a served app: a zip handed to deliver_binary (textual-serve turns it into
    a browser download), never a folder on disk; a long run keeps every k-th step and says so."""
    from dltui.tui.app import DltuiApp

    monkeypatch.chdir(tmp_path)
    app = DltuiApp(open_scenario("house_prices"), "en")
    app.served = Served(max_download_bytes=200_000)
    delivered: dict = {}
    app.deliver_binary = lambda file, save_filename, **_: delivered.update(name=save_filename, data=file.read())
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(1200):
            if app.session is not None:
                break
            await pilot.pause(0.05)
        await app.send(Play(3000, float("inf")))
        final_loss = app.snapshot.loss
        app.quiz.log, app.quiz.right, app.quiz.asked = [{"kind": "loss", "right": True}], 1, 1
        await pilot.press("e")
        for _ in range(1200):
            if delivered:
                break
            await pilot.pause(0.05)
    assert delivered["name"] == "house_prices-step3000.zip"
    assert len(delivered["data"]) <= 200_000
    with zipfile.ZipFile(io.BytesIO(delivered["data"])) as archive:
        document = json.loads(archive.read("history.json"))
        csv_lines = archive.read("history.csv").decode().splitlines()
        assert json.loads(archive.read("quiz.json"))["right"] == 1     # the quiz log rides along
    every = document["thinned"]["every"]
    assert every > 1 and document["thinned"]["last_step"] == 3000
    steps = [s["step"] for s in document["steps"]]
    assert steps == sorted(set(range(0, 3001, every)) | {3000})
    assert document["steps"][-1]["loss"] == pytest.approx(final_loss, rel=1e-12)
    assert document["steps"][0]["loss"] == pytest.approx(1.7 / 3)        # the lecture's 0.567
    assert csv_lines[0].startswith("# ") and len(csv_lines) == len(steps) + 2
    assert list(tmp_path.iterdir()) == []            # nothing written where the server runs
