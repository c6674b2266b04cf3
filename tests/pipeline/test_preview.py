"""``evalkit preview``: serves the book, rebuilds on an edit, keeps the last good book on error."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import book_config, make_project
from evalkit.pipeline.preview import RELOAD_SCRIPT, VERSION_PATH, serve, snapshot

TIMEOUT = 600


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(condition, what: str, lines: list[str]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen; preview said:\n" + "\n".join(lines[-30:]))


@pytest.mark.slow
def test_preview_rebuilds_on_edit_and_keeps_last_good_book(tmp_path):
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    config = book_config(project, tmp_path / "out")
    stop, lines, address = threading.Event(), [], []
    thread = threading.Thread(
        target=serve,
        kwargs={
            "config": config,
            "port": 0,
            "log": lines.append,
            "stop": stop,
            "ready": address.append,
            "interval": 0.2,
        },
        daemon=True,
    )
    thread.start()
    try:
        wait_for(lambda: address, "serving", lines)
        base = address[0]
        assert base.startswith("http://127.0.0.1:")
        page = get(base + "book/index.html")
        assert "de cijfers nagerekend" in page and RELOAD_SCRIPT in page
        first = get(base + VERSION_PATH.lstrip("/"))
        assert first

        index = project / "book" / "index.md"
        index.write_text(
            index.read_text(encoding="utf-8") + "\nEen zin die de voorbeeldtest toevoegt.\n",
            encoding="utf-8",
        )
        wait_for(
            lambda: "Een zin die de voorbeeldtest toevoegt." in get(base + "book/index.html"),
            "the edited page being served",
            lines,
        )
        second = get(base + VERSION_PATH.lstrip("/"))
        assert second != first
        assert any(line.startswith("bijgewerkt in") for line in lines)
        # An edit to a page re-executes no notebook.
        assert "13 in het boek, 13 uit de cache, 0 uit te voeren" in "\n".join(lines), "\n".join(
            line for line in lines if "sleutel" not in line
        )

        # A broken page: the rebuild fails, says why, and the last good book stays.
        broken = project / "book" / "definities.md"
        broken.write_text(
            broken.read_text(encoding="utf-8") + "\nZie {doc}`bestaat-niet`.\n", encoding="utf-8"
        )
        wait_for(lambda: any("bouwen mislukt" in line for line in lines), "a failure", lines)
        assert "bestaat-niet" in "\n".join(lines)
        assert get(base + VERSION_PATH.lstrip("/")) == second
        assert "Een zin die de voorbeeldtest toevoegt." in get(base + "book/index.html")
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()


def test_snapshot_sees_an_edit_and_skips_build_output(tmp_path):
    (tmp_path / "book").mkdir()
    page = tmp_path / "book" / "a.md"
    page.write_text("een", encoding="utf-8")
    (tmp_path / "book" / "_build").mkdir()
    (tmp_path / "book" / "_build" / "x.html").write_text("x", encoding="utf-8")
    before = snapshot([tmp_path / "book", tmp_path / "missing"])
    assert list(before) == [str(page)]
    page.write_text("een twee", encoding="utf-8")
    assert snapshot([tmp_path / "book"]) != before
    assert Path(next(iter(before))).name == "a.md"
