"""``srm serve``: the interview in web browsers, for workshop participants without a terminal.

textual-serve starts one app process per browser connection; each runs
``srm interview --workshop FOLDER``, whose start screen creates that participant's own
answers file in the folder. Only loopback is listened on unless asked otherwise.

On top of textual-serve's server this adds what a workshop needs: each page address
carries a participant token, so a reload resumes the same answers file
(:mod:`srm_tui.participants`); downloads start in the page rather than in a pop-up
window, which browsers block; a stop (Ctrl-C, SIGTERM) asks every app to save and quit
at once; and the facilitator's console says what to share, what comes next and which
answers files have appeared.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import ipaddress
import logging
import os
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srm_tui import participants
from srm_tui.engine.errors import InputError
from srm_tui.engine.text import without_control

if TYPE_CHECKING:
    from aiohttp import web

TITLE = "srm workshop"
WILDCARDS = ("0.0.0.0", "::", "")
QUIT_WAIT = 2.0  # seconds an app gets to save and exit (it takes about 0.1) before a kill
CLOSE_WAIT = 1.0  # seconds a browser gets to answer a websocket close
WATCH_EVERY = 0.5  # seconds between looks for new answers files
DOWNLOAD_JS = Path(__file__).with_name("web") / "download.js"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(
    folder: Path,
    pack: str | None = None,
    client: str | None = None,
    participant: str | None = None,
) -> str:
    """The shell command textual-serve runs for each browser."""
    args = [sys.executable, "-m", "srm_tui"]
    if pack:
        args += ["-q", pack_arg(pack)]
    args += ["interview", "--workshop", str(folder.resolve())]
    if client:
        args += ["--workshop-client", client]
    if participant:
        args += ["--workshop-participant", participant]
    return shlex.join(args)


def pack_arg(pack: str) -> str:
    return str(Path(pack).resolve()) if Path(pack).exists() else pack


def public_url(host: str, port: int) -> str:
    """Where browsers find the server; a wildcard address is replaced by this host's name."""
    name = socket.getfqdn() if host in WILDCARDS else host
    if ":" in name:  # an IPv6 address
        name = f"[{name}]"
    return f"http://{name}:{port}"


def facilitator_intro(
    address: str, folder: Path, client: str | None, pack: str | None, local: bool
) -> list[str]:
    """What the facilitator's console says once the server listens."""
    from srm_tui.engagements import slug

    srm = "srm" + (f" -q {shlex.quote(pack_arg(pack))}" if pack else "")
    merged = f"{slug(client)}.yaml" if client else "workshop.yaml"
    files = f"{shlex.quote(str(folder.resolve()))}/*.yaml"
    lines = [
        f"srm workshop{f' for {client}' if client else ''}",
        f"  Share this address with the participants: {address}",
    ]
    if local:
        lines.append("  (only this computer can open it; --host 0.0.0.0 lets the network in)")
    lines += [
        f"  Answers files are kept in {folder.resolve()}",
        "",
        "Each participant opens the address in a web browser, types their name and answers.",
        "Answers are saved as they are given; reloading the page carries on with them.",
        "Afterwards, see where people disagree and write the checklist:",
        f"  {srm} merge {files} -o {merged}",
        f"  {srm} report {merged} -o {Path(merged).stem}.pdf",
        "Press Ctrl+C to stop; the participants' answers are kept.",
        "",
        "Answers files, as they appear:",
    ]
    return lines


def echo(text: str) -> None:
    """A console line that may hold typed names, minus terminal control characters."""
    print(without_control(text), flush=True)


def participant_of(path: Path) -> str | None:
    """The name in an answers file's meta, or None while it is still being written."""
    from srm_tui.engine import yamlio

    try:
        doc = yamlio.load(path)
    except (InputError, OSError):
        return None
    meta = doc.data.get("meta") if isinstance(doc.data, dict) else None
    name = meta.get("participant") if isinstance(meta, dict) else None
    return str(name) if name else None


