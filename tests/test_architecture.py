"""The engine stays UI-free: import-linter's contract, and plain fresh-interpreter checks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def loaded_after(statement: str) -> set[str]:
    """Every module name in sys.modules (packages and their submodules, `torch` and
    `dltui.tui.app` alike) after running `statement` in a fresh interpreter."""
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_import_linter_contract():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if lint is None:
        pytest.fail("lint-imports (import-linter, a test extra) is not installed")
    result = subprocess.run([lint], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    kept = " ".join(result.stdout.split()).replace("symbolsKEPT", "symbols KEPT")   # long names wrap
    for name in ("The engine never imports the UI",
                 "The CLI's run, check, list and explain code never imports the screen",
                 "The screen imports neither torch nor the trainers (it talks to engine.session)",
                 "Engine layers: session > play_process > intents, frame > export > pictures > explain > train > load > ops, "
                 "views, numbers, naming, symbols"):
        assert f"{name} KEPT" in kept, name


def test_explain_handout_and_report_load_no_screen_code():
    modules = loaded_after("import dltui.cli.explain_text, dltui.cli.report, dltui.words")
    assert not {"textual", "rich"} & modules


def test_engine_import_leaves_ui_and_torch_out():
    modules = loaded_after("import dltui.engine")
    assert not {"textual", "rich", "torch"} & modules


@pytest.mark.slow
def test_every_engine_module_leaves_ui_out():
    names = sorted(".".join(p.relative_to(ROOT / "engine").with_suffix("").parts)
                   for p in (ROOT / "engine").rglob("*.py") if p.stem != "__init__")
    modules = loaded_after("\n".join(f"import dltui.engine.{n}" for n in names))
    assert "torch" in modules      # trainer and model need it: the import really happened
    assert "dltui.engine.session" in modules and "dltui.engine.train.trainer" in modules
    assert not {"textual", "rich"} & modules
    assert not screen_modules(modules)


def screen_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m == "dltui.tui" or m.startswith("dltui.tui.")}


def test_the_screen_check_catches_a_planted_import():
    """The check above can fail: an engine import that drags one screen module in is seen."""
    modules = loaded_after("import dltui.engine.session\nimport dltui.tui.i18n")
    assert screen_modules(modules) == {"dltui.tui", "dltui.tui.i18n"}


def test_loading_a_scenario_needs_no_torch():
    modules = loaded_after("from dltui.engine import open_scenario, bundled_titles\n"
                           "open_scenario('house_prices'); open_scenario('iris'); bundled_titles()")
    assert "torch" not in modules


def test_check_and_list_do_not_import_torch():
    code = ("import sys, io, contextlib\nfrom dltui.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert main(['list']) == 0\n    assert main(['check', 'house_prices', 'xor']) == 0")
    modules = loaded_after(code)
    assert not {"torch", "textual", "rich"} & modules


def test_the_tui_loads_without_torch_so_the_first_frame_does_not_wait_for_it():
    """torch's import takes ~1.5 s here: the app module must not pull it in (DESIGN budgets)."""
    code = "import sys, dltui.tui.app, dltui.cli.main; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_screen_reaches_no_trainer_and_holds_no_lock():
    """key → intent → Session → frame → widgets: no screen module names the trainer, a lock, or
    asks whether it holds a comparison (the issue's `grep` as a test)."""
    import re

    pattern = re.compile(r"hasattr\(.*runs|\.trainer\b|_lock|\bthreading\b")
    found = [f"{path.name}:{number}: {line.strip()}"
             for path in sorted((ROOT / "tui").glob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if pattern.search(line)]
    assert found == []


def test_every_word_is_in_the_catalogue_without_importing_who_says_it():
    """words/messages.py holds every key itself: no module adds to MESSAGES when imported, so a
    message never depends on which module happened to load first."""
    code = ("import sys; from dltui.words.messages import t; "
            "print(t('out.cannot_write', 'ko', folder='f', why='w')); print(t('formula.mae', 'en')); "
            "print('dltui.words.output' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["f에 저장하지 못했습니다: w. 아무 파일도 반쯤 쓰인 채 남지 않았습니다",
                                          "|target − predict|", "False"]
    adders = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "words").glob("*.py")
                    if p.name != "messages.py" and "MESSAGES.update(" in p.read_text(encoding="utf-8"))
    assert adders == []
