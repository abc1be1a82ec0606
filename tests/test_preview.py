"""The live preview (`build.py preview`) in a real headless Chromium: an edit shows without a reload, a
broken YAML file shows its galat over the last good page, fixing it clears it; Ctrl-C leaves nothing."""

from __future__ import annotations

import subprocess
import sys

from peramban import (
    ROOT,
    chromium_page,
    fetch,
    open_preview,
    pdf_version,
    replace_in,
    running_preview,
    seconds_until,
    text_shown,
)

CHAPTER = "content/03-permasalahan-isu-strategis.md"
SENTENCE = "Kalimat ini ditambahkan oleh uji pratinjau langsung."
OVERLAY = "#pratinjau-galat"


def test_preview_follows_saves_and_shows_galat_where_they_are(repo_copy, tmp_path_factory):
    browser_tmp = tmp_path_factory.mktemp("chromium")
    with running_preview(repo_copy) as preview, chromium_page(browser_tmp) as page:
        assert preview.out[0].strip() == f"Pratinjau: {preview.url}   (Ctrl-C untuk berhenti)"
        open_preview(page, preview)
        assert page.locator("section.bab").count() >= 8
        assert page.locator("#pratinjau-navigasi a[href='#daftar-isi'], #pratinjau-navigasi li").count() > 10
        page.evaluate("window.tanda = 'belum dimuat ulang'")  # a reload would lose it

        chapter = repo_copy / CHAPTER
        seconds_until(
            page,
            text_shown(SENTENCE),
            lambda: replace_in(chapter, "Munculnya hambatan", f"{SENTENCE} Munculnya hambatan"),
        )
        assert page.evaluate("window.tanda") == "belum dimuat ulang"
        assert page.is_hidden(OVERLAY)

        mitra = repo_copy / "data" / "mitra.yaml"
        seconds_until(
            page,
            f"!document.querySelector('{OVERLAY}').hidden",
            lambda: replace_in(mitra, '- bagian: "HUKUM"', '- bagian: "HUKUM'),
        )
        assert page.inner_text(f"{OVERLAY} li") == (
            "data/mitra.yaml:11:13: sintaks YAML salah: tanda kutip dibuka di sini tetapi tidak ditutup "
            "(tutup teks dengan tanda kutip yang sama)"
        )
        assert page.evaluate(text_shown(SENTENCE))  # the last good rendering is still under it
        assert page.evaluate("window.tanda") == "belum dimuat ulang"

        seconds_until(
            page,
            f"document.querySelector('{OVERLAY}').hidden",
            lambda: replace_in(mitra, '- bagian: "HUKUM\n', '- bagian: "HUKUM"\n'),
        )
        assert page.evaluate(text_shown(SENTENCE))

        # the PDF link serves the latest PDF laid out in the background
        page.wait_for_selector("a#pratinjau-pdf", timeout=60_000)  # the first PDF, laid out cold meanwhile
        assert fetch(preview.url.rstrip("/") + page.get_attribute("a#pratinjau-pdf", "href")).startswith(
            b"%PDF"
        )
        assert pdf_version(page) >= 1

        taken = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "--root", str(repo_copy), "preview"]
            + ["--port", str(preview.port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert (taken.returncode, taken.stdout) == (1, "")
        assert taken.stderr == (
            f"Port {preview.port} sudah dipakai program lain (mungkin pratinjau yang masih berjalan). "
            f"Hentikan program itu, atau pakai port lain: make preview PORT={preview.port + 1}\n"
        )
        workers = preview.children()
        assert len(workers) >= 3  # the forkserver, the warm layout processes it forked, the resource tracker
    assert preview.process.returncode == 0
    assert "Traceback" not in "".join(preview.err)
    assert preview.out[-1].strip() == "Pratinjau dihentikan."
    assert [pid for pid in workers if _alive(pid)] == []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_pdf_waits_until_the_open_page_has_fetched_the_new_rendering():
    """The PDF is prepared in the server's process: it starts once the page has what it was told of
    (State.wait_served), at once when no page is open, and never waits longer than it is told."""
    import threading
    import time

    from renstra.preview.server import State

    state = State("renstra.pdf")
    versi = state.rendered("<html></html>")
    started = time.monotonic()
    state.wait_served(versi, timeout=5)
    assert time.monotonic() - started < 1  # no page listens

    state.listening(+1)
    threading.Timer(0.3, state.serve).start()  # the page fetches the rendering 0.3 s later
    started = time.monotonic()
    state.wait_served(versi, timeout=5)
    assert 0.25 <= time.monotonic() - started < 4
    assert state.serve() == (b"<html></html>", versi)

    newer = state.rendered("<html>2</html>")
    started = time.monotonic()
    state.wait_served(newer, timeout=0.3)  # the page never comes for it
    assert 0.25 <= time.monotonic() - started < 4
    state.listening(-1)
    state.wait_served(newer, timeout=5)  # the page was closed: nothing to wait for
