"""Why a run's files could not be written, in Korean and English: the catalogue only (words/output.py
chooses the reason), so that words/messages.py holds every key whether or not output.py is imported."""

from __future__ import annotations

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
