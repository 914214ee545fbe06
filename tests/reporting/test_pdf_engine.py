"""The PDF engine's tuning (same PDF, less work) and the render process it runs in."""

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest
from django.conf import settings

from reporting import pdf_engine, rendering
from reporting.rendering import pack_html, render_pdf, static_base, static_roots
from tests.reporting.pack_context import sample_context

pypdf = pytest.importorskip("pypdf", reason="pypdf reads the rendered PDF back")

LIST = "<html lang='en'><body><h1>Title</h1><ul><li>first</li><li>second</li></ul><p>after</p></body></html>"


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


# --- the user-agent stylesheet without its universal pseudo-element rules -------------------------------------


def test_the_user_agent_stylesheet_drops_only_the_universal_pseudo_element_rules():
    import weasyprint.html

    css = pdf_engine.html_class().user_agent_css

    for name in pdf_engine.UNUSED_UA_PSEUDO_RULES:
        assert f"::{name} {{" in weasyprint.html.UA  # WeasyPrint's own has them, for every element
        assert f"::{name}" not in css
    assert "\nli::marker {" in css and "\n::marker {" not in css
    # Everything else is WeasyPrint's own, line for line.
    kept = [line for line in weasyprint.html.UA.splitlines() if line.strip() and not line.startswith("::")]
    assert [line for line in css.splitlines() if line.strip() and not line.startswith("li::marker")] == kept


def test_no_pseudo_element_styles_are_computed_for_every_element():
    import gc

    import weasyprint
    from weasyprint.css import ComputedStyle

    html = "<html lang='en'><body>" + "<p>row</p>" * 300 + "</body></html>"

    def pseudo_styles(html_class):
        gc.collect()  # the styles of an earlier render
        document = html_class(string=html).render()
        count = sum(
            1 for o in gc.get_objects() if type(o) is ComputedStyle and o.pseudo_type == "footnote-call"
        )
        del document
        return count

    assert pseudo_styles(weasyprint.HTML) >= 300  # WeasyPrint's stylesheet: one per paragraph at least
    assert pseudo_styles(pdf_engine.html_class()) == 0


def test_lists_keep_their_markers_and_a_pack_renders_the_same_text_as_with_weasyprints_own_stylesheet(
    monkeypatch,
):
    import weasyprint

    pdf, pages = render_pdf(LIST)
    assert text_of(pdf)[0].count("•") == 2 and "first" in text_of(pdf)[0] and pages == 1

    html = pack_html(sample_context(30))
    tuned, tuned_pages = render_pdf(html)
    monkeypatch.setattr(pdf_engine, "html_class", lambda: weasyprint.HTML)
    stock, stock_pages = render_pdf(html)
    assert tuned_pages == stock_pages and text_of(tuned) == text_of(stock)


# --- streams: compressed at level 6, joined once drawn ----------------------------------------------------------


def test_streams_are_compressed_at_the_default_level_not_pydyfs_slowest(monkeypatch):
    levels = []
    real = zlib.compressobj

    def spy(level=-1, *args, **kwargs):
        levels.append(level)
        return real(level, *args, **kwargs)

    monkeypatch.setattr(zlib, "compressobj", spy)
    pdf, _pages = render_pdf(LIST)

    assert levels and set(levels) == {pdf_engine.ZLIB_LEVEL}
    assert "first" in text_of(pdf)[0]


def test_a_drawn_page_becomes_one_bytes_object():
    import pydyf

    def paint(page, stream, scale=1):
        stream.stream.extend([b"q", 1.5, "/F1", b"Q"])

    stream = pydyf.Stream()
    pdf_engine._join_drawn_page(paint)(None, stream)

    assert stream.stream == [b"q\n1.5\n/F1\nQ"]


def test_install_is_idempotent():
    from weasyprint.document import Page

    pdf_engine.install()
    paint = Page.paint
    pdf_engine.install()

    assert Page.paint is paint and paint.joins_drawn_page


# --- the HTML: no whitespace between lines of tags -------------------------------------------------------------


def test_the_html_has_no_whitespace_between_lines_of_tags_but_keeps_it_within_a_line():
    html = pack_html(sample_context(5))

    assert not rendering.BETWEEN_LINES_OF_TAGS.search(html)
    assert rendering.BETWEEN_LINES_OF_TAGS.sub("><", "<b>a</b> <i>b</i>\n  <p>") == "<b>a</b> <i>b</i><p>"


# --- the render process ----------------------------------------------------------------------------------------


def _process() -> pdf_engine.RenderProcess:
    return rendering.render_process()


def test_a_render_process_renders_in_a_process_of_its_own_the_same_pdf_as_in_process():
    html = pack_html(sample_context(20))
    with _process() as process:
        child = process.process.pid
        pdf, pages = process.render(html, base_url=static_base().as_uri() + "/", roots=static_roots())

    assert child != os.getpid() and process.process.returncode == 0
    assert process.peak_kib and process.peak_kib > 10_000  # its own resident memory, reported back
    here, here_pages = render_pdf(html)
    assert pages == here_pages and text_of(pdf) == text_of(here)


def test_a_render_process_that_fails_says_why():
    with _process() as process, pytest.raises(pdf_engine.RenderFailed, match="without a PDF"):
        process.render("<html>", base_url="not a url", roots=[Path("/nonexistent")], variant="pdf/nope")


def test_a_render_process_killed_mid_render_fails_the_render_and_leaves_nothing_running():
    html = pack_html(sample_context(200))
    process = _process()

    def kill_soon():
        time.sleep(1.0)
        os.kill(process.process.pid, signal.SIGKILL)

    import threading

    killer = threading.Thread(target=kill_soon)
    killer.start()
    with process, pytest.raises(pdf_engine.RenderFailed, match="killed by signal 9"):
        process.render(html, base_url=static_base().as_uri() + "/", roots=static_roots())
    killer.join()
    assert process.process.poll() == -signal.SIGKILL


def test_leaving_the_block_kills_a_process_still_running():
    with _process() as process:
        pid = process.process.pid
    assert process.process.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_render_process_dies_with_the_worker_that_started_it(tmp_path):
    """A worker killed at its hard time limit or by the OOM killer takes its render process with it."""
    pid_file = tmp_path / "child.pid"
    script = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(settings.BASE_DIR)!r})
        from pathlib import Path
        from reporting.pdf_engine import RenderProcess
        process = RenderProcess(cwd=Path({str(settings.BASE_DIR)!r}))
        Path({str(pid_file)!r}).write_text(str(process.process.pid))
        time.sleep(60)
        """
    )
    worker = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 20
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the worker did not start its render process"
            time.sleep(0.05)
        child = int(pid_file.read_text())
        time.sleep(1.5)  # the render process is importing WeasyPrint, or waiting for its HTML
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(child):
            assert time.monotonic() < deadline, "the render process outlived its worker"
            time.sleep(0.05)
    finally:
        if worker.poll() is None:
            worker.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"  # a zombie waiting for init to reap it is dead
    except FileNotFoundError:
        return False


def test_what_the_render_process_logs_reaches_the_workers_log(caplog, monkeypatch):
    import logging

    html = pack_html(sample_context(3)).replace(
        "</head>", '<link rel="stylesheet" href="http://example.com/x.css"></head>'
    )
    monkeypatch.setattr(rendering, "pack_html", lambda context: html)
    with caplog.at_level(logging.WARNING, logger="reporting.rendering"):
        rendering.render_pack(sample_context(3))
    assert "example.com/x.css" in caplog.text  # refused, and said so
