"""The session's textual web driver, which also takes the tab's language from the server
(language.py says why it comes after the app has started)."""

from __future__ import annotations

from textual.drivers.web_driver import WebDriver

from .language import LANGS, LANGUAGE_META


class LanguageDriver(WebDriver):
    """textual's web driver that also takes the tab's language from the server."""

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == LANGUAGE_META:
            if payload.get("lang") in LANGS:
                self._app.call_from_thread(setattr, self._app, "lang", payload["lang"])
            return
        super().on_meta(packet_type, payload)
