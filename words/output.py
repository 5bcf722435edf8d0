"""Why a run's files could not be written (engine/run_folder.py's OutputError), in Korean and
English: one line that names the folder, says why, and that nothing half-written was left."""

from __future__ import annotations

import errno

from dltui.engine.run_folder import OutputError

from .messages import MESSAGES, t

OUTPUT_MESSAGES: dict[str, dict[str, str]] = {
    "out.cannot_write": {"ko": "{folder}에 저장하지 못했습니다: {why}. 아무 파일도 반쯤 쓰인 채 남지 않았습니다",
                         "en": "cannot write to {folder}: {why}; nothing half-written was left"},
    "out.is_file": {"ko": "{folder:은} 폴더가 아니라 파일입니다. 새 폴더 이름을 주세요",
                    "en": "{folder} is a file, not a folder; give a new folder's name"},
    "out.not_a_run": {"ko": "{folder}에 dltui가 쓰지 않은 파일이 있습니다 ({names}). 새 폴더나 빈 폴더를 주세요",
                      "en": "{folder} holds files dltui did not write ({names}); give a new or empty folder"},
    "why.disk_full": {"ko": "디스크가 가득 찼습니다", "en": "the disk is full"},
    "why.read_only": {"ko": "읽기 전용 파일 시스템입니다", "en": "the file system is read-only"},
    "why.permission": {"ko": "쓰기 권한이 없습니다", "en": "no permission to write there"},
    "why.not_a_folder": {"ko": "경로 중간에 폴더가 아닌 파일이 있습니다", "en": "part of the path is a file, not a folder"},
}
MESSAGES.update(OUTPUT_MESSAGES)

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
