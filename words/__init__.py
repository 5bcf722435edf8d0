"""dltui's words: every message of the screen and of the CLI's handouts, in Korean and English,
and the prose around the engine's explanation data (the engine produces data, not sentences).

The engine never imports this package; the screen (`dltui.tui`) and the CLI (`dltui.cli`) do.
"""

from .messages import (HELP, LANGS, MESSAGES, activation_name, default_language, diverged_text, for_optimizer, least_squares_label, loss_note,
                       t, update_header)
from .explain import gradient_lines, loss_heading, loss_total

__all__ = ["HELP", "LANGS", "MESSAGES", "activation_name", "default_language", "diverged_text", "for_optimizer", "gradient_lines", "least_squares_label",
           "loss_heading",
           "loss_note", "loss_total", "t", "update_header"]
