"""The training settings screen (t): change the setup from the current step without leaving.

It reads the setup in force, lets the learner change rate, optimizer (momentum, betas), loss,
batch size, each layer's units and activation (add or remove hidden layers), input scaling, the
test split and the seed, and hands the changed keys ‒ as `--set` would name them ‒ to the app,
which asks the engine. A change that cannot work comes back in `dltui check`'s words and the
screen stays open with nothing lost.
"""

from __future__ import annotations

from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from dltui.engine.load.dataset import NORMALIZATIONS
from dltui.engine.load.number_text import NumberTextError, read_number, read_whole
from dltui.engine.load.scenario import ACTIVATIONS, LOSSES, OPTIMIZERS, Scenario
from dltui.engine.ops import NEW_HIDDEN_ACTIVATION
from .i18n import t


class SettingsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", show=True)]
    DEFAULT_CSS = """
    SettingsScreen { align: center middle; }
    SettingsScreen > VerticalScroll { width: 96%; max-width: 100; height: 96%; border: thick $primary;
                                      background: $surface; padding: 0 1; }
    SettingsScreen .row { height: auto; margin-bottom: 0; }
    SettingsScreen .row Label { width: 30; padding: 0 1 0 0; }
    SettingsScreen .row Input { width: 1fr; max-width: 24; }
    SettingsScreen .row Select { width: 1fr; max-width: 34; }
    SettingsScreen .layer Label { width: 10; }
    SettingsScreen .layer Input { width: 8; margin-right: 1; }
    SettingsScreen .layer Select { width: 24; margin-right: 1; }
    SettingsScreen #set-layers { height: auto; }
    SettingsScreen #set-add { margin: 0 0 1 10; }
    SettingsScreen .heading { margin-top: 1; text-style: bold; }
    SettingsScreen #settings-error { color: $error; height: auto; margin-top: 1; }
    SettingsScreen #buttons { height: auto; margin-top: 1; }
    SettingsScreen #buttons Button { margin-right: 2; }
    """

    def __init__(self, scenario: Scenario, learning_rate: float, lang: str,
                 apply: Callable[[dict], str | None]):
        super().__init__()
        self.scenario, self.learning_rate, self.lang, self._apply = scenario, learning_rate, lang, apply
        self.layer_rows = [(spec.units, spec.activation) for spec in scenario.layers]

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        train, data, lang = self.scenario.train, self.scenario.data, self.lang
        with VerticalScroll() as box:
            box.border_title = t("settings.title", lang)
            box.border_subtitle = t("settings.keys", lang)
            yield self._row("lr", _input(repr(self.learning_rate), "set-lr"))
            yield self._row("optimizer", _select("set-optimizer", OPTIMIZERS, train.optimizer, lang))
            yield self._row("momentum", _input(repr(train.momentum), "set-momentum"))
            yield self._row("beta1", _input(repr(train.betas[0]), "set-beta1"))
            yield self._row("beta2", _input(repr(train.betas[1]), "set-beta2"))
            yield self._row("loss", _select("set-loss", LOSSES, train.loss, lang))
            yield self._row("batch", _input(str(train.batch_size), "set-batch"))
            yield Label(t("settings.layers", lang), classes="heading")
            with Vertical(id="set-layers"):
                yield from self._layer_widgets()
            yield Button(t("settings.add", lang), id="set-add", compact=True)
            yield self._row("normalize", _select("set-normalize", NORMALIZATIONS, data.normalize, lang))
            if data.explicit_test_rows:
                yield Static(t("settings.test_rows", lang))
            else:
                yield self._row("test_fraction", _input(repr(data.test_fraction), "set-test"))
            yield self._row("seed", _input(str(train.seed), "set-seed"))
            yield Static("", id="settings-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(t("settings.apply", lang), id="set-apply", variant="primary", compact=True)
                yield Button(t("settings.cancel", lang), id="set-cancel", compact=True)

    def _row(self, key: str, field) -> Horizontal:
        return Horizontal(Label(t(f"settings.{key}", self.lang)), field, classes="row")

    def on_mount(self) -> None:
        self.query_one("#set-lr", Input).focus()

    def _layer_widgets(self) -> list[Horizontal]:
        return [Horizontal(Label(t("settings.layer", self.lang, n=n)),
                           _input(str(units), f"set-units-{n}"),
                           _select(f"set-act-{n}", ACTIVATIONS, activation, self.lang),
                           Button(t("settings.remove", self.lang), id=f"set-remove-{n}", compact=True),
                           classes="row layer")
                for n, (units, activation) in enumerate(self.layer_rows, start=1)]

    async def _show_layers(self) -> None:
        box = self.query_one("#set-layers", Vertical)
        await box.remove_children()
        await box.mount_all(self._layer_widgets())

    # ----------------------------------------------------------------- layers

    def _read_layers(self) -> list[tuple[str, str]]:
        """The layer rows as typed (units still text)."""
        out = []
        for n in range(1, len(self.layer_rows) + 1):
            units = self.query_one(f"#set-units-{n}", Input).value.strip()
            activation = self.query_one(f"#set-act-{n}", Select).value
            out.append((units, activation))
        return out

    @on(Button.Pressed, "#set-add")
    async def _add(self) -> None:
        """A hidden layer before the output layer, as wide as the inputs or the layer before it."""
        typed = self._read_layers()
        self.layer_rows = [(u, a) for u, a in typed]
        width = self.layer_rows[-2][0] if len(self.layer_rows) > 1 else max(2, self.scenario.data.n_features)
        self.layer_rows.insert(len(self.layer_rows) - 1, (width, NEW_HIDDEN_ACTIVATION))
        await self._show_layers()

    @on(Button.Pressed)
    async def _remove(self, event: Button.Pressed) -> None:
        if not (event.button.id or "").startswith("set-remove-") or len(self.layer_rows) < 2:
            return
        n = int(event.button.id.rsplit("-", 1)[1])
        typed = self._read_layers()
        del typed[n - 1]
        self.layer_rows = typed
        await self._show_layers()

    # ----------------------------------------------------------------- apply

    @on(Button.Pressed, "#set-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#set-apply")
    @on(Input.Submitted)
    async def _apply_pressed(self) -> None:
        try:
            overrides = self.overrides()
        except _BadField as exc:
            self._error(t("settings.bad_number", self.lang, field=t(f"settings.{exc.field}", self.lang),
                          text=exc.text, reason=t(f"number.{exc.code}", self.lang)))
            return
        if not overrides:
            self.app.notify(t("settings.unchanged", self.lang), timeout=3)
            self.dismiss(None)
            return
        problem = await self._apply(overrides)
        if problem:
            self._error(f"{t('settings.error', self.lang)}\n{problem}")
            return
        self.dismiss(None)

    def _error(self, text: str) -> None:
        error = self.query_one("#settings-error", Static)
        error.update(text)
        self.query_one(VerticalScroll).scroll_to_widget(error)

    def overrides(self) -> dict:
        """The changed settings as dotted keys of the scenario file (what `--set` takes)."""
        train, data = self.scenario.train, self.scenario.data
        out: dict = {}

        def number(key, field, kind, now):
            text = self.query_one(f"#{field}", Input).value.strip()
            try:
                value = kind(text)
            except NumberTextError as exc:
                raise _BadField(_FIELDS[field], text, exc.code) from None
            if value != now:
                out[key] = value

        number("train.learning_rate", "set-lr", read_number, self.learning_rate)
        number("train.momentum", "set-momentum", read_number, train.momentum)
        number("train.beta1", "set-beta1", read_number, train.betas[0])
        number("train.beta2", "set-beta2", read_number, train.betas[1])
        number("train.batch_size", "set-batch", read_whole, train.batch_size)
        number("train.seed", "set-seed", read_whole, train.seed)
        if not data.explicit_test_rows:
            number("data.test_fraction", "set-test", read_number, data.test_fraction)
        for key, field, now in (("train.optimizer", "set-optimizer", train.optimizer),
                                ("train.loss", "set-loss", train.loss),
                                ("data.normalize", "set-normalize", data.normalize)):
            value = self.query_one(f"#{field}", Select).value
            if value != now:
                out[key] = value
        layers = []
        for n, (units_text, activation) in enumerate(self._read_layers(), start=1):
            try:
                units = read_whole(units_text)
            except NumberTextError as exc:
                raise _BadField("layer_units", units_text, exc.code) from None
            layers.append((units, activation))
        if layers != [(spec.units, spec.activation) for spec in self.scenario.layers]:
            out["model.layers"] = self._layer_tables(layers)
        return out

    def _layer_tables(self, layers: list[tuple[int, str]]) -> list[dict]:
        """The new layer list; a layer that keeps its place keeps `bias = false` if it had it."""
        tables = []
        for index, (units, activation) in enumerate(layers):
            table = {"units": units, "activation": activation}
            if index < len(self.scenario.layers) and not self.scenario.layers[index].has_bias:
                table["bias"] = False
            tables.append(table)
        return tables


class _BadField(ValueError):
    def __init__(self, field: str, text: str, code: str):
        super().__init__(field)
        self.field, self.text, self.code = field, text, code


_FIELDS = {"set-lr": "lr", "set-momentum": "momentum", "set-beta1": "beta1", "set-beta2": "beta2",
           "set-batch": "batch", "set-seed": "seed", "set-test": "test_fraction"}


def _select(id_: str, options: tuple[str, ...], value: str, lang: str) -> Select:
    """A choice of registry names, each shown with its Korean name on a Korean screen."""
    return Select([(t(f"option.{name}", lang), name) for name in options], value=value, allow_blank=False,
                  id=id_, compact=True)


def _input(value: str, id_: str) -> Input:
    return Input(value, id=id_, compact=True)
