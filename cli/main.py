"""The `dltui` command: the TUI by default, and `run` / `list` / `check` without a screen.

Imports stay lazy: `list` and `check` never load torch, and the TUI loads torch after its
first frame.
"""

from __future__ import annotations

import argparse
import contextlib
import sys

from dltui.engine import DEFAULT_SCENARIO, ScenarioError, load_scenario, open_scenario, resolve
from dltui.engine.load.overrides import load_with_overrides, parse_assignment, with_overrides
from dltui.words import LANGS, default_language
from dltui.words.errors import scenario_error_text
from dltui.words.cli import said
from dltui.words.input_errors import dropped_text
from .arguments import non_negative
from .columns import cells, ljust
from .parser import Parser
from .plain_text import PlainWriter, plain

SUBCOMMANDS = ("run", "list", "check", "serve")
EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    argv = subcommand_first(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS:
            with plain_output():
                return _subcommand(argv)
        return _tui(argv)
    except ScenarioError as exc:
        print(f"dltui: {plain(scenario_error_text(exc, language(argv)))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `dltui run ... | head`: the reader left, nothing more to say
        sys.stderr.close()
        return 0


def subcommand_first(argv: list[str]) -> list[str]:
    """`dltui --lang ko run …` read as `dltui run … --lang ko`: a learner who puts the language
    first still reaches the subcommand (every subcommand takes --lang)."""
    index = 0
    while index < len(argv) and (argv[index] == "--lang" or argv[index].startswith("--lang=")):
        index += 2 if argv[index] == "--lang" else 1
    if 0 < index < len(argv) and argv[index] in SUBCOMMANDS:
        return [argv[index], *argv[index + 1:], *argv[:index]]
    return argv


def language(argv: list[str]) -> str:
    """--lang's value when it is given, else the locale's (LC_ALL, LC_MESSAGES, LANG): read before
    argparse, so a problem found while the arguments are read is said in it too."""
    for index, arg in enumerate(argv):
        value = argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else arg.removeprefix("--lang=")
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGS:
            return value
    return default_language()


@contextlib.contextmanager
def plain_output():
    """stdout and stderr without control characters while a subcommand prints (cli/plain_text)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PlainWriter(out), PlainWriter(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def _tui(argv: list[str]) -> int:
    parser = Parser(
        prog="dltui", lang=language(argv),
        description="Step through how a neural network learns, one key press at a time.",
        epilog="Other commands: dltui run SCENARIO | dltui list | dltui check FILE... "
               "(see `dltui run --help`).")
    parser.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                        help=f"a bundled scenario name (see `dltui list`) or a .toml path "
                             f"(default: {DEFAULT_SCENARIO})")
    parser.add_argument("--quiz", action="store_true",
                        help="quiz mode: each phase asks for its number before it shows it (k toggles)")
    parser.add_argument("--lang", choices=("ko", "en"), default=None,
                        help="language of the screen (default: from LANG / LC_ALL)")
    _add_set(parser)
    args = parser.parse_args(argv)
    overrides = _overrides(args.set)
    startup_error = None
    try:
        scenario = open_scenario(args.scenario)
    except ScenarioError as exc:  # show it in the app, on the default scenario
        startup_error = exc        # the app says it in the screen's language (dltui.words.errors)
        scenario = open_scenario(DEFAULT_SCENARIO)
    else:
        if overrides:  # a bad --set exits 2 (main), like run and check
            scenario = with_overrides(scenario, overrides)
    from ..tui.app import run_app  # Textual only when a screen is wanted

    run_app(scenario, args.lang, startup_error, quiz=args.quiz)
    return 0


def _subcommand(argv: list[str]) -> int:
    parser = Parser(prog="dltui", lang=language(argv))
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="train without a screen and print every step")
    run.add_argument("scenario", help="a bundled scenario name or a .toml path")
    run.add_argument("--steps", type=non_negative, default=10, help="updates to run (default: 10)")
    run.add_argument("--format", choices=("table", "csv", "json"), default="table",
                     help="table for people, csv or json for scripts (default: table)")
    run.add_argument("--explain", action="store_true",
                     help="print each step's arithmetic (forward sums, loss, gradients, update) as text")
    run.add_argument("--code", action="store_true",
                     help="print the scenario's training loop as a PyTorch script (the code pane's text) "
                          "instead of training; it runs as is next to a copy of any CSV it reads")
    run.add_argument("--out", metavar="DIR", default=None,
                     help="also save history.json, history.csv and screen.svg (the screen at the "
                          "last step) in DIR")
    run.add_argument("--notebook", metavar="FILE.ipynb", default=None,
                     help="write the scenario (or every run of a comparison) as a Jupyter notebook instead of "
                          "training: the first step phase by phase, then --steps updates; a CSV it reads is "
                          "copied beside it")
    _add_set(run)
    run.add_argument("--run", metavar="NAME", default=None,
                     help="in a comparison ([[compare]] runs): train this run alone, printed like a "
                          "single scenario")
    _add_lang(run, "the table, the messages, --explain's headings, --code's comments and --notebook's text")
    _add_lang(commands.add_parser("list", help="the bundled scenarios in the course's order, under its headings"),
              "the course's headings")
    check = commands.add_parser("check", help="validate scenario files; exit 2 if any is invalid")
    check.add_argument("files", nargs="+", metavar="FILE")
    _add_set(check)
    _add_lang(check, "the problems found")
    serve = commands.add_parser("serve", help="serve the TUI in web browsers (one session per tab)")
    from .serve import add_arguments as add_serve_arguments, serve as _serve

    add_serve_arguments(serve, DEFAULT_SCENARIO)
    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    lang = args.lang or default_language()
    if args.command == "list":
        return _list(lang)
    overrides = _overrides(getattr(args, "set", None))
    if args.command == "check":
        return _check(args.files, overrides, lang)
    scenario = _open(args.scenario, overrides)
    if args.run is not None:    # one run of a comparison, alone: the single-run schema
        from dltui.engine.train.comparison import run_alone

        scenario = run_alone(scenario, args.run)
    elif args.notebook is None and _is_comparison(scenario):
        return _compare(scenario, args, lang)
    if args.notebook is not None:
        return _notebook(scenario, args.steps, args.notebook, lang)
    if args.code:
        return _code(scenario, args.steps, lang)
    if args.explain:
        return _explain(scenario, args.steps, lang)
    return _run(scenario, args.steps, args.format, args.out, lang)


def _is_comparison(scenario) -> bool:
    from dltui.engine.load.compare import is_comparison

    return is_comparison(scenario)


def _compare(scenario, args, lang: str) -> int:
    """Every run of a comparison; --code / --explain / --out follow one run (--run NAME)."""
    if args.code or args.explain or args.out:
        from dltui.engine.load.compare import comparison_runs

        raise ScenarioError(scenario.path, "", "compare.needs_run",
                            allowed=tuple(r.name for r in comparison_runs(scenario)))
    from .compare_report import write_comparison

    write_comparison(scenario, args.steps, args.format, sys.stdout, lang)
    return 0


def _add_lang(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--lang", choices=LANGS, default=None,
                        help=f"language of {what} (default: from LC_ALL / LC_MESSAGES / LANG; ko_KR.UTF-8 is ko)")


def _add_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a key of the scenario before it is checked, e.g. "
                             "--set train.learning_rate=0.001 --set 'model.layers[1].weight=[[0.1,0.3,3]]' "
                             "(KEY as in the file, layers counted from 1; VALUE is TOML; repeatable)")


def _overrides(assignments: list[str] | None) -> list[tuple[str, object]]:
    """Every --set parsed up front, so a typo is reported before anything runs."""
    return [parse_assignment(text) for text in assignments or ()]


def _open(name: str, overrides: list[tuple[str, object]]):
    if overrides:
        return load_with_overrides(resolve(name), overrides)
    return open_scenario(name)


def _list(lang: str) -> int:
    """Name and title of every bundled scenario, in the course's order; `#` lines are headings."""
    from dltui.engine.load.course import course_listing

    groups = course_listing()
    width = max((len(name) for _, rows in groups for name, _ in rows), default=0)
    for index, (section, rows) in enumerate(groups):
        if index:
            print()
        print(f"# {section.title(lang)}")
        for name, title in rows:
            print(f"{name:<{width}}  {title}")
    return 0


def _code(scenario, steps: int, lang: str) -> int:
    """The generated PyTorch script: the same losses as `dltui run NAME --steps N`."""
    from dltui.engine.explain.codegen import training_code
    from dltui.words.code import code_text

    sys.stdout.write(code_text(training_code(scenario, steps=steps).lines, lang))
    return 0


def _notebook(scenario, steps: int, file: str, lang: str) -> int:
    """The scenario as a Jupyter notebook at `file` (and its CSV beside it)."""
    from pathlib import Path

    from .notebook import write_notebook

    try:
        paths = write_notebook(scenario, steps, Path(file), lang)
    except OSError as exc:   # output errors exit 2, like bad input
        from dltui.words.output import reason_text

        print(f"dltui: {said('run.cannot_write', lang, path=file, why=reason_text(exc, lang))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(said("run.saved", lang, paths=", ".join(str(p) for p in paths)), file=sys.stderr)
    return 0


def _check(files: list[str], overrides: list[tuple[str, object]], lang: str) -> int:
    status = 0
    marks = said("check.ok", lang), said("check.invalid", lang)
    width = max(map(cells, marks)) + 2
    ok, invalid = (ljust(mark, width) for mark in marks)
    for file in files:
        try:
            scenario = load_with_overrides(resolve(file), overrides)
            runs = _runs(scenario, lang)
        except ScenarioError as exc:
            print(f"{invalid}{scenario_error_text(exc, lang)}", file=sys.stderr)
            status = EXIT_BAD_INPUT
        else:
            print(f"{ok}{file}: {scenario.title}{runs}")
            if scenario.data.dropped_rows:
                print(f"{' ' * width}{dropped_text(scenario, lang)}")
    return status


def _runs(scenario, lang: str) -> str:
    """A comparison's runs, each validated like a file of its own (raises ScenarioError)."""
    from dltui.engine.load.compare import comparison_runs

    runs = comparison_runs(scenario)
    return said("check.runs", lang, count=len(runs), names=", ".join(r.name for r in runs)) if runs else ""


def _explain(scenario, steps: int, lang: str) -> int:
    from .explain_text import write_explained

    write_explained(scenario, steps, lang, sys.stdout)
    return 0


def _run(scenario, steps: int, fmt: str, out: str | None, lang: str) -> int:
    from pathlib import Path

    from dltui.engine.export import ExportFiles, fresh_records, trainer_records
    from dltui.engine.run_folder import OutputError, RunFolder
    from .report import write_report  # torch is imported here, not for list/check

    if scenario.data.dropped_rows:
        print(f"dltui: {dropped_text(scenario, lang)}", file=sys.stderr)
    if out is None:
        write_report(scenario, fresh_records(scenario, steps), fmt, sys.stdout, lang)
        return 0
    from dltui.engine.train.trainer import Trainer
    from ..tui.screenshot import save_screen

    trainer = Trainer(scenario)   # where it ends becomes scenario.toml's start
    first = trainer.step_count    # 0, or a saved run's step
    try:   # every file goes into a staging folder that becomes `out` in one rename
        with RunFolder(Path(out)) as run:
            with ExportFiles(scenario, run.folder, first + steps) as files:
                last = write_report(scenario, trainer_records(trainer, steps), fmt, sys.stdout, lang, also=files)
                files.commit()
            save_screen(scenario, last - first, run.folder / "screen.svg")
            _scenario_file(trainer, run.folder, lang)
            paths = run.commit()
    except (OSError, OutputError) as exc:   # one line, in the reader's language: output errors exit 2
        from dltui.words.output import output_error_text

        error = exc if isinstance(exc, OutputError) else OutputError("cannot_write", Path(out), exc)
        print(f"dltui: {output_error_text(error, lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if files.every > 1:
        print(f"dltui: {said('run.every', lang, every=files.every)}", file=sys.stderr)
    print(said("run.saved", lang, paths=", ".join(str(p) for p in paths)), file=sys.stderr)
    return 0


def _scenario_file(trainer, folder, lang: str) -> list:
    """scenario.toml beside history.json: the setup with the last step's state as its start."""
    from dltui.engine.export import write_scenario_file
    from dltui.words.errors import problem_text

    try:
        return [write_scenario_file(trainer, folder)]
    except ScenarioError as exc:   # a diverged run's weights are not numbers a file can hold
        print(f"dltui: {said('run.no_scenario_file', lang, why=problem_text(exc, lang))}", file=sys.stderr)
        return []


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
