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
    """Top-level module names in sys.modules after running `statement` in a fresh interpreter."""
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
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
    assert "The engine never imports the UI KEPT" in result.stdout
    assert "The CLI's run, check, list and explain code never imports the screen KEPT" in result.stdout
    assert "Engine layers: export > pictures > explain > train > load > ops, numbers, naming KEPT" in \
        result.stdout.replace("namingKEPT", "naming KEPT")   # lint-imports may run a long name into KEPT


def test_explain_handout_and_report_load_no_screen_code():
    modules = loaded_after("import dltui.cli.explain_text, dltui.cli.report, dltui.words")
    assert not {"textual", "plotext", "textual_plotext"} & modules


def test_engine_import_leaves_ui_and_torch_out():
    modules = loaded_after("import dltui.engine")
    assert not {"textual", "plotext", "textual_plotext", "torch"} & modules


@pytest.mark.slow
def test_every_engine_module_leaves_ui_out():
    names = sorted(".".join(p.relative_to(ROOT / "engine").with_suffix("").parts)
                   for p in (ROOT / "engine").rglob("*.py") if p.stem != "__init__")
    modules = loaded_after("\n".join(f"import dltui.engine.{n}" for n in names))
    assert "torch" in modules      # trainer and model need it: the import really happened
    assert not {"textual", "plotext", "textual_plotext"} & modules
    assert not any(m.startswith("dltui.tui") for m in modules)


def test_loading_a_scenario_needs_no_torch():
    modules = loaded_after("from dltui.engine import open_scenario, bundled_titles\n"
                           "open_scenario('house_prices'); open_scenario('iris'); bundled_titles()")
    assert "torch" not in modules


def test_check_and_list_do_not_import_torch():
    code = ("import sys, io, contextlib\nfrom dltui.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert main(['list']) == 0\n    assert main(['check', 'house_prices', 'xor']) == 0")
    modules = loaded_after(code)
    assert not {"torch", "textual", "plotext"} & modules


def test_the_tui_loads_without_torch_so_the_first_frame_does_not_wait_for_it():
    """torch's import takes ~1.5 s here: the app module must not pull it in (DESIGN budgets)."""
    code = "import sys, dltui.tui.app, dltui.cli.main; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
