"""The app in a browser: `studyapp serve` on a free port, Debian's Chromium driven by Playwright.

It studies one card with keys and checks the database; then exports the cards, which reach the
browser as a download. Textual draws the terminal on a canvas, so the test follows the app by the
terminal output that comes over the websocket (the text of each screen is in it), never by time.
A screenshot is kept in test-artifacts/ (or $STUDYAPP_TEST_ARTIFACTS).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
DEADLINE = 90.0  # seconds: CI shares 2 cores; a state that is reached returns at once

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at "
                                "/usr/bin/chromium (apt-get install -y chromium; .ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _answers(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT deck_id, card_id, rating, mode FROM review_log").fetchall()
    except sqlite3.OperationalError:  # the app has not made its tables yet
        return []
    finally:
        con.close()


def test_study_a_card_and_download_an_export_in_chromium(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    data = tmp_path / "data"
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "studyapp", "--data-dir", str(data), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    frames: list[bytes] = []
    try:
        deadline = time.monotonic() + DEADLINE
        while not _listening(port):
            assert server.poll() is None, "studyapp serve stopped"
            assert time.monotonic() < deadline, "studyapp serve did not start listening"
            time.sleep(0.05)
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync"])
            try:
                page = browser.new_page(viewport={"width": 1200, "height": 800}, accept_downloads=True)
                page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
                    payload if isinstance(payload, bytes) else payload.encode())))

                def shown_since(start: int, text: str) -> bool:
                    return text in ANSI.sub("", b"".join(frames[start:]).decode("utf-8", "ignore"))

                def wait_for(condition, what: str) -> None:  # noqa: ANN001
                    deadline = time.monotonic() + DEADLINE
                    while not condition():
                        assert time.monotonic() < deadline, f"timed out waiting for {what}"
                        page.wait_for_timeout(50)  # lets Playwright deliver the websocket's frames

                page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
                wait_for(lambda: shown_since(0, "new today"), "the home screen's counts")
                page.focus(".xterm-helper-textarea")
                mark = len(frames)
                page.keyboard.press("Enter")  # study the first deck
                wait_for(lambda: shown_since(mark, "Again"), "the first card")
                mark = len(frames)
                page.keyboard.press(" ")  # show the answer
                wait_for(lambda: shown_since(mark, "Accept"), "the answer")
                page.keyboard.press("3")  # Good
                db = data / "studyapp.db"
                wait_for(lambda: _answers(db), "the answer in the database")
                assert _answers(db) == [("edc", "korean-war", 3, "flip")]
                artifacts = Path(os.environ.get("STUDYAPP_TEST_ARTIFACTS", ROOT / "test-artifacts"))
                artifacts.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(artifacts / "browser-study.png"))

                # An export reaches the browser as a download, not a file on the serving machine.
                page.keyboard.press("Escape")  # end the session
                wait_for(lambda: shown_since(mark, "Session ended"), "the session's summary")
                mark = len(frames)
                page.keyboard.press("Control+p")
                wait_for(lambda: shown_since(mark, "Search for commands"), "the command palette")
                mark = len(frames)
                page.keyboard.type("Export as CSV")
                wait_for(lambda: shown_since(mark, "CSV file in Anki"), "the export command")
                mark = len(frames)
                page.keyboard.press("Enter")
                wait_for(lambda: shown_since(mark, "studyapp-cards.csv"), "the export screen")
                with page.expect_download(timeout=DEADLINE * 1000) as download:
                    page.keyboard.press("Enter")
                saved = tmp_path / "download.csv"
                download.value.save_as(saved)
                assert saved.read_text(encoding="utf-8").startswith("#separator:Comma\n")
                assert not (data / "studyapp-cards.csv").exists()
            finally:
                browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
