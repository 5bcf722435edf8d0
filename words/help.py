"""The help (`?`): first what this screen shows now (the open view, the notes or the lesson, the
quiz, a comparison's runs) and the keys that matter there, then every key, the panels and a short
glossary of the words the lecture does not use. In Korean and English."""

from __future__ import annotations

from dltui.engine.views import VIEW_NAMES   # the picture views, in `v` order

HELP_MESSAGES: dict[str, dict[str, str]] = {
    "help.title": {"ko": "도움말", "en": "Help"},
    "help.close": {"ko": "Esc 또는 ? 키로 닫기", "en": "Esc or ? to close"},
    "help.here": {"ko": "## 지금 이 화면", "en": "## This screen now"},
    "help.here.lesson": {"ko": "- **수업:** {title}. `m`: 수업 칸 넘기기, `>` / `<`: 다음 / 이전 수업 (각 수업은 맨 위에서 열립니다)",
                         "en": "- **Lesson:** {title}. `m`: scroll the lesson, `>` / `<`: next / previous lesson (each opens at its top)"},
    "help.here.view": {"ko": "- **그림: {name}** ‒ {guide} `v` / `V`: 다른 그림",
                       "en": "- **Picture: {name}** ‒ {guide} `v` / `V`: another picture"},
    "help.here.notes": {"ko": "- **설명 칸: {name}** ‒ {guide} `c`: 계산 ‒ PyTorch 코드 ‒ 자동미분 그래프",
                        "en": "- **Notes: {name}** ‒ {guide} `c`: arithmetic ‒ PyTorch code ‒ autograd graph"},
    "help.here.compact": {"ko": "- **작은 화면:** 표 옆 칸 하나에 지금 {pane:이} 보입니다. `c` 설명, `v` 그림, `m` 수업으로 바꿉니다.",
                          "en": "- **Small screen:** the one pane beside the table shows the **{pane}** now; `c` notes, `v` picture, `m` lesson."},
    "help.pane.notes": {"ko": "설명 칸", "en": "notes"},
    "help.pane.views": {"ko": "그림", "en": "picture"},
    "help.pane.lesson": {"ko": "수업", "en": "lesson"},
    "help.here.quiz_on": {"ko": "- **퀴즈 모드 켜짐:** 과정마다 숫자를 먼저 묻습니다. 답을 쓰고 Enter, Esc는 건너뛰기, `k`로 끄기.",
                          "en": "- **Quiz mode on:** each phase asks for its number first; type and Enter, Esc skips, `k` turns it off."},
    "help.here.quiz_off": {"ko": "- **퀴즈:** `k`를 누르면 과정마다 숫자를 보여 주기 전에 먼저 묻습니다.",
                           "en": "- **Quiz:** `k` makes each phase ask for its number before it shows it."},
    "help.here.runs": {"ko": "- **비교 중 ({n}개 실행):** `tab` 또는 `1`⋯`{n}`: 표와 계산이 따라갈 실행 고르기.",
                       "en": "- **A comparison ({n} runs):** `tab` or `1`⋯`{n}`: the run the tables and the arithmetic follow."},
    # how to read each picture view and each notes pane (also the help's list of panels)
    "help.view.loss": {"ko": "단계마다 손실(테스트 손실)이 줄어드는 곡선, 그리고 행마다 타겟(⬤)과 예측(⬥).",
                       "en": "the loss (and test loss) at each step, and each row's target (⬤) and prediction (⬥)."},
    "help.view.landscape1d": {"ko": "모수 하나만 움직일 때의 손실: \"비탈길 내려가기\". ⬥ 지금, • 지나온 길, 초록 선은 최소제곱 해 "
                                    "(공식으로 바로 구한 답). `x`: 다른 모수.",
                              "en": "the loss as one parameter alone moves: \"walking down the slope\". ⬥ now, • the path, the green "
                                    "line the least-squares answer (the formula's direct answer). `x`: another parameter."},
    "help.view.landscape2d": {"ko": "모수 두 개에 대한 손실 지도(어두울수록 낮음)와 지나온 길. `x` / `y`: 축의 모수.",
                              "en": "a map of the loss over two parameters (darker is lower) with the path taken. `x` / `y`: the axes."},
    "help.view.boundary": {"ko": "입력이 두 개인 분류 문제에서 입력 평면 위 모델의 답. ◦ ⬤ 학습 데이터, □ ■ 테스트 데이터.",
                           "en": "for two-input classification, the model's answer over the input plane; ◦ ⬤ training rows, □ ■ test rows."},
    "help.view.activation": {"ko": "층의 활성 함수 곡선과 각 행의 (z, a). `x`: 다른 층.",
                             "en": "the layer's activation with each row's (z, a) marked. `x`: another layer."},
    "help.view.hidden": {"ko": "은닉층이 점들을 옮겨, 출력층의 직선 하나로 나눌 수 있게 되는 모습.",
                         "en": "how the hidden layer moves the points until one line of the output layer separates them."},
    "help.view.network": {"ko": "연결마다 부호(파랑 +, 주황 −)와 크기. `n`: 숫자 보이기.",
                          "en": "each connection's sign (blue +, orange −) and size. `n`: show the numbers."},
    "help.view.paint": {"ko": "원하는 색과 지금 섞은 색 (출력이 색인 시나리오).",
                        "en": "the colour you want beside the current mix (scenarios whose output is a colour)."},
    "help.notes.explain": {"ko": "지금 과정의 계산: 가중합, 손실 항과 평균, 기울기 공식과 숫자, 새 가중치 = 가중치 − 학습률 ⋅ 기울기.",
                           "en": "the arithmetic of the current phase: weighted sums, the loss terms and their mean, each "
                                 "gradient's formula with its numbers, new weight = weight − lr ⋅ gradient."},
    "help.notes.code": {"ko": "이 시나리오의 PyTorch 표준 학습 루프, 지금 과정의 줄이 밝게.",
                        "en": "this scenario's standard PyTorch training loop, the current phase's line lit."},
    "help.notes.graph": {"ko": "loss.grad_fn에서 거슬러 올라간 노드들과 값, 역전파 뒤의 기울기.",
                         "en": "the loss.grad_fn nodes with their values and, after backward, their gradients."},
}