def make_server(
    host: str,
    port: int,
    folder: Path,
    pack: str | None = None,
    client: str | None = None,
    url: str | None = None,
):
    """textual-serve's server with the workshop's additions (see the module docstring)."""
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    class WorkshopServer(Server):
        def __init__(self) -> None:
            super().__init__(
                app_command(folder, pack, client),
                host=host,
                port=port,
                title=TITLE,
                public_url=url or public_url(host, port),
            )
            self.sessions: dict[AppService, web.WebSocketResponse] = {}
            self.by_participant: dict[str, AppService] = {}
            self.stopping: dict[AppService, asyncio.Future[None]] = {}
            self.watcher: asyncio.Task[None] | None = None

        def initialize_logging(self) -> None:
            super().initialize_logging()
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_get("/ws/{participant}", self.handle_websocket)
            return app

        async def on_startup(self, app: web.Application) -> None:
            for line in facilitator_intro(self.public_url, folder, client, pack, is_loopback(host)):
                echo(line)
            self.watcher = asyncio.create_task(self.watch())

        async def watch(self) -> None:
            """Print each participant's answers file once it holds their name."""
            shown: set[Path] = set()
            while True:
                for path in sorted(folder.glob("*.yaml")):
                    if path not in shown and (name := participant_of(path)):
                        shown.add(path)
                        echo(f"  {path.resolve()}  ({name})")
                await asyncio.sleep(WATCH_EVERY)

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            """The page, for one participant: without a token, a new one is handed out."""
            import aiohttp_jinja2

            token = request.query.get("participant")
            if not participants.valid(token):
                query = {**request.query, "participant": participants.new_token()}
                raise web.HTTPSeeOther(request.rel_url.with_query(query))
            # textual-serve's handler without its template decorator: the page's values
            index_context: Callable[[Server, web.Request], Awaitable[dict[str, Any]]]
            index_context = inspect.unwrap(Server.handle_index)
            context = await index_context(self, request)
            context["app_websocket_url"] += f"/{token}"
            response = aiohttp_jinja2.render_template("app_index.html", request, context)
            page = response.text
            assert page is not None  # a rendered template is text
            script = f"<script>{DOWNLOAD_JS.read_text(encoding='utf-8')}</script>"
            response.text = page.replace("</head>", f"{script}</head>", 1)
            response.headers["Cache-Control"] = "no-store"  # the token is per browser
            return response

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """One app per connection, started on the participant's answers file if any."""
            token = request.match_info.get("participant")
            if token is not None and not participants.valid(token):
                raise web.HTTPNotFound()
            if token in self.by_participant:  # a reload: the old page's app saves first
                await self.stop_session(self.by_participant[token])
            websocket = web.WebSocketResponse(heartbeat=15, timeout=CLOSE_WAIT)
            await websocket.prepare(request)

            async def close_page() -> None:  # aiohttp's close says whether it closed
                await websocket.close()

            service = AppService(
                app_command(folder, pack, client, token),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close_page,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self.sessions[service] = websocket
            if token:
                self.by_participant[token] = service
            try:
                width = to_int(request.query.get("width", "80"), 80)
                height = to_int(request.query.get("height", "24"), 24)
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except ConnectionResetError:
                pass  # the browser went away with messages in flight
            finally:
                await self.stop_session(service)
                self.sessions.pop(service, None)
                self.stopping.pop(service, None)
                if token and self.by_participant.get(token) is service:
                    del self.by_participant[token]
            return websocket

        def stop_session(self, service: AppService) -> asyncio.Future[None]:
            """Stop an app once, however many ask (its page, a reload, the shutdown)."""
            if service not in self.stopping:
                self.stopping[service] = asyncio.ensure_future(self._stop(service))
            return self.stopping[service]

        async def _stop(self, service: AppService) -> None:
            """Ask the app to save and quit; kill it if it has not within QUIT_WAIT."""
            process = service._process  # textual-serve offers no other way to it
            if process is not None and process.returncode is None:
                await service.send_meta({"type": "quit"})
                try:
                    await asyncio.wait_for(process.wait(), QUIT_WAIT)
                except asyncio.TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()
            await service.stop()

        async def on_shutdown(self, app: web.Application) -> None:
            """Every app saves and quits together, then the browsers are told."""
            if self.watcher is not None:
                self.watcher.cancel()
            services = list(self.sessions)
            await asyncio.gather(*(self.stop_session(s) for s in services))
            await asyncio.gather(
                *(self.sessions[s].close() for s in services if s in self.sessions)
            )

    return WorkshopServer()


def serve(
    host: str,
    port: int,
    folder: Path,
    pack: str | None = None,
    client: str | None = None,
    url: str | None = None,
) -> None:
    """Run the web server until Ctrl-C or SIGTERM; a port that cannot be used is an
    ``InputError``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            folder, None, f"cannot create the workshop folder: {exc.strerror}"
        ) from exc
    server = make_server(host, port, folder, pack, client, url)
    try:
        server.serve()
    except OSError as exc:
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        raise InputError(where, None, f"cannot listen here ({exc.strerror})") from exc
    # Stopped, every app saved and gone: skipping the interpreter's teardown (most of a
    # second with these libraries loaded) keeps a stop well under one.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
