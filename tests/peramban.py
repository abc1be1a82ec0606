"""The live preview driven by a real browser: Chromium from Debian's packages, through Playwright with
the system browser (Playwright's own browser download cannot work here). Shared by tests/test_preview.py
and bench/bench.py, so that the bench's latencies are measured the way the test proves the page works:
from the moment a file is saved until the browser shows the change.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Debian's chromium; on a GitHub runner, its preinstalled Google Chrome
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Preview:
    """A running `build.py preview` over `root`: its URL, process and what it printed."""

    def __init__(self, root: Path, port: int):
        self.root, self.port, self.url = root, port, f"http://127.0.0.1:{port}/"
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "--root", str(root), "preview", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.out), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, self.err), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line)

    def wait_for_line(self, pattern: str, timeout: float = 30) -> str:
        """The first line of stdout matching `pattern`, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.out):
                if re.search(pattern, line):
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"preview did not print {pattern!r}: {''.join(self.out)}{''.join(self.err)}")

    def children(self) -> list[int]:
        """The pids of the processes the preview started, and theirs: the forkserver, the layout
        processes it forked, multiprocessing's resource tracker."""
        return descendants(self.process.pid)

    def peak_mib(self) -> float:
        """The preview process's peak resident memory (VmHWM) so far."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024

    def stop(self, timeout: float = 20) -> int:
        """Ctrl-C, as a user stops it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        return code


@contextmanager
def running_preview(root: Path, port: int | None = None):
    preview = Preview(root, port or free_port())
    try:
        preview.wait_for_line(r"diperbarui: versi 1\b", timeout=60)
        yield preview
    finally:
        preview.stop()


@contextmanager
def chromium_page(tmp: Path, width: int = 1400, height: int = 1000):
    """A headless Chromium page (the Debian package's browser). Its profile and Playwright's temporary
    files go under `tmp`: the driver takes TMPDIR from the environment it starts in."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium is not installed (apt-get install chromium)"
    with _tmpdir(tmp), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


@contextmanager
def _tmpdir(tmp: Path):
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(tmp)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved


def open_preview(page, preview: Preview) -> None:
    """Load the page and wait until it listens for the server's events."""
    page.goto(preview.url)
    page.wait_for_selector("#pratinjau-navigasi")
    wait_for_events(page)


def wait_for_events(page, timeout: float = 10) -> None:
    page.wait_for_function("window.pratinjauTerhubung === true", timeout=timeout * 1000)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def seconds_until(page, condition: str, save, timeout: float = 20) -> float:
    """Save (call `save`), then wait until the JavaScript `condition` holds in the page: wall seconds from
    the save to the browser showing it (checked on every animation frame)."""
    started = time.perf_counter()
    save()
    page.wait_for_function(condition, polling="raf", timeout=timeout * 1000)
    return time.perf_counter() - started


def text_shown(text: str) -> str:
    """The condition: the page's sheets show `text`."""
    return f"document.body.innerText.includes({text!r})"


def pdf_version(page) -> int:
    """The rendering the page's PDF link is for (0: none yet)."""
    href = page.evaluate("(document.querySelector('a#pratinjau-pdf') || {}).href || ''")
    found = re.search(r"versi=(\d+)", href)
    return int(found.group(1)) if found else 0


def pdf_newer_than(versi: int) -> str:
    """The condition: the page links a PDF laid out from a rendering after `versi`, and it is the newest."""
    return (
        "(() => { const a = document.querySelector('a#pratinjau-pdf.terbaru');"
        f" return !!a && Number(new URL(a.href).searchParams.get('versi')) > {versi}; }})()"
    )


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children, theirs, …) that is not a zombie, read from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue
        if state != "Z":
            parents[int(stat.parent.name)] = int(parent)
    found, below = [], {pid}
    while below:
        below = {child for child, parent in parents.items() if parent in below} - set(found)
        found += sorted(below)
    return found
