"""Every word the screen and the CLI's handouts show, in Korean and English.

`t(key, lang, **values)` looks a message up; the default language follows the locale.
"""

from __future__ import annotations

import os

from dltui.engine import symbols
from dltui.engine.explain.gradients import PLAIN_OPTIMIZERS
from dltui.engine.numbers import fmt
from .particles import format_particles

LANGS = ("ko", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # header
    "step": {"ko": "단계", "en": "step"},
    "phase": {"ko": "과정", "en": "phase"},
    "lr": {"ko": "학습률", "en": "lr"},
    "loss": {"ko": "손실", "en": "loss"},
    "test_loss": {"ko": "테스트 손실", "en": "test loss"},
    "accuracy": {"ko": "정확도", "en": "accuracy"},
    "loading": {"ko": "PyTorch 불러오는 중⋯", "en": "loading PyTorch⋯"},
    "playing": {"ko": "재생 중 {reached}/s (목표 {speed}/s)", "en": "playing {reached}/s (asked {speed}/s)"},
    "playing.start": {"ko": "재생 중 (목표 {speed}/s)", "en": "playing (asked {speed}/s)"},
    "diverged": {"ko": "발산", "en": "DIVERGED"},
    "diverged_at": {"ko": "발산! {step} 단계에서 손실이 무한대가 되었습니다 ‒ 학습률을 줄이세요 ([)",
                    "en": "DIVERGED at step {step}: the loss is no longer finite ‒ lower the learning rate ([)"},
    "diverged_at.data": {"ko": "발산! {step} 단계에서 손실이 무한대가 되었습니다 ‒ 데이터의 숫자가 너무 큽니다 "
                               "(약 {size}): 학습률이 아니라 데이터의 크기를 줄이세요 (data.normalize)",
                         "en": "DIVERGED at step {step}: the loss is no longer finite ‒ the data's numbers are too "
                               "large (about {size}): scale the data (data.normalize), not the learning rate"},
    "loss.diverged": {"ko": "발산 (무한대)", "en": "diverged (not finite)"},
    "test_accuracy": {"ko": "테스트 정확도", "en": "test accuracy"},
    # phases
    "phase.start": {"ko": "대기", "en": "ready"},
    "phase.forward": {"ko": "순전파 {row}/{rows}행", "en": "forward row {row}/{rows}"},
    "phase.forward_all": {"ko": "순전파 ({rows}행)", "en": "forward ({rows} rows)"},
    "phase.loss": {"ko": "손실 계산", "en": "loss"},
    "phase.backward": {"ko": "기울기 (역전파)", "en": "gradients (backward)"},
    "phase.update": {"ko": "가중치 갱신", "en": "update"},
    # panels
    "panel.data": {"ko": "데이터 (입력 ⋅ 타겟 ⋅ 예측)", "en": "Data (inputs ⋅ target ⋅ predict)"},
    "panel.params": {"ko": "가중치와 편차", "en": "Weights and biases"},
    "panel.explain": {"ko": "이 숫자는 어디서 왔나", "en": "Where the numbers come from"},
    "panel.loss_chart": {"ko": "손실 곡선", "en": "Loss over steps"},
    "panel.pred_chart": {"ko": "타겟과 예측", "en": "Target vs predict"},
    "panel.lesson": {"ko": "수업", "en": "Lesson"},
    # table
    "col.target": {"ko": "타겟", "en": "target"},
    "col.predict": {"ko": "예측", "en": "predict"},
    "col.loss_term": {"ko": "손실 항", "en": "loss term"},
    "col.error": {"ko": "타겟 − 예측", "en": "target − predict"},
    "test_rows": {"ko": "테스트", "en": "test"},
    "more_rows": {"ko": "⋯ {n}행 더", "en": "⋯ {n} more rows"},
    "waiting": {"ko": "⋯", "en": "⋯"},
    "more_params": {"ko": "⋯ 모수 {n}개 더 (신경망 그림 v, 내보내기 e)", "en": "⋯ {n} more (network view: v; export: e)"},
    "more_lines": {"ko": "⋯ {n}줄 더 (dltui run --explain에 전부)", "en": "⋯ {n} more lines (all of them: dltui run --explain)"},
    # parameters
    "col.param": {"ko": "모수", "en": "param"},
    "col.value": {"ko": "값", "en": "value"},
    "col.grad": {"ko": "기울기", "en": "gradient"},
    "col.change": {"ko": "지난 변화", "en": "last change"},
    "layer": {"ko": "층 {n} ({units}개 뉴런, {act})", "en": "layer {n} ({units} units, {act})"},
    "act.identity": {"ko": "identity = F 없음", "en": "identity = no F"},   # the lecture: no F, plain linear regression
    "layer.one": {"ko": "층 {n} ({units}개 뉴런, {act})", "en": "layer {n} ({units} unit, {act})"},
    # explanation
    "loss_note.mse": {"ko": "강의 슬라이드의 MSE는 SSE를 n−2로 나눕니다: {sse} / {n2} = {lecture}. "
                            "PyTorch (nn.MSELoss)와 dltui는 n으로 나눈 평균 {mean:을} 씁니다.",
                      "en": "The lecture's MSE slide divides the SSE by n−2: {sse} / {n2} = {lecture}; "
                            "PyTorch (nn.MSELoss) and dltui take the mean over n, {mean}."},
    "loss_note.mse.few": {"ko": "PyTorch (nn.MSELoss)와 dltui는 n으로 나눈 평균입니다 (강의의 n−2는 행이 셋 이상일 때만 뜻이 있습니다).",
                          "en": "PyTorch (nn.MSELoss) and dltui take the mean over n (the lecture's n−2 needs three rows or more)."},
    "loss_note.bce": {"ko": "강의의 교차 엔트로피는 괄호 없이 합으로 쓰지만, PyTorch (nn.BCELoss)와 dltui는 "
                            "괄호 −[⋯]를 쓰고 n으로 나눈 평균입니다.",
                      "en": "The lecture writes cross-entropy as a sum without brackets; PyTorch (nn.BCELoss) and "
                            "dltui take the mean over n of −[⋯], brackets included."},
    "loss_note.cross_entropy": {"ko": "PyTorch (nn.CrossEntropyLoss)와 dltui는 행마다 −log p를 n으로 나눈 평균입니다.",
                                "en": "PyTorch (nn.CrossEntropyLoss) and dltui take the mean over n of each row's −log p."},
    "explain.start": {"ko": "{step} 단계입니다. '.' 키를 누르면 한 과정씩 (행마다 순전파 → 손실 → 기울기 → 갱신), "
                               "'space' 키를 누르면 한 단계 전체가 진행됩니다.",
                      "en": "Step {step}. Press '.' to go one phase at a time (forward row by row → loss → "
                            "gradients → update), or 'space' for a whole step."},
    "explain.forward": {"ko": "순전파: 입력 ⋅ 가중치 + 편차 = 예측", "en": "Forward: input ⋅ weight + bias = predict"},
    "explain.row": {"ko": "{n})", "en": "{n})"},
    "explain.more_rows": {"ko": "(배치의 {n}행 모두 계산됨; 표에 예측이 있습니다)",
                          "en": "(all {n} rows of the batch computed; predictions are in the table)"},
    "explain.loss": {"ko": "손실 ({name}): 행마다 {formula}, 그 평균", "en": "Loss ({name}): per row {formula}, then the mean"},
    "explain.backward": {"ko": "기울기 𝜕L/𝜕w: 손실을 줄이려면 각 모수를 어느 쪽으로?",
                         "en": "Gradients 𝜕L/𝜕w: which way should each parameter move to lower the loss?"},
    "explain.update.perceptron": {"ko": "갱신: 새 가중치 = 현재 가중치 − 학습률 ⋅ 보정",
                                  "en": "Update: new weight = weight − learning rate ⋅ correction"},
    "phase.backward.perceptron": {"ko": "퍼셉트론 규칙의 보정", "en": "perceptron rule's correction"},
    "col.grad.perceptron": {"ko": "보정", "en": "correction"},
    "explain.backward.perceptron": {"ko": "퍼셉트론 규칙의 보정 g = −Σ (타겟 − 예측)⋅x: 계단 함수의 기울기는 0이라 "
                                          "경사하강법이 아니라 이 규칙으로 배웁니다 (수업 '계단 함수 대 sigmoid'에서 비교)",
                                    "en": "The perceptron rule's correction g = −Σ (target − predict)⋅x: a step unit's "
                                          "gradient is 0, so it learns by this rule, not by gradient descent (the step_vs_sigmoid lesson)"},
    "explain.backward_hint.perceptron": {"ko": "보정이 양수면 그 모수를 줄이고, 음수면 늘립니다: w ← w − 학습률 ⋅ g.",
                                         "en": "A positive correction decreases that parameter, a negative one increases it: w ← w − lr ⋅ g."},
    "explain.backward_hint": {"ko": "기울기가 양수면 그 모수를 줄이고, 음수면 늘립니다.",
                              "en": "A positive gradient means decrease that parameter; negative, increase it."},
    "explain.update": {"ko": "갱신: 새 가중치 = 현재 가중치 − 학습률 ⋅ 기울기",
                       "en": "Update: new weight = weight − learning rate ⋅ gradient"},
    "explain.update_other": {"ko": "갱신 ({opt}): 이전 값 + 이번 단계 = 새 값",
                             "en": "Update ({opt}): old value + this step = new value"},
    "explain.loss_now": {"ko": "새 손실: {loss}", "en": "New loss: {loss}"},
    "explain.batch": {"ko": "이번 배치: {rows}행", "en": "This batch: {rows} rows"},
    # notifications
    "notify.lr": {"ko": "학습률 → {lr}", "en": "learning rate → {lr}"},
    "notify.lr_limit": {"ko": "학습률 {lr:을} 더 {how} 수 없습니다 (0 이나 무한대가 됩니다). 지금 학습률을 그대로 씁니다.",
                        "en": "the learning rate {lr} cannot be {how} any further (it would become 0 or infinite); "
                              "it stays as it is"},
    "lr.halved": {"ko": "줄일", "en": "halved"},
    "lr.doubled": {"ko": "늘릴", "en": "doubled"},
    "chart.failed": {"ko": "(이 그래프는 그릴 수 없습니다: {error})", "en": "(this chart cannot be drawn: {error})"},
    "notify.speed": {"ko": "재생 속도 → {speed} 단계/초", "en": "play speed → {speed} steps/s"},
    "notify.start": {"ko": "처음 상태입니다", "en": "already at the start"},
    "notify.loading": {"ko": "PyTorch를 불러오는 중입니다. 준비되면 이 키를 실행합니다⋯",
                       "en": "PyTorch is still loading; the key runs when it is ready⋯"},
    "notify.build_failed": {"ko": "학습기를 만들지 못했습니다: {error}", "en": "the trainer could not be built: {error}"},
    "status.build_failed": {"ko": "학습기를 만들지 못했습니다 ‒ {error}", "en": "the trainer could not be built ‒ {error}"},
    "notify.worker_failed": {"ko": "작업이 실패했습니다: {error}", "en": "a background task failed: {error}"},
    "notify.loaded": {"ko": "불러옴: {title}", "en": "loaded: {title}"},
    "notify.reset": {"ko": "처음 상태로", "en": "reset to the initial state"},
    "notify.diverged.data": {"ko": "{step} 단계에서 발산했습니다. 데이터의 숫자가 너무 큽니다 (약 {size}): "
                                   "학습률이 아니라 데이터의 크기를 줄이세요 (data.normalize).",
                             "en": "Diverged at step {step}. The data's numbers are too large (about {size}): "
                                   "scale the data (data.normalize); a smaller learning rate will not help."},
    "notify.diverged": {"ko": "{step} 단계에서 발산했습니다. b로 되돌아가거나 [ 로 학습률을 줄이세요.",
                        "en": "Diverged at step {step}. Press b to step back or [ to lower the learning rate."},
    "notify.exported": {"ko": "내보냄 (history.json, history.csv, screen.svg, scenario.toml): {folder}",
                        "en": "exported history.json, history.csv, screen.svg and scenario.toml to {folder}"},
    "notify.export_failed": {"ko": "{folder}에 내보내지 못했습니다: {error}",
                             "en": "export to {folder} failed: {error}"},
    "notify.choose_where": {"ko": "x / y는 손실 지형과 활성 함수 보기에서 씁니다 (v로 보기 바꾸기)",
                            "en": "x / y choose parameters in the landscape and activation views (v switches views)"},
    "notify.view_failed": {"ko": "이 보기를 그릴 수 없습니다: {error}", "en": "this view cannot be drawn: {error}"},
    "notify.chosen": {"ko": "{axis} 축 → {name}", "en": "{axis} axis → {name}"},
    # notes
    "notes.explain": {"ko": "이 숫자는 어디서 왔나", "en": "Where the numbers come from"},
    "notes.code": {"ko": "PyTorch 학습 코드 (지금 과정의 줄이 밝게)", "en": "The PyTorch training loop (this phase's line lit)"},
    "notes.graph": {"ko": "PyTorch 속: 자동미분 계산 그래프", "en": "PyTorch under the hood: the autograd graph"},
    "notes.keys": {"ko": "c: 설명 ⋅ 코드 ⋅ 그래프", "en": "c: explain ⋅ code ⋅ graph"},
    "notes.graph.caption": {"ko": "loss.grad_fn에서 거슬러 올라간 노드들: 값, 그리고 역전파 뒤 기울기 𝜕L/𝜕(노드)",
                            "en": "the grad_fn chain from the loss: each node's value and, after backward, 𝜕L/𝜕(node)"},
    "notes.graph.no_grad": {"ko": "(기울기는 '.' 키로 역전파 과정에 가면 보입니다)",
                            "en": "(gradients appear once '.' reaches the backward phase)"},
    # views
    "view.keys": {"ko": "v 보기 ⋅ x/y 모수", "en": "v view ⋅ x/y parameter"},
    "view.loss": {"ko": "손실 곡선 ⋅ 타겟과 예측", "en": "Loss over steps ⋅ target vs predict"},
    "view.landscape1d": {"ko": "손실 지형 (1차원)", "en": "Loss landscape (1-D)"},
    "view.landscape2d": {"ko": "손실 지형 (2차원)", "en": "Loss landscape (2-D)"},
    "view.boundary": {"ko": "결정 경계", "en": "Decision boundary"},
    "view.activation": {"ko": "활성 함수", "en": "Activation function"},
    "view.hidden": {"ko": "은닉층이 옮긴 점들", "en": "Points in the hidden layer's space"},
    "view.network": {"ko": "신경망 그림", "en": "Network diagram"},
    "view.paint": {"ko": "물감 섞기", "en": "Paint mixing"},
    "view.landscape1d.caption": {"ko": "{p}만 움직일 때의 손실 (지금 {loss}); x: 다른 모수",
                                 "en": "loss as {p} alone moves (now {loss}); x: another parameter"},
    "view.landscape2d.caption": {"ko": "↑ {y} → {x}  ✦ 지금 {loss}  ∙ 지나온 길  + 최소제곱",
                                 "en": "↑ {y} → {x}  ✦ now {loss}  ∙ path  + least squares"},
    "view.boundary.caption": {"ko": "입력 평면 위의 예측 ({classes}); ◦◼ 학습 ▵▴ 테스트",
                              "en": "the model's answer over the inputs ({classes}); ◦◼ train ▵▴ test"},
    "view.activation.caption": {"ko": "층 {layer}: {act}, 빨간 점 = 각 행의 (z, a)",
                                "en": "layer {layer}: {act}; red = each row's (z, a)"},
    "view.activation.softmax": {"ko": "층 {layer}: softmax ‒ 각 a는 그 행의 z 모두로 정해짐 (곡선 없음)",
                                "en": "layer {layer}: softmax ‒ each a depends on the row's every z (no curve)"},
    "view.hidden.caption": {"ko": "◦ 타겟 0  ◼ 타겟 1 (h1, h2), 초록: 출력층의 직선",
                            "en": "◦ target 0  ◼ target 1 at (h1, h2); green: the output's line"},
    "view.network.caption": {"ko": "연결: 파랑 +, 주황 −, 길수록 |w| 큼 (n: 숫자)",
                             "en": "connections: blue +, orange −, longer = larger |w| (n: numbers)"},
    "view.paint.caption": {"ko": "원하는 색과 지금 섞은 색", "en": "the colour you want and the current mix"},
    "view.paint.wanted": {"ko": "원하는 색", "en": "wanted"},
    "view.paint.mix": {"ko": "지금 섞은 색", "en": "current mix"},
    "view.paint.ratio": {"ko": "비율", "en": "ratio"},
    "view.path": {"ko": "지나온 길", "en": "path"},
    "view.now": {"ko": "지금", "en": "now"},
    "view.rows": {"ko": "행", "en": "rows"},
    # bindings
    "key.step": {"ko": "한 단계", "en": "Step"},
    "key.phase": {"ko": "한 과정", "en": "Phase"},
    "key.back": {"ko": "뒤로", "en": "Back"},
    "key.play": {"ko": "재생/멈춤", "en": "Play"},
    "key.faster": {"ko": "빠르게", "en": "Faster"},
    "key.slower": {"ko": "느리게", "en": "Slower"},
    "key.lr_down": {"ko": f"학습률{symbols.DIVIDE}2", "en": f"lr{symbols.DIVIDE}2"},
    "key.lr_up": {"ko": f"학습률{symbols.TIMES}2", "en": f"lr{symbols.TIMES}2"},
    "key.reset": {"ko": "처음으로", "en": "Reset"},
    "key.open": {"ko": "열기", "en": "Open"},
    "key.export": {"ko": "내보내기", "en": "Export"},
    "key.view": {"ko": "보기", "en": "View"},
    "key.notes": {"ko": "설명", "en": "Notes"},
    "key.view_back": {"ko": "이전 보기", "en": "Previous view"},
    "key.choose_x": {"ko": "x축 모수", "en": "x parameter"},
    "key.choose_y": {"ko": "y축 모수", "en": "y parameter"},
    "key.values": {"ko": "숫자 보기", "en": "Show values"},
    "key.help": {"ko": "도움말", "en": "Help"},
    "key.lang": {"ko": "English", "en": "한국어"},
    "key.quit": {"ko": "종료", "en": "Quit"},
    "key.palette": {"ko": "명령", "en": "palette"},
    # command palette: what each action does
    "does.next_run": {"ko": "비교에서: 표와 계산 설명이 따라갈 다음 실행 (1 ⋯ 9로 바로 고르기)",
                      "en": "In a comparison: the next run for the tables and the arithmetic (1 ⋯ 9 pick one)"},
    "does.step": {"ko": "한 단계: 순전파 → 손실 → 역전파 → 갱신", "en": "One step: forward → loss → backward → update"},
    "does.phase": {"ko": "한 과정씩: 행마다 순전파 → 손실 → 기울기 → 갱신",
                   "en": "One phase: forward row by row → loss → gradients → update"},
    "does.back": {"ko": "한 단계 뒤로 (기록에서 정확히 이전 상태로)", "en": "Step back (exactly the previous state, from history)"},
    "does.play": {"ko": "자동 재생 / 멈춤", "en": "Play / pause"},
    "does.faster": {"ko": "재생을 빠르게", "en": "Play faster"},
    "does.slower": {"ko": "재생을 느리게", "en": "Play slower"},
    "does.lr_down": {"ko": "학습률 절반 (바로 적용, 기록에 남음)", "en": "Halve the learning rate (live, kept in history)"},
    "does.lr_up": {"ko": "학습률 두 배 (바로 적용, 기록에 남음)", "en": "Double the learning rate (live, kept in history)"},
    "does.reset": {"ko": "처음 상태로", "en": "Back to the scenario's initial state"},
    "does.open": {"ko": "다른 시나리오 열기", "en": "Open another scenario"},
    "does.next_lesson": {"ko": "강의 순서의 다음 수업 열기", "en": "Open the next lesson in the lecture's order"},
    "does.previous_lesson": {"ko": "강의 순서의 이전 수업 열기", "en": "Open the previous lesson in the lecture's order"},
    "does.export": {"ko": "기록(JSON, CSV)과 화면(SVG) 내보내기", "en": "Export the history (JSON, CSV) and the screen (SVG)"},
    "does.next_note": {"ko": "설명 칸 바꾸기: 계산 → PyTorch 코드 → 자동미분 그래프",
                       "en": "Switch the notes: arithmetic → PyTorch code → autograd graph"},
    "does.next_view": {"ko": "다음 그림 보기", "en": "Next picture view"},
    "does.previous_view": {"ko": "이전 그림 보기", "en": "Previous picture view"},
    "does.choose_x": {"ko": "손실 지형의 x축 모수 고르기", "en": "Choose the landscape's x parameter"},
    "does.choose_y": {"ko": "손실 지형의 y축 모수 고르기", "en": "Choose the landscape's y parameter"},
    "does.network_values": {"ko": "신경망 그림에 숫자 보이기 / 숨기기", "en": "Show / hide the numbers on the network diagram"},
    "does.language": {"ko": "English로 바꾸기", "en": "Switch to Korean"},
    "does.help": {"ko": "도움말 보기", "en": "Show the help"},
    "does.next_lesson": {"ko": "수업 순서의 다음 수업 열기", "en": "Open the course's next lesson"},
    "does.previous_lesson": {"ko": "수업 순서의 이전 수업 열기", "en": "Open the course's previous lesson"},
    "does.lesson": {"ko": "수업 칸 넘기기", "en": "Scroll the lesson pane"},
    "does.next_run": {"ko": "비교 중: 표와 계산이 따라갈 다음 실행", "en": "In a comparison: the next run the tables follow"},
    "does.select_run": {"ko": "비교 중: 번호로 실행 고르기", "en": "In a comparison: choose a run by its number"},
    "does.quit": {"ko": "종료", "en": "Quit"},
    # command palette: Textual's own entries
    "palette.search": {"ko": "명령 찾기⋯", "en": "Search for commands⋯"},
    "palette.theme": {"ko": "색 테마", "en": "Theme"},
    "palette.theme.help": {"ko": "화면의 색 테마 바꾸기", "en": "Change the colour theme"},
    "palette.quit": {"ko": "종료", "en": "Quit"},
    "palette.quit.help": {"ko": "프로그램을 바로 끝냅니다", "en": "Quit the application"},
    "palette.keys": {"ko": "키 목록", "en": "Keys"},
    "palette.keys.help": {"ko": "키 목록 칸 보이기 / 숨기기", "en": "Show / hide the panel of keys"},
    "palette.maximize": {"ko": "크게 보기", "en": "Maximize"},
    "palette.maximize.help": {"ko": "지금 칸을 화면 가득", "en": "Maximize the focused panel"},
    "palette.minimize": {"ko": "원래 크기", "en": "Minimize"},
    "palette.minimize.help": {"ko": "크게 본 칸을 원래 크기로", "en": "Restore the maximized panel"},
    "palette.screenshot": {"ko": "화면 저장", "en": "Screenshot"},
    "palette.screenshot.help": {"ko": "지금 화면을 SVG 파일로 저장", "en": "Save the screen as an SVG file"},
    # open screen
    "open.title": {"ko": "시나리오 열기", "en": "Open a scenario"},
    "open.bundled": {"ko": "강의 순서의 수업 (Enter로 열기)", "en": "The lessons, in the lecture's order (Enter to open)"},
    "open.path": {"ko": "또는 .toml 파일 경로:", "en": "or a .toml file path:"},
    "open.placeholder": {"ko": "예: ~/my_scenario.toml", "en": "e.g. ~/my_scenario.toml"},
    "open.cancel": {"ko": "Esc: 닫기", "en": "Esc: close"},
    "open.error": {"ko": "열 수 없습니다 (지금 시나리오는 그대로):", "en": "Cannot open it (the current scenario stays):"},
    "startup.title": {"ko": "시나리오를 열 수 없습니다", "en": "The scenario cannot be opened"},
    "startup.body": {"ko": "명령줄에서 고른 시나리오를 열 수 없어서, 대신 다음 시나리오를 보여 줍니다: '{title}'. "
                           "아래는 그 까닭입니다 (파일 이름과 항목).",
                     "en": "The scenario named on the command line cannot be opened, so '{title}' is shown "
                           "instead. The reason (file and key) is below."},
    "startup.close": {"ko": "Enter 또는 Esc로 닫기", "en": "Enter or Esc to close"},
    # the course (tui/course_nav.py)
    # comparisons (tui/runs_line.py)
    "key.next_run": {"ko": "다음 실행", "en": "Next run"},
    "key.select_run": {"ko": "실행 고르기", "en": "Select run"},
    "runs.title": {"ko": "실행:", "en": "runs:"},
    "runs.keys": {"ko": "(tab 또는 1‒{n}: 표와 계산이 따라갈 실행)", "en": "(tab or 1‒{n}: the run the tables follow)"},
    "notify.run": {"ko": "실행 {n}: {label} ‒ 표, 모수, 계산 설명이 이 실행을 따라갑니다",
                   "en": "run {n}: {label} ‒ the tables, parameters and arithmetic follow it"},
    "notify.lr_run": {"ko": "실행 {n} ({label})의 학습률 → {lr}", "en": "run {n} ({label}): learning rate → {lr}"},
    "key.next_lesson": {"ko": "다음 수업", "en": "Next lesson"},
    "key.previous_lesson": {"ko": "이전 수업", "en": "Previous lesson"},
    "course.here": {"ko": "**이 수업:** {section} ‒ {count}개 중 {index}번째",
                    "en": "**This lesson:** {section} ‒ {index} of {count}"},
    "course.next": {"ko": "**다음 수업** (`>`): {title} ‒ {section}",
                    "en": "**Next lesson** (`>`): {title} ‒ {section}"},
    "course.previous": {"ko": "`<`: 이전 수업, `o`: 수업 목록", "en": "`<`: previous lesson, `o`: the list of lessons"},
    "course.lecture_done": {"ko": "강의의 내용은 여기까지입니다. 다음부터는 강의 너머의 확장 수업입니다.",
                            "en": "That is the end of the lecture; the lessons after this go beyond it."},
    "course.last": {"ko": "**마지막 수업입니다.** `o`로 수업 목록을 열어 다시 고를 수 있습니다.",
                    "en": "**This is the last lesson.** `o` opens the list of lessons to choose again."},
    "course.not_in": {"ko": "이 시나리오는 수업 목록에 없습니다 ‒ o 키로 수업을 고르세요",
                      "en": "This scenario is not one of the course's lessons ‒ choose one with o"},
    "course.at_end": {"ko": "마지막 수업입니다", "en": "This is the last lesson"},
    "course.at_start": {"ko": "첫 수업입니다", "en": "This is the first lesson"},
}