_KEYS = {
    "ko": """\
## 키

| 키 | 하는 일 |
| --- | --- |
| `space` | 한 단계: 순전파 → 손실 → 역전파(기울기) → 갱신 |
| `.` | 한 과정씩: 행마다 순전파 → 손실 → 기울기 → 갱신 |
| `b` / `backspace` | 한 단계 뒤로 (기록에서 정확히 이전 상태로) |
| `p` | 자동 재생 / 멈춤; `+` / `-`: 빠르게 / 느리게 |
| `[` / `]` | 학습률 절반 / 두 배 (바로 적용, 기록에 남음) |
| `r` | 처음 상태로 |
| `o` | 다른 시나리오 열기 (강의 순서의 수업 목록 또는 파일 경로) |
| `>` / `<` | 다음 / 이전 수업 (강의 순서), 수업 맨 위에서 열림 |
| `k` | 퀴즈 모드 켜기 / 끄기: 과정마다 숫자를 보여 주기 전에 먼저 묻기 (강의의 연습 문제) |
| `e` | 내보내기: 기록(JSON, CSV), 화면(SVG), 지금 가중치에서 시작하는 scenario.toml을 ./dltui-exports/에 |
| `w` | 모수 고치기: ↑ / ↓ 고르기, Enter로 값 입력 (Esc 취소), ← / → 조금씩 (shift: 더 조금), 기울기가 손실을 줄이는 쪽을 알려 줌; 모수를 클릭해도 고름. `b`로 되돌리기 |
| `t` | 학습 설정: 학습률, 최적화 방법, 손실, 배치, 층마다 활성 함수, 은닉층 추가/빼기/뉴런 수, 입력 스케일링, 테스트 비율, 시드 ‒ 지금 단계부터 적용, 맞는 가중치는 그대로 (`b`로 되돌리기) |
| `s` | 저장: 지금 설정과 지금 가중치를 시작점으로 하는 시나리오 파일 (./dltui-saved/이름-stepN.toml) |
| `c` | 설명 칸 바꾸기: 계산 설명 → PyTorch 코드 → 자동미분 그래프 |
| `v` / `V` | 그림 보기 바꾸기 (다음 / 이전); 작은 화면에서는 첫 `v`가 그림을 보이고, `c`는 설명으로 돌아감 |
| `x` / `y` | 손실 지형의 x축 / y축 모수 고르기 (활성 함수 보기에서는 층) |
| `n` | 신경망 그림에 숫자 보이기 / 숨기기 |
| `m` | 수업 칸 한 쪽 아래로 (끝에서 처음으로); 작은 화면에서는 설명 칸 자리에 수업을 보이기 |
| `tab` / `1`⋯`9` | 비교 중: 표와 계산이 따라갈 실행 (다음 실행 / 번호로 고르기) |
| `l` | 한국어 / English |
| `?` | 이 도움말 |
| `q` | 종료 |
| `ctrl+p` | 명령 팔레트: 모든 동작을 이름으로 |
""",
    "en": """\
## Keys

| key | what it does |
| --- | --- |
| `space` | one step: forward → loss → backward (gradients) → update |
| `.` | one phase: forward row by row → loss → gradients → update |
| `b` / `backspace` | step back (exactly the previous state, from history) |
| `p` | play / pause; `+` / `-`: play faster / slower |
| `[` / `]` | halve / double the learning rate (live, kept in history) |
| `r` | reset to the scenario's initial state |
| `o` | open another scenario (the lessons in the lecture's order, or a file path) |
| `>` / `<` | next / previous lesson (the lecture's order), opened at its top |
| `k` | quiz mode on / off: each phase asks for its number before it shows it (the lecture's exercises) |
| `e` | export: the step history (JSON, CSV), the screen (SVG) and scenario.toml (starting from the current weights) to ./dltui-exports/ |
| `w` | edit a parameter: ↑ / ↓ choose, Enter types a value (Esc cancels), ← / → nudge (shift: finer), with the gradient's advice on which way lowers the loss; clicking a parameter selects it. `b` undoes |
| `t` | training settings: learning rate, optimizer, loss, batch, each layer's activation, add/remove hidden layers and units, input scaling, test split, seed ‒ from the current step, keeping the weights that fit (`b` undoes) |
| `s` | save the current setup with the current weights as its start, as a scenario file (./dltui-saved/NAME-stepN.toml) |
| `c` | switch the notes pane: the arithmetic → the PyTorch code → the autograd graph |
| `v` / `V` | switch the picture view (next / previous); on a small screen the first `v` shows the picture and `c` goes back to the notes |
| `x` / `y` | choose the landscape's x / y parameter (in the activation view: the layer) |
| `n` | show / hide the numbers on the network diagram |
| `m` | scroll the lesson a page (back to the top at the end); on a small screen, show the lesson in the notes pane's place |
| `tab` / `1`⋯`9` | in a comparison: the run the tables and the arithmetic follow (next run / by number) |
| `l` | 한국어 / English |
| `?` | this help |
| `q` | quit |
| `ctrl+p` | command palette: every action by name |
""",
}

