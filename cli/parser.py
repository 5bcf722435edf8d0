"""An argparse parser that refuses in the reader's language: the usage line and the one-line
reason (words/cli_arguments.py), exit 2 like every other bad input."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from dltui.words.cli_arguments import USAGE, argument_error_text


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, lang: str = "en", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang

    def add_subparsers(self, **kwargs):
        """Subcommands refuse in the same language."""
        return super().add_subparsers(parser_class=partial(Parser, lang=self.lang), **kwargs)

    def format_usage(self) -> str:
        formatter = self._get_formatter()
        formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups, prefix=USAGE[self.lang])
        return formatter.format_help()

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {argument_error_text(message, self.lang)}\n")