def default_language() -> str:
    """Korean when the locale says so (LC_ALL, then LANG), else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def t(key: str, lang: str, **values: object) -> str:
    text = MESSAGES[key][lang]
    return format_particles(text, **values) if values else text


HUGE_DATA = 1e100   # squares and sums of numbers this large overflow whatever the learning rate


def diverged_text(snapshot, lang: str, notify: bool = False) -> str:
    """Why the run diverged, with advice that fits the cause: data too large to square, or a
    learning rate too large."""
    import numpy as np

    size = max((float(np.max(np.abs(a))) for a in (snapshot.inputs, snapshot.targets) if np.size(a)),
               default=0.0)
    key = "notify.diverged" if notify else "diverged_at"
    if size >= HUGE_DATA:
        return t(f"{key}.data", lang, step=snapshot.diverged_at, size=f"{size:.0e}")
    return t(key, lang, step=snapshot.diverged_at)


def least_squares_label(fit, lang: str) -> str:
    """What the + / green line is: the least-squares answer, said honestly (one of many exact
    fits where they are not unique; the MSE minimum where the scenario's loss is MAE)."""
    if not fit.optimal:
        return t("pic.least_squares.not_mae", lang)
    if not fit.unique:
        return t("pic.least_squares.one_of_many", lang)
    return t("pic.least_squares", lang)


def for_optimizer(key: str, optimizer: str, lang: str, **values: object) -> str:
    """Message `key`, or the optimizer's own words for it where it has them (`key.optimizer`):
    the perceptron rule's correction −Σ (t − ŷ)⋅x is not a gradient, and is not called one."""
    own = f"{key}.{optimizer}"
    return t(own if own in MESSAGES else key, lang, **values)


def activation_name(name: str, lang: str) -> str:
    """An activation as a layer's heading names it (identity is the lecture's "F 없음")."""
    key = f"act.{name}"
    return t(key, lang) if key in MESSAGES else name


def loss_note(terms, lang: str) -> str:
    """How the lecture's way of writing this loss differs from PyTorch's ("" where it does not);
    for MSE the lecture's own SSE/(n−2) value beside the mean (`terms`: engine LossTerms)."""
    key = f"loss_note.{terms.name}"
    if key not in MESSAGES:
        return ""
    if terms.name == "mse":
        lecture = terms.lecture_mse()
        if lecture is None:
            return t("loss_note.mse.few", lang)
        return t(key, lang, sse=fmt(terms.total, 4), n2=len(terms.rows) - 2, lecture=fmt(lecture, 4),
                 mean=fmt(terms.mean, 4))
    return t(key, lang)


def update_header(snapshot, lang: str) -> str:
    """The update pane's heading: the lecture's rule for plain gradient steps, else the optimizer."""
    if snapshot.optimizer in PLAIN_OPTIMIZERS:
        return for_optimizer("explain.update", snapshot.optimizer, lang)
    return t("explain.update_other", lang, opt=snapshot.optimizer)


from .pictures import PICTURE_MESSAGES  # noqa: E402  (the picture views' words, in their own file)

MESSAGES.update(PICTURE_MESSAGES)

from .serve import SERVE_MESSAGES  # noqa: E402  (dltui serve's words, in their own file)

MESSAGES.update(SERVE_MESSAGES)

from .editing import WORDS as EDITING_MESSAGES  # noqa: E402  (w / t / s words, in their own module)

MESSAGES.update(EDITING_MESSAGES)

from .quiz import QUIZ_MESSAGES  # noqa: E402  (the quiz's words, in their own module)

MESSAGES.update(QUIZ_MESSAGES)

from .explain_words import EXPLAIN_MESSAGES  # noqa: E402  (the words around the explanations)

MESSAGES.update(EXPLAIN_MESSAGES)

from .output_words import OUTPUT_MESSAGES  # noqa: E402  (why a run's files could not be written)

MESSAGES.update(OUTPUT_MESSAGES)

from .help import HELP_MESSAGES, full_help  # noqa: E402  (the help's words, in their own module)

MESSAGES.update(HELP_MESSAGES)
HELP = {lang: full_help(lang) for lang in LANGS}   # every key, panel and word; `?` puts this screen first
