"""Problems with a learner's own files (CSV, very large scenario files), in Korean and English.

The engine raises `ScenarioError` with a `code` and its values; words/errors.py puts these
texts in its one catalogue with the loader's (problems.py) and `scenario_error_text(exc, lang)`
says them. A cell's {text} is shown quoted, an empty one as EMPTY_CELL.
"""

from __future__ import annotations

INPUT_MESSAGES: dict[str, dict[str, str]] = {
    "too_large_integer": {
        "ko": "{digits}자리 정수는 너무 커서 숫자로 쓸 수 없습니다 (가장 큰 수는 약 1.8e308)",
        "en": "is a whole number with {digits} digits, too large to be a number here (the largest is about 1.8e308)"},
    "number_too_long": {
        "ko": "{line}번째 줄: {digits}자리 정수는 너무 커서 읽을 수 없습니다 (숫자는 약 1.8e308보다 작아야 합니다)",
        "en": "line {line}: a whole number with {digits} digits is too large to read (numbers here must stay below about 1.8e308)"},
    "number_too_long_value": {
        "ko": "정수가 너무 길어서 읽을 수 없습니다 (숫자는 약 1.8e308보다 작아야 합니다)",
        "en": "is a whole number too long to read (numbers here must stay below about 1.8e308)"},
    "too_deep": {
        "ko": "리스트나 표가 {depth}단계보다 깊이 겹쳐 있습니다",
        "en": "lists or tables are nested inside each other more than {depth} levels deep"},
    "too_deep_at": {
        "ko": "{line}번째 줄: 리스트나 표가 {depth}단계보다 깊이 겹쳐 있습니다",
        "en": "line {line}: lists or tables are nested inside each other more than {depth} levels deep"},
    "too_many_parameters": {
        "ko": "모델의 모수가 {count:,}개입니다. 최대 {limit:,}개까지 됩니다 (층이나 뉴런을 줄이세요)",
        "en": "the model has {count:,} parameters; the most is {limit:,} (use fewer or smaller layers)"},
    "too_much_work": {
        "ko": "행 {rows:,}개 ⋅ 모수 {count:,}개 = 한 걸음에 곱셈 {work:,}번입니다. 최대 {limit:,}번까지 됩니다 "
              "(행을 줄이거나 모델을 작게 하세요)",
        "en": "{rows:,} rows ⋅ {count:,} parameters is {work:,} multiply-adds a step; the most is {limit:,} "
              "(use fewer rows or a smaller model)"},
    "too_many_activations": {
        "ko": "행 {rows:,}개 ⋅ 뉴런 {units:,}개 = 층 출력 {work:,}개입니다. 최대 {limit:,}개까지 됩니다 "
              "(행이나 뉴런을 줄이세요)",
        "en": "{rows:,} rows ⋅ {units:,} units is {work:,} layer outputs to keep; the most is {limit:,} "
              "(use fewer rows or fewer units)"},
    "csv_cp949": {
        "ko": "{file:은} UTF-8이 아닙니다. 한국어 엑셀이 \"CSV (쉼표로 분리)\"로 저장한 CP949 / EUC-KR 파일로 "
              "보입니다. 엑셀에서 CSV UTF-8 (쉼표로 분리)로 다시 저장하세요. 또는 [data]에 "
              "encoding = \"cp949\"를 넣으세요",
        "en": "{file} is not UTF-8: it looks like CP949 / EUC-KR, which Korean Excel saves as "
              "\"CSV (쉼표로 분리)\". Save it again as \"CSV UTF-8 (쉼표로 분리)\", or add encoding = \"cp949\" "
              "under [data]"},
    "csv_encoding": {
        "ko": "{file} {line}번째 줄을 {encoding:으로} 읽을 수 없습니다. 파일을 UTF-8로 저장하세요",
        "en": "{file} line {line} is not {encoding} text; save the file as UTF-8"},
    "csv_empty": {"ko": "{file:이} 비어 있습니다 (첫 줄에 열 이름이 있어야 합니다)",
                  "en": "{file} is empty (it needs a header row)"},
    "csv_invalid": {"ko": "{file} {line}번째 줄이 올바른 CSV가 아닙니다",
                    "en": "{file} line {line} is not valid CSV"},
    "csv_quote": {"ko": "{file} {line}번째 줄: 따옴표로 시작한 칸이 닫히지 않았습니다",
                  "en": "{file} line {line}: a quoted cell is never closed"},
    "csv_not_ascii": {"ko": "{file} {line}번째 줄, '{column}' 열: {text}: 숫자가 아닙니다 (0-9 숫자로 쓰세요)",
                      "en": "{file} line {line}, column '{column}': {text} is not a number (write it with the digits 0-9)"},
    "csv_underflow": {"ko": "{file} {line}번째 줄, '{column}' 열: {text}: 너무 작아서 0이 됩니다. 0이라면 0으로 쓰세요",
                      "en": "{file} line {line}, column '{column}': {text} is too small: it would round to 0; "
                            "write 0 if you mean 0"},
    "csv_not_table": {"ko": "'{column}' 열이 {file}에 없습니다: 첫 줄이 쉼표, 세미콜론 또는 탭으로 나눈 열 이름이 아닙니다",
                      "en": "column '{column}' is not in {file}: its first line is not a header of comma, "
                            "semicolon or tab-separated column names"},
    "csv_not_regular": {"ko": "{file:은} 보통 파일이 아닙니다 (장치, 파이프 또는 소켓). CSV 파일을 주세요",
                        "en": "{file} is not a regular file (a device, pipe or socket); give a CSV file"},
    "csv_file_too_large": {"ko": "{file:이} {limit}보다 큽니다. 행이나 열을 줄이세요",
                           "en": "{file} is larger than {limit}; use fewer rows or columns"},
    "csv_binary": {"ko": "{file:은} 텍스트 파일이 아닙니다 (NUL 바이트가 있습니다). 표를 CSV로 저장하세요",
                   "en": "{file} is not a text file (it holds NUL bytes); save the table as CSV"},
    "not_regular_file": {"ko": "보통 파일이 아닙니다 (장치, 파이프 또는 소켓). .toml 파일을 주세요",
                         "en": "is not a regular file (a device, pipe or socket); give a .toml file"},
    "file_too_large": {"ko": "{limit}보다 커서 시나리오로 쓸 수 없습니다 (큰 데이터는 CSV 파일에 두세요: data.csv)",
                       "en": "is larger than {limit}, too large for a scenario (put large data in a CSV file: data.csv)"},
    "too_many_lists": {
        "ko": "리스트가 {count:,}개보다 많습니다. 파일 안에 쓰는 행(data.rows)은 최대 {limit:,}개까지 됩니다. 더 많은 행은 "
              "CSV 파일에 두세요 (data.csv)",
        "en": "holds more than {count:,} lists: at most {limit:,} rows can be written in the file (data.rows); "
              "put more rows in a CSV file (data.csv)"},
    "too_many_inline_rows": {
        "ko": "행이 {count:,}개입니다. 파일 안에 쓰는 행은 최대 {limit:,}개까지 됩니다. 더 많은 행은 CSV 파일에 두세요 (data.csv)",
        "en": "has {count:,} rows; at most {limit:,} rows can be written in the file; put more rows in a CSV "
              "file (data.csv)"},
    "csv_no_column": {"ko": "'{column}' 열이 {file}에 없습니다 (있는 열: {columns})",
                      "en": "column '{column}' is not in {file} (its columns: {columns})"},
    "csv_duplicate": {
        "ko": "{file} {line}번째 줄: '{column}' 열 이름이 여러 번 나옵니다 ({places}번째 열). 하나의 이름을 바꾸세요",
        "en": "{file} line {line}: column '{column}' appears more than once in the header (columns {places}); rename one"},
    "csv_cells": {"ko": "{file} {line}번째 줄의 칸이 {count}개인데, 첫 줄(열 이름)은 {header}개입니다",
                  "en": "{file} line {line} has {count} cells, the header has {header}"},
    "csv_cells.semicolon": {
        "ko": "{file} {line}번째 줄의 칸이 {count}개인데, 첫 줄(열 이름)은 {header}개입니다 (';'로 나눈 파일이라면 "
              "모든 줄이 그래야 합니다)",
        "en": "{file} line {line} has {count} cells, the header has {header} (is it separated by ';'? then every "
              "line must be)"},
    "csv_missing": {
        "ko": "{file} {line}번째 줄, '{column}' 열: {text} (결측치)입니다. 값을 채우거나, [data]에 "
              "missing = \"drop\"을 넣어 그런 행을 빼세요",
        "en": "{file} line {line}, column '{column}': {text} (missing value); fill it in, or add "
              "missing = \"drop\" under [data] to leave such rows out"},
    "csv_underscore": {
        "ko": "{file} {line}번째 줄, '{column}' 열: {text}: 숫자가 아닙니다 (숫자 안에 밑줄 _ 을 쓸 수 없습니다. "
              "{joined} 또는 {point}?)",
        "en": "{file} line {line}, column '{column}': {text} is not a number (an underscore inside a number is not "
              "allowed; did you mean {joined} or {point}?)"},
    "csv_comma": {
        "ko": "{file} {line}번째 줄, '{column}' 열: {text}: 숫자가 아닙니다 (소수점은 쉼표가 아니라 점으로: 1.5)",
        "en": "{file} line {line}, column '{column}': {text} is not a number (a decimal comma? write it with a point, as in 1.5)"},
    "csv_not_number": {"ko": "{file} {line}번째 줄, '{column}' 열: {text}: 숫자가 아닙니다",
                       "en": "{file} line {line}, column '{column}': {text} is not a number"},
    "csv_not_finite": {"ko": "{file} {line}번째 줄, '{column}' 열: {text}: 유한한 숫자가 아닙니다",
                       "en": "{file} line {line}, column '{column}': {text} is not a finite number"},
    "csv_class": {"ko": "{file} {line}번째 줄, '{column}' 열: {text}: 클래스 이름도 번호도 아닙니다 (클래스: {classes})",
                  "en": "{file} line {line}, column '{column}': target {text} is not a class name or index (classes: {classes})"},
    "csv_too_large": {
        "ko": "{file:이} 너무 큽니다: 쓰는 열의 숫자가 {limit:,}개를 넘습니다 ({line}번째 줄에서 멈춤). 행이나 열을 줄이세요",
        "en": "{file} is too large: more than {limit:,} numbers in the columns used (stopped at line {line}); use fewer rows or columns"},
    "csv_no_rows": {"ko": "{file}에 데이터 행이 없습니다", "en": "the data set is empty: {file} has no rows"},
    "csv_no_rows.dropped": {"ko": "{file}에서 결측치가 있는 행을 빼고 나니 데이터 행이 없습니다",
                            "en": "the data set is empty: {file} has no rows after dropping missing values"},
    "dropped": {"ko": "{file}: 결측치가 있는 행 {count}개를 뺐습니다 (data.missing = \"drop\")",
                "en": "{file}: {count} rows with a missing value left out (data.missing = \"drop\")"},
    "dropped.one": {"ko": "{file}: 결측치가 있는 행 {count}개를 뺐습니다 (data.missing = \"drop\")",
                    "en": "{file}: {count} row with a missing value left out (data.missing = \"drop\")"},
}


EMPTY_CELL = {"ko": "빈 칸", "en": "empty cell"}


def dropped_text(scenario, lang: str) -> str:
    """'N rows with a missing value left out', or "" when none were."""
    data = scenario.data
    if not getattr(data, "dropped_rows", 0):
        return ""
    key = "dropped.one" if data.dropped_rows == 1 else "dropped"
    return INPUT_MESSAGES[key][lang].format(file=data.source_csv, count=data.dropped_rows)