_PANELS = {
    "ko": """\
## 화면

- **맨 위 줄**: 시나리오 제목, 단계, 지금 과정, 학습률, 최적화 방법, 손실 (테스트 손실).
- **데이터**: 행마다 입력, 타겟, 예측, 손실 항(그 행이 손실에 보태는 값; MSE에서는 타겟 − 예측도 함께). 방금 바뀐 값은 노란색, 지금 계산 중인 행은 강조됩니다.
- **가중치와 편차**: 층마다 각 모수의 값, 기울기(𝜕L/𝜕w), 마지막 변화 (⏶ 증가 / ⏷ 감소).
- **이 숫자는 어디서 왔나** (`c`로 바꾸기): {notes}
- **그림 보기** (`v`로 바꾸기):
{views}
- **수업**: 시나리오 설명 ‒ 무엇을 눌러 보고 무엇을 볼지.

## 용어

- **단계 / 과정**: 단계는 `space` 한 번 (순전파 → 손실 → 역전파 → 갱신), 과정은 그 가운데 하나 (`.` 한 번).
- **순전파** (forward): 입력에서 출력 쪽으로 가중합과 활성 함수를 차례로 계산해 예측을 얻는 것. 강의의 "입력 데이터 ⋅ weight = 예측값".
- **역전파** (backward): 손실에서 거꾸로 거슬러 가며 모수마다 기울기(𝜕L/𝜕w)를 구하는 것. PyTorch의 loss.backward().
- **은닉층**: 입력과 출력층 사이의 층. 강의의 "여러 개의 퍼셉트론으로 구성된 하나의 네트워크"에서 가운데 퍼셉트론들.
- **배치** (batch): 한 단계에서 함께 계산하는 행들. 배치 크기 0은 모든 행.
- **손실 항**: 한 행이 손실에 보태는 값 (MAE라면 |target − predict|). 손실은 손실 항들의 평균입니다.
""",
    "en": """\
## Panels

- **Top line**: scenario title, step, current phase, learning rate, optimizer, loss (and test loss).
- **Data**: each row's inputs, target, prediction and loss term (that row's part of the loss; under MSE, target − predict too). Values that just changed are yellow; the row being computed is highlighted.
- **Weights and biases**: per layer, each parameter's value, gradient (𝜕L/𝜕w) and last change (⏶ up / ⏷ down).
- **Where the numbers come from** (`c` switches): {notes}
- **Picture views** (`v` switches):
{views}
- **Lesson**: the scenario's description ‒ what to press and what to notice.

## Words

- **Step / phase**: a step is one `space` (forward → loss → backward → update); a phase is one part of it (one `.`).
- **Forward**: computing weighted sums and activations from the inputs to the output, to get the prediction; the lecture's "input × weight = prediction".
- **Backward**: going back from the loss to get each parameter's gradient (𝜕L/𝜕w); PyTorch's loss.backward().
- **Hidden layer**: a layer between the inputs and the output layer; the middle perceptrons of the lecture's "network of several perceptrons".
- **Batch**: the rows computed together in one step; batch size 0 is every row.
- **Loss term**: one row's part of the loss (under MAE, |target − predict|); the loss is their mean.
""",
}

