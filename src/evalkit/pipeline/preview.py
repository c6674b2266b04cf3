"""``evalkit preview``: build the HTML, serve it on 127.0.0.1, rebuild on every change, reload.

The rebuild is the ordinary :func:`evalkit.pipeline.build.build` (strict, ``--all``, cached
notebooks), so a preview shows exactly what ``make book`` would, and only re-executes what a
change reaches. A failed rebuild prints its error and leaves the last good book being served;
the browser reloads itself when a new book is swapped in (a small script polls the build id).
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from evalkit.inputs.errors import InputError
from evalkit.pipeline.build import BUILD_STATE, BuildConfig, BuildError, build

#: Where the page asks for the id of the book being served.
VERSION_PATH = "/__evalkit__/build"
RELOAD_SCRIPT = (
    "<script>(function(){var seen=null;function poll(){fetch('" + VERSION_PATH + "',"
    "{cache:'no-store'}).then(function(r){return r.text()}).then(function(id){"
    "if(seen!==null&&id!==seen){location.reload()}seen=id}).catch(function(){})}"
    "poll();setInterval(poll,1000)})();</script>"
)
WATCHED = ("book", "notebooks", "data", "src", "_config.yml", "_toc.yml")


def snapshot(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Modification time and size of every file below ``paths`` (caches and builds left out)."""
    state = {}
    for root in paths:
        files = [root] if root.is_file() else root.rglob("*") if root.is_dir() else []
        for f in files:
            if f.is_file() and not {"__pycache__", "_build", ".ipynb_checkpoints"} & set(f.parts):
                st = f.stat()
                state[str(f)] = (st.st_mtime_ns, st.st_size)
    return state


def build_id(out: Path) -> str:
    """The id of the book ``out`` serves now (empty before the first build)."""
    try:
        return json.loads((out / "current" / BUILD_STATE).read_text())["build_id"]
    except (OSError, ValueError, KeyError):
        return ""


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``out/html`` as it is at each request, with the reload script in every page."""

    def __init__(self, *args, out: Path, **kwargs):
        self.out = out
        super().__init__(*args, directory=str(out / "html"), **kwargs)

    def translate_path(self, path: str) -> str:
        # The book is swapped in by replacing a symlink: resolve it at every request.
        self.directory = str((self.out / "html").resolve())
        return super().translate_path(path)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.split("?")[0] == VERSION_PATH:
            self._send(build_id(self.out).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            text = path.read_text(encoding="utf-8")
            self._send(text.replace("</body>", RELOAD_SCRIPT + "</body>", 1).encode(), "text/html")
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:
        pass


def rebuild(config: BuildConfig, log: Callable[[str], None]) -> bool:
    """One build; a failure is printed and the last good book stays. True when it succeeded."""
    try:
        build(config, log=log)
    except (BuildError, InputError) as exc:
        log(f"bouwen mislukt; de vorige versie blijft zichtbaar.\n{exc}")
        return False
    return True


def serve(
    config: BuildConfig,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    log: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    ready: Callable[[str], None] | None = None,
    interval: float = 0.5,
) -> None:
    """Build, serve and rebuild until ``stop`` is set (or the process is interrupted).

    Parameters
    ----------
    config : BuildConfig
        The build (``pdf`` is switched off: a preview is the HTML book).
    host, port : str, int
        Where to serve; port 0 picks a free one.
    log : callable
        Receives progress lines and errors.
    stop : threading.Event, optional
        Set it to end the preview.
    ready : callable, optional
        Called with the address once the server listens.
    interval : float
        Seconds between two looks at the watched files.

    """
    config = dataclasses.replace(config, pdf=False)
    stop = stop or threading.Event()
    watched = [config.project / name for name in WATCHED]
    if not config.register.resolve().is_relative_to(config.project.resolve()):
        watched.append(config.register)
    before = snapshot(watched)
    rebuild(config, log)
    handler = functools.partial(_Handler, out=config.out)
    server = http.server.ThreadingHTTPServer((host, port), handler)
    address = f"http://{host}:{server.server_address[1]}/"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log(f"voorbeeld op {address} (stoppen met Ctrl-C)")
    if ready:
        ready(address)
    try:
        while not stop.wait(interval):
            now = snapshot(watched)
            if now == before:
                continue
            # Let an editor finish writing (several files, or write-then-rename) first.
            while not stop.wait(0.3) and (later := snapshot(watched)) != now:
                now = later
            changed = sorted(set(now.items()) ^ set(before.items()))
            names = sorted({Path(p).name for p, _ in changed})
            log(f"gewijzigd: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}")
            before = now
            t0 = time.monotonic()
            if rebuild(config, log):
                log(f"bijgewerkt in {time.monotonic() - t0:.1f} s; de browser laadt opnieuw")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
