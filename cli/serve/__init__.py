"""`dltui serve`: the app in students' browsers, one session per tab, with a classroom's limits.

cli/main.py only adds these arguments and calls `serve(args)`. Nothing heavy is imported here,
so `dltui list` and `dltui check` stay fast.
"""

from __future__ import annotations

import argparse
import ipaddress
import re
import socket
import sys
from pathlib import Path

from ..arguments import non_negative, port as port_number, positive

WILDCARDS = ("0.0.0.0", "::", "")


def add_arguments(parser: argparse.ArgumentParser, default_scenario: str) -> None:
    parser.add_argument("scenario", nargs="?", default=default_scenario,
                        help=f"a bundled scenario name or a .toml path (default: {default_scenario})")
    parser.add_argument("--port", type=port_number, default=8000, help="TCP port (default: 8000)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only; "
                             "0.0.0.0: every network this machine is on)")
    parser.add_argument("--lang", choices=("ko", "en"), default=None,
                        help="language of every tab and of this console (default: each tab in its browser's "
                             "language, Accept-Language; the console from LC_ALL / LC_MESSAGES / LANG)")
    parser.add_argument("--public-url", metavar="URL", type=_public_url, default=None,
                        help="the address students' browsers use, when it differs from the one they "
                             "typed (e.g. behind a proxy: https://dltui.example.ac.kr)")
    parser.add_argument("--scenarios", metavar="DIR", type=_folder, default=None,
                        help="a folder whose .toml files students may open (besides the bundled "
                             "ones); nothing else on this machine can be opened from a browser")
    parser.add_argument("--max-sessions", metavar="N", type=positive, default=60,
                        help="browser tabs served at once; the next one gets a 'full' page (default: 60)")
    parser.add_argument("--idle", metavar="DURATION", type=duration, default=30 * 60,
                        help="close a tab after this long without a key press, e.g. 45m, 90s, 2h; "
                             "0 never (default: 30m)")
    parser.add_argument("--spares", metavar="N", type=non_negative, default=2,
                        help="sessions started ahead of time, so a new tab shows at once (default: 2)")
    parser.add_argument("--per-address", metavar="N", type=non_negative, default=32,
                        help="open connections one client address may hold (a few per tab); 0: no cap, "
                             "for a server behind a proxy, where every tab has the proxy's address "
                             "(default: 32)")
    parser.add_argument("--session-memory", metavar="MB", type=positive, default=600,
                        help="memory one tab may allocate beyond what all tabs share; past it the "
                             "tab is ended and told why (default: 600)")


def duration(text: str) -> float:
    """'90s', '45m', '2h', '1h30m' or '0' → seconds."""
    text = text.strip().lower()
    if text == "0":
        return 0.0
    parts = re.fullmatch(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?", text)
    if not text or parts is None or not any(parts.groups()):
        raise argparse.ArgumentTypeError(f"must be a duration like 30m, 90s or 1h (or 0 for never), not {text!r}")
    hours, minutes, seconds = (float(p) if p else 0.0 for p in parts.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise argparse.ArgumentTypeError(f"must be a duration like 30m, 90s or 1h longer than 0 (or 0 for never), not {text!r}")
    return total


def _public_url(text: str) -> str:
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~\-/]*)?", text.strip()):
        raise argparse.ArgumentTypeError(f"must be an http:// or https:// address like "
                                         f"http://192.168.0.10:8000, not {text!r}")
    return text.strip().rstrip("/")


def _folder(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is not a folder")
    return path.resolve()


def share_urls(host: str, port: int) -> list[str]:
    """Addresses students can type: this machine's non-loopback IPv4 addresses for a wildcard
    host, else the host itself."""
    if host not in WILDCARDS:
        shown = f"[{host}]" if ":" in host else host
        return [f"http://{shown}:{port}/"]
    found: list[str] = []
    try:   # the address of the interface with the default route (no packet is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    addresses = [a for a in dict.fromkeys(found) if not ipaddress.ip_address(a).is_loopback]
    return [f"http://{a}:{port}/" for a in addresses] or [f"http://<this machine's address>:{port}/"]


def serve(args: argparse.Namespace) -> int:
    """Check everything, print where to go, then serve until Ctrl+C."""
    from dltui.engine import load_scenario, resolve
    from dltui.words import default_language
    from dltui.words.cli_serve import console

    lang = args.lang or default_language()   # the console's; each tab's is its browser's unless --lang
    path = resolve(args.scenario)
    load_scenario(path)  # a broken file is reported here, before any browser connects
    try:   # say so plainly when the port is taken, before the server starts
        with socket.create_server((args.host, args.port)):
            pass
    except OSError as exc:
        print(console("console.cannot_listen", lang, host=args.host, port=args.port, why=exc.strerror or exc),
              file=sys.stderr)
        return 1

    from .server import ClassServer, Limits
    from .session import SessionConfig
    from .spawn import ForkSpawner

    config = SessionConfig(scenario=str(Path(path).resolve()), lang=args.lang,
                           scenarios_dir=str(args.scenarios) if args.scenarios else None,
                           memory_bytes=args.session_memory * 1_000_000)
    limits = Limits(max_sessions=args.max_sessions, idle_seconds=args.idle,
                    memory_bytes=args.session_memory * 1_000_000, spares=args.spares,
                    per_address=args.per_address)
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731

    def announce() -> None:
        if args.host in WILDCARDS:
            say(console("console.everyone", lang, port=args.port))
            say(console("console.students_open", lang))
            for url in ([args.public_url + "/"] if args.public_url else share_urls(args.host, args.port)):
                say(f"    {url}")
        else:
            url = args.public_url + "/" if args.public_url else share_urls(args.host, args.port)[0]
            say(console("console.open", lang, url=url))

    server = ClassServer(ForkSpawner(config), host=args.host, port=args.port, limits=limits,
                         public_url=args.public_url, announce=announce, lang=args.lang)
    say(console("console.serving", lang, name=Path(path).stem))
    server.serve()
    return 0
