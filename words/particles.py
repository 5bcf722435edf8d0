"""Korean particles chosen by the sound they follow: 은/는, 이/가, 을/를, 와/과, (으)로.

A particle depends on the last syllable of the word before it: one with a final consonant
(batchim) takes 은, 이, 을, 과, 으로; one without takes 는, 가, 를, 와, 로; ㄹ takes 로.
Names on screen are often Latin letters or digits (w1, b, MSE, 0.5); they are read as a Korean
student reads them aloud (w1 → 더블유일, ends in ㄹ; b → 비, no batchim).

Templates in words/ write `{name:을}`; `t()` formats them with `format_particles`.
"""

from __future__ import annotations

import re
import string

# particle -> (after a batchim, after none, after ㄹ)
PARTICLES = {
    "은": ("은", "는", "은"), "는": ("은", "는", "은"),
    "이": ("이", "가", "이"), "가": ("이", "가", "이"),
    "을": ("을", "를", "을"), "를": ("을", "를", "을"),
    "과": ("과", "와", "과"), "와": ("과", "와", "과"),
    "으로": ("으로", "로", "로"), "로": ("으로", "로", "로"),
    "이라고": ("이라고", "라고", "이라고"), "라고": ("이라고", "라고", "이라고"),
    "이다": ("이다", "다", "이다"), "입니다": ("입니다", "입니다", "입니다"),
}

NONE, FINAL, RIEUL = "none", "final", "rieul"

# how a Latin letter is read, by its last sound
LETTERS = {**dict.fromkeys("abcdefghijkopqstuvwxyz", NONE), "l": RIEUL, "m": FINAL, "n": FINAL, "r": RIEUL}
# how a digit is read: 영 일 이 삼 사 오 육 칠 팔 구
DIGITS = {"0": FINAL, "1": RIEUL, "2": NONE, "3": FINAL, "4": NONE, "5": NONE, "6": FINAL, "7": RIEUL,
          "8": RIEUL, "9": NONE}
# words said as words rather than letter by letter (the names dltui shows)
WORDS = {
    "adam": FINAL, "and": NONE, "or": NONE, "xor": NONE, "relu": NONE, "sigmoid": NONE, "step": FINAL,
    "identity": NONE, "softmax": NONE, "tanh": NONE, "momentum": FINAL, "sgd": NONE, "pytorch": NONE,
    "torch": NONE, "loss": NONE, "weight": NONE, "bias": NONE, "target": FINAL, "predict": NONE,
    "python": FINAL, "json": FINAL, "toml": RIEUL, "linear": NONE, "space": NONE, "enter": NONE,
    "tab": FINAL, "esc": NONE, "backspace": NONE, "shift": NONE, "perceptron": FINAL, "iris": NONE,
    "abalone": NONE, "batch": NONE, "seed": NONE, "epoch": NONE, "dltui": NONE, "gradient": NONE,
    "optimizer": NONE, "model": RIEUL, "layer": NONE, "mseloss": NONE, "bceloss": NONE, "l1loss": NONE,
    "crossentropyloss": NONE, "matplotlib": FINAL, "grad_fn": FINAL, "leaky_relu": NONE, "none": FINAL, "ko": NONE, "en": FINAL,
}
MARKS = "`*'\"]}>.,:;!? " + "’" + "”"   # marks a name may end with on screen (markdown, quotes, brackets)


def _syllable_sound(ch: str) -> str:
    final = (ord(ch) - 0xAC00) % 28
    return NONE if final == 0 else RIEUL if final == 8 else FINAL


def _number_sound(digits: str) -> str:
    """0.5 → 영점오 (the last digit); 10, 300, 2000, 50000 → 십, 백, 천, 만 (all with a batchim)."""
    if "." in digits:
        return DIGITS[digits[-1]]
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros and digits.strip("0"):
        return FINAL
    return DIGITS[digits[-1]]


def last_sound(word: str) -> str:
    """NONE, FINAL (a batchim) or RIEUL (ㄹ) for the way `word` ends when read aloud."""
    text = str(word).rstrip(MARKS)
    inner = re.fullmatch(r"(.*[^\s(])\s*\([^()]*\)", text)   # 묶음(minibatch): the particle follows 묶음
    text = (inner.group(1) if inner else text).rstrip(MARKS + ")")
    if not text:
        raise ValueError(f"no sound to follow: {word!r}")
    ch = text[-1]
    if "가" <= ch <= "힣":
        return _syllable_sound(ch)
    if ch in string.digits:
        number = re.search(r"[\d.]*\d$", text).group(0).lstrip(".")
        return _number_sound(number)
    if ch.isascii() and ch.isalpha():
        name = re.search(r"[A-Za-z_]+$", text).group(0)
        tail = (name.split("_")[-1] or name).lower()   # xor_linear: said as its last part
        if name.lower() in WORDS:
            return WORDS[name.lower()]
        if tail in WORDS:
            return WORDS[tail]
        if len(tail) == 1 or (name.isupper() and len(name) <= 5):   # b, w, MSE, BCE: letter by letter
            return LETTERS[tail[-1]]
        if tail.endswith("ng"):
            return FINAL
        return LETTERS[tail[-1]] if tail[-1] in "lmn" else NONE
    raise ValueError(f"no sound to follow: {word!r}")


def particle(word: object, which: str) -> str:
    """The form of particle `which` (either form of the pair: 은 or 는, 을 or 를, ...) after `word`.
    A name that ends in no sound (a user's "data/", "?") gets both forms, as Korean writes then."""
    after_final, after_none, after_rieul = PARTICLES[which]
    try:
        sound = last_sound(str(word))
    except ValueError:
        return after_final if after_final == after_none else f"({after_final[0]}){after_none}" \
            if after_none == after_rieul else f"{after_final}({after_none})"
    return after_none if sound == NONE else after_rieul if sound == RIEUL else after_final


def attach(word: object, which: str) -> str:
    """`word` with the right form of `which` attached, no space between: attach("w1", "을") == "w1을"."""
    return f"{word}{particle(word, which)}"


class _Formatter(string.Formatter):
    def format_field(self, value, format_spec):
        if format_spec in PARTICLES:
            return attach(format(value, ""), format_spec)
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def format_particles(template: str, **values: object) -> str:
    """`template.format(**values)`, where a field `{name:을}` gets its particle chosen by the value."""
    return _FORMATTER.format(template, **values)
