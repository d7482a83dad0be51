"""``srm serve``: the interview in web browsers, for workshop participants without a terminal.

textual-serve starts one app process per browser connection; each runs
``srm interview --workshop FOLDER``, whose start screen creates that participant's own
answers file in the folder. Only loopback is listened on unless asked otherwise.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from pathlib import Path

from srm_tui.engine.errors import InputError

TITLE = "srm workshop"
WILDCARDS = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(folder: Path, pack: str | None = None, client: str | None = None) -> str:
    """The shell command textual-serve runs for each browser."""
    args = [sys.executable, "-m", "srm_tui"]
    if pack:
        args += ["-q", str(Path(pack).resolve()) if Path(pack).exists() else pack]
    args += ["interview", "--workshop", str(folder.resolve())]
    if client:
        args += ["--workshop-client", client]
    return shlex.join(args)


def public_url(host: str, port: int) -> str:
    """Where browsers find the server; a wildcard address is replaced by this host's name."""
    name = socket.getfqdn() if host in WILDCARDS else host
    if ":" in name:  # an IPv6 address
        name = f"[{name}]"
    return f"http://{name}:{port}"


def serve(
    host: str,
    port: int,
    folder: Path,
    pack: str | None = None,
    client: str | None = None,
    url: str | None = None,
) -> None:
    """Run the web server until Ctrl-C; a port that cannot be used is an ``InputError``."""
    from textual_serve.server import Server

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            folder, None, f"cannot create the workshop folder: {exc.strerror}"
        ) from exc
    server = Server(
        app_command(folder, pack, client),
        host=host,
        port=port,
        title=TITLE,
        public_url=url or public_url(host, port),
    )
    try:
        server.serve()
    except OSError as exc:
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        raise InputError(where, None, f"cannot listen here ({exc.strerror})") from exc
