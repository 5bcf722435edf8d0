"""The screen's words live in `dltui.words` (shared with the CLI); this name stays for the TUI."""

from dltui.words import (HELP, LANGS, MESSAGES, activation_name, default_language, diverged_text, for_optimizer,  # noqa: F401
                         least_squares_label, loss_note, t, update_header)
