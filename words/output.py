"""Why a run's files could not be written (engine/run_folder.py's OutputError), in Korean and
English: one line that names the folder, says why, and that nothing half-written was left."""

from __future__ import annotations

import errno

from dltui.engine.run_folder import OutputError

from .messages import t


_REASONS = {errno.ENOSPC: "why.disk_full", errno.EDQUOT: "why.disk_full", errno.EROFS: "why.read_only",
            errno.EACCES: "why.permission", errno.EPERM: "why.permission", errno.ENOTDIR: "why.not_a_folder",
            errno.EEXIST: "why.not_a_folder"}


def reason_text(error: OSError, lang: str) -> str:
    """The system's reason in words: the common ones translated, others as the system says them."""
    key = _REASONS.get(error.errno)
    return t(key, lang) if key else (error.strerror or str(error))


def output_error_text(error: OutputError, lang: str) -> str:
    """One line for an OutputError."""
    names = ", ".join(error.names[:5]) + (", ⋯" if len(error.names) > 5 else "")
    why = reason_text(error.why, lang) if error.why is not None else ""
    return t(f"out.{error.code}", lang, folder=error.folder, why=why, names=names)


def cause_text(error: Exception, lang: str) -> str:
    """Why, for a message that names the folder already: the system's reason of an OSError or of
    an OutputError that has one, an OutputError's own line, or the text of anything else."""
    if isinstance(error, OSError):
        return reason_text(error, lang)
    if isinstance(error, OutputError):
        return reason_text(error.why, lang) if error.why is not None else output_error_text(error, lang)
    return str(error)
