"""The preview's HTTP side: the page, its fonts, the latest PDF, and a stream of server-sent events that
tells the open page when there is a new rendering, a galat or a new PDF.

Standard library only (http.server): one page for one person on 127.0.0.1, so a thread per connection
is plenty, and server-sent events are one long GET that the browser's EventSource reconnects by itself.
The page is swapped in place by langsung.js beside this file; the server only publishes the state.
"""

from __future__ import annotations

import json
import mimetypes
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from renstra.problems import Problem

ASSETS = Path(__file__).parent
PING_SECONDS = 15.0  # a comment line now and then: a dead connection is noticed, its thread ends


class State:
    """What the page shows, changed by the builder and read by every open connection."""

    def __init__(self, pdf_name: str):
        self._changed = threading.Condition()
        self.seq = 0  # every change of anything below
        self.versi = 0  # the rendering's number: the page fetches it again when this moves
        self.html: bytes | None = None
        self.galat: list[Problem] = []
        self.pdf: bytes | None = None
        self.pdf_versi = 0  # the rendering that PDF was laid out from
        self.pdf_name = pdf_name
        self.closed = False
        self.listeners = 0  # open event streams: pages that will fetch a new rendering
        self.served = 0  # the newest rendering a page has fetched

    def rendered(self, html: str) -> int:
        """A new good rendering; it clears the galat. Returns its number."""
        with self._changed:
            self.versi += 1
            self.html, self.galat = html.encode("utf-8"), []
            self._notify()
            return self.versi

    def failed(self, problems: list[Problem]) -> None:
        """The files as saved do not build: the last good rendering stays, the overlay lists these."""
        with self._changed:
            self.galat = list(problems)
            self._notify()

    def pdf_done(self, versi: int, pdf: bytes | None) -> None:
        with self._changed:
            if pdf is not None:
                self.pdf, self.pdf_versi = pdf, versi
            self._notify()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._notify()

    def serve(self) -> tuple[bytes | None, int]:
        """The rendering a page fetches, and its number: from now on it counts as served."""
        with self._changed:
            self.served = max(self.served, self.versi)
            self._changed.notify_all()  # the PDF's wait_served; no event for the pages
            return self.html, self.versi

    def listening(self, change: int) -> None:
        """An event stream opened (+1) or closed (-1)."""
        with self._changed:
            self.listeners += change
            self._changed.notify_all()

    def wait_served(self, versi: int, timeout: float) -> None:
        """Until an open page has fetched rendering `versi` (or a newer one), at most `timeout` seconds;
        at once when no page listens."""
        with self._changed:
            self._changed.wait_for(lambda: self.served >= versi or not self.listeners or self.closed, timeout)

    def _notify(self) -> None:
        self.seq += 1
        self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the state moves past `seen` (or the timeout, or close); the current seq."""
        with self._changed:
            self._changed.wait_for(lambda: self.seq != seen or self.closed, timeout)
            return self.seq

    def snapshot(self) -> dict:
        """The state as the page reads it (one event)."""
        with self._changed:
            return {
                "versi": self.versi,
                "galat": [
                    {"tempat": _place(p), "pesan": p.message, "saran": p.hint, "teks": str(p)}
                    for p in self.galat
                ],
                "pdf": {
                    "url": f"/{self.pdf_name}" if self.pdf else None,
                    "versi": self.pdf_versi,
                    "terbaru": self.pdf is not None and self.pdf_versi == self.versi,
                },
            }


def _place(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}:{problem.column}" if problem.path else ""


def make_server(port: int, state: State, files) -> ThreadingHTTPServer:
    """Bound to 127.0.0.1 only; `files` is the WarmBuild whose fonts and lambang the page asks for.
    Raises OSError (EADDRINUSE) when the port is taken."""

    class Handler(_Handler):
        pass

    Handler.state, Handler.files = state, files
    return _Server(("127.0.0.1", port), Handler)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never holds up the stop

    def handle_error(self, request, client_address):
        """A tab closed or reloaded mid-request is no error; anything else is printed as http.server does."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    state: State
    files: object
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the terminal shows builds and galat, not every request

    def do_GET(self):  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        if path == "/":
            return self._page()
        if path == "/_pratinjau/peristiwa":
            return self._events()
        if path in ("/_pratinjau/langsung.js", "/_pratinjau/langsung.css"):
            kind = "text/javascript" if path.endswith(".js") else "text/css"
            return self._send((ASSETS / Path(path).name).read_bytes(), f"{kind}; charset=utf-8")
        if path.startswith("/_pratinjau/huruf/"):
            font = self.files.fonts.get(path.rsplit("/", 1)[1])
            return self._file(font, "font/ttf")
        if path == "/_pratinjau/lambang":
            return self._file(self.files.lambang, None)
        if path == "/favicon.ico":
            return self._send(b"", "image/x-icon", HTTPStatus.NO_CONTENT)
        if path == f"/{self.state.pdf_name}":
            return self._pdf()
        self._send(b"Tidak ada di pratinjau.", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)

    def _page(self):
        html, versi = self.state.serve()
        if html is None:  # nothing built yet: an empty page that shows the galat and waits
            html = b'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Pratinjau</title>' + (
                b"</head><body></body></html>"
            )
        head = (
            f'<meta name="pratinjau-versi" content="{versi}">'
            '<link rel="stylesheet" href="/_pratinjau/langsung.css">'
            '<script src="/_pratinjau/langsung.js" defer></script></head>'
        ).encode()
        self._send(html.replace(b"</head>", head, 1), "text/html; charset=utf-8")

    def _pdf(self):
        pdf = self.state.pdf
        if pdf is None:
            message = b"PDF sedang dibangun; muat ulang sebentar lagi."
            return self._send(message, "text/plain; charset=utf-8", HTTPStatus.SERVICE_UNAVAILABLE)
        self._send(pdf, "application/pdf")

    def _file(self, path: Path | None, kind: str | None):
        if path is None or not path.is_file():
            return self._send(b"", "text/plain", HTTPStatus.NOT_FOUND)
        kind = kind or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._send(path.read_bytes(), kind)

    def _events(self):
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        self.state.listening(+1)
        try:
            self.wfile.write(b"retry: 500\n\n")  # after a restart of the preview, come back soon
            while not self.state.closed:
                seq = self.state.wait(seen, PING_SECONDS)
                if seq == seen:
                    self.wfile.write(b": masih di sini\n\n")
                else:
                    data = json.dumps(self.state.snapshot(), ensure_ascii=False)
                    self.wfile.write(f"event: keadaan\ndata: {data}\n\n".encode())
                    seen = seq
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the tab was closed
            pass
        finally:
            self.state.listening(-1)
        self.close_connection = True

    def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(body)