_INTRO = {
    "ko": "# dltui 도움말\n\n신경망이 어떻게 배우는지, 키 하나에 한 단계씩 보여 줍니다. 화면의 모든 숫자는 실제 PyTorch 모델의 값입니다.\n",
    "en": "# dltui help\n\nShows how a neural network learns, one key press at a time. Every number on screen is the real "
          "state of a real PyTorch model.\n",
}

NOTE_NAMES = ("explain", "code", "graph")


def _panels(lang: str) -> str:
    from .messages import t

    views = "\n".join(f"  - **{t(f'view.{v}', lang)}**: {t(f'help.view.{v}', lang)}" for v in VIEW_NAMES)
    notes = " ".join(f"**{t(f'notes.{n}', lang)}**: {t(f'help.notes.{n}', lang)}" for n in NOTE_NAMES)
    return _PANELS[lang].replace("{views}", views).replace("{notes}", notes)


def full_help(lang: str) -> str:
    """Every key, the panels and the glossary (the part of the help that does not change)."""
    return "\n".join((_INTRO[lang], _KEYS[lang], _panels(lang)))


def here_text(lang: str, *, view: str, note: str, pane: str | None, lesson: str, quiz_on: bool,
              runs: int = 0) -> str:
    """What the screen shows now and the keys that matter there. `pane`: on a compact screen the
    one pane beside the table (notes, views or lesson), None when every pane shows."""
    from .messages import t

    lines = [t("help.here", lang), ""]
    shown = ("notes", "views", "lesson") if pane is None else (pane,)
    if "lesson" in shown:
        lines.append(t("help.here.lesson", lang, title=lesson))
    if "views" in shown:
        lines.append(t("help.here.view", lang, name=t(f"view.{view}", lang), guide=t(f"help.view.{view}", lang)))
    if "notes" in shown:
        lines.append(t("help.here.notes", lang, name=t(f"notes.{note}", lang), guide=t(f"help.notes.{note}", lang)))
    if pane is not None:
        lines.append(t("help.here.compact", lang, pane=t(f"help.pane.{pane}", lang)))
    lines.append(t("help.here.quiz_on" if quiz_on else "help.here.quiz_off", lang))
    if runs > 1:
        lines.append(t("help.here.runs", lang, n=runs))
    return "\n".join(lines) + "\n"


def help_text(lang: str, **here) -> str:
    """The whole help: this screen first, then everything."""
    intro, rest = _INTRO[lang], "\n".join((_KEYS[lang], _panels(lang)))
    return "\n".join((intro, here_text(lang, **here), rest))
