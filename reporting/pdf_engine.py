"""HTML -> tagged PDF/A with WeasyPrint, tuned for the board pack; and a render process to run it in.

No Django here: the render process (``python -m reporting.pdf_engine``) imports only WeasyPrint, so it starts in
about half a second and holds about 50 MiB before it lays out a page. The worker starts it before it gathers the
pack's data (the two overlap on separate cores), hands it the HTML, and reads the PDF back; the process exits after
one render, so the render's memory (about 1.6 MiB a page) goes back to the system at once instead of staying in a
long-lived worker's heap, and a render that runs out of memory takes only itself down.

What is tuned, each measured on the 1,000-use-case pack (bench/README.md):

- **No pseudo-element styles for every element.** WeasyPrint's user-agent stylesheet styles ``::marker``,
  ``::footnote-call``, ``::footnote-marker``, ``::note-call``, ``::note-marker`` and ``::note-callback`` with
  universal selectors, so it computes six styles for every element of the document: 57,000 of them, 68 MiB, for a
  pack that has no footnotes and lists only in ``<li>``. The pack renders with that stylesheet less those rules
  (``::marker`` kept for list items), to the byte the same PDF.
- **Page content streams joined when a page is drawn.** WeasyPrint keeps each page's drawing operators as a list of
  small Python objects until the whole file is written (a million of them); each page's list becomes one bytes
  object as soon as it is drawn.
- **Streams compressed at zlib's default level, not its slowest.** pydyf compresses at level 9: 0.7 s of a
  97-page pack's 3.3 s write for 4 % less PDF than level 6.
- **Page references built once per page count** (pydyf rebuilds them for every structure element of a tagged PDF).
- **Python's cyclic collector paused** for the render (reference counting frees the boxes; the collector's passes
  over millions of them were a fifth of the render).
"""

import contextlib
import ctypes
import gc
import json
import mimetypes
import os
import resource
import signal
import subprocess
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

# PDF/A-3 level A: archival (fonts embedded, sRGB, XMP metadata) and accessible, which level A requires to be tagged:
# a structure tree in reading order (headings, paragraphs, lists, tables with their header cells, figures with the
# alternative text of an SVG's <title> or an image's alt), the language of <html lang> as the catalog's /Lang.
PDF_VARIANT = "pdf/a-3a"
ZLIB_LEVEL = 6
# The user-agent rules that match every element with a pseudo-element the pack never uses.
UNUSED_UA_PSEUDO_RULES = ("footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")


class ResourceRefused(ValueError):
    """A render asked for something outside the static files: the network, or a file elsewhere on disk."""


class RenderFailed(RuntimeError):
    """The render process ended without a PDF (it failed, ran out of memory or was killed)."""


def local_static_path(url: str, roots: list[Path]) -> Path:
    """The file a ``file:`` URL names, if it lies inside one of ``roots``; ResourceRefused otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ResourceRefused(f"refused (only local static files are served): {url[:200]}")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
        raise ResourceRefused(f"refused (not a static file): {url[:200]}")
    return path


def url_fetcher(roots: list[Path]):
    """A WeasyPrint URL fetcher that serves only files under ``roots`` and refuses every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.roots = roots

        def fetch(self, url, headers=None):
            path = local_static_path(url, self.roots)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesFetcher()


# WeasyPrint, tuned --------------------------------------------------------------------------------------------

_html_class = None
_pydyf_page_references = None  # pydyf's own property, kept to check the cached one against it


def _cached_page_references(pdf) -> tuple[bytes, ...]:
    """pydyf's ``PDF.page_references``, built once per page count instead of at every call.

    pydyf 0.13 rebuilds the tuple of every page's reference each time it is read, and a tagged PDF reads it once per
    structure element (each paragraph, cell and link names its page): quadratic in pages, 0.5 s of a 97-page pack's
    render and growing with the square of its size. Pages are only ever appended (``add_page``), so the number of
    entries in ``Kids`` tells whether the cached tuple is still whole."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_page_references_cache")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_page_references_cache"] = cached
    return cached[1]


class _Zlib:
    """What pydyf calls ``zlib``: the real module, with streams compressed at ``ZLIB_LEVEL`` whatever level pydyf
    asks for (it asks for 9)."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level=ZLIB_LEVEL, *args, **kwargs):
        return zlib.compressobj(ZLIB_LEVEL, *args, **kwargs)


def _join_drawn_page(paint):
    """Wrap ``Page.paint``: once a page is drawn, its content stream's operators become one bytes object."""
    import pydyf

    def paint_and_join(self, stream, scale=1):
        paint(self, stream, scale)
        stream.stream[:] = [b"\n".join(pydyf._to_bytes(item) for item in stream.stream)]

    paint_and_join.joins_drawn_page = True
    return paint_and_join


def install() -> None:
    """Apply the tuning above to WeasyPrint and pydyf in this process (idempotent)."""
    global _pydyf_page_references
    import pydyf
    from weasyprint.document import Page

    if getattr(pydyf.PDF.page_references, "fget", None) is not _cached_page_references:
        _pydyf_page_references = pydyf.PDF.page_references
        pydyf.PDF.page_references = property(_cached_page_references)
    pydyf.zlib = _Zlib
    if not getattr(Page.paint, "joins_drawn_page", False):
        Page.paint = _join_drawn_page(Page.paint)


def html_class():
    """``weasyprint.HTML`` with the user-agent stylesheet less its universal pseudo-element rules."""
    global _html_class
    if _html_class is None:
        import re

        import weasyprint
        from weasyprint import CSS
        from weasyprint import html as weasyprint_html
        from weasyprint.css.counters import CounterStyle

        names = "|".join(UNUSED_UA_PSEUDO_RULES)
        text = re.sub(rf"^::({names}) \{{[^}}]*\}}$", "", weasyprint_html.UA, flags=re.MULTILINE)
        text = re.sub(r"^::marker \{", "li::marker {", text, flags=re.MULTILINE)
        counters = CounterStyle()
        stylesheet = CSS(string=text, counter_style=counters)

        class PackHTML(weasyprint.HTML):
            def _ua_stylesheets(self, forms=False):
                return [stylesheet]

            def _ua_counter_style(self):
                return [counters.copy()]

        PackHTML.user_agent_css = text
        _html_class = PackHTML
    return _html_class


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the render, on again after it.

    A render allocates millions of boxes and styles that reference counting frees without it; the collector's full
    passes over that heap were a fifth of a 1,000-use-case pack's render (a quarter of a second render in the same
    process). One full collection at the end frees the render's cycles at once, so that a second render in the same
    process does not start on top of them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()  # the render's cycles now, not during the next render


def render_pdf(
    html: str, *, base_url: str, roots: list[Path], variant: str = PDF_VARIANT
) -> tuple[bytes, int]:
    """(PDF bytes, page count) for ``html``, in this process; resources only from files under ``roots``."""
    install()
    with cyclic_gc_paused():
        document = html_class()(string=html, base_url=base_url, url_fetcher=url_fetcher(roots)).render()
        pdf, pages = document.write_pdf(pdf_variant=variant), len(document.pages)
        del document  # its layout, before the collector runs again
    return pdf, pages


# The render process -------------------------------------------------------------------------------------------


class RenderProcess:
    """One render in a process of its own: ``python -m reporting.pdf_engine``, started at once (it imports
    WeasyPrint while the caller gathers the data), given the HTML by :meth:`render`, gone after it.

    Use it as a context manager: leaving the block kills the process if it is still running (the task failed, or
    was stopped at its time limit)."""

    def __init__(self, *, cwd: Path):
        self.process = subprocess.Popen(  # noqa: S603 - this interpreter, this module, no shell
            [sys.executable, "-m", "reporting.pdf_engine", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
        self.peak_kib: int | None = None  # the render process's peak resident memory, once it has rendered
        self.warnings = ""  # what WeasyPrint logged (a resource refused, a font missing)

    def render(
        self, html: str, *, base_url: str, roots: list[Path], variant: str = PDF_VARIANT
    ) -> tuple[bytes, int]:
        header = {"base_url": base_url, "roots": [str(root) for root in roots], "variant": variant}
        request = json.dumps(header).encode() + b"\n" + html.encode()
        out, err = self.process.communicate(request)
        if self.process.returncode != 0 or b"\n" not in out:
            reason = err.decode(errors="replace").strip().splitlines()[-1:] or [
                f"exit {self.process.returncode}"
            ]
            if self.process.returncode and self.process.returncode < 0:
                reason = [f"killed by signal {-self.process.returncode}"]
            raise RenderFailed(f"the render process ended without a PDF: {reason[0][:300]}")
        line, pdf = out.split(b"\n", 1)
        result = json.loads(line)
        if len(pdf) != result["bytes"]:
            raise RenderFailed("the render process's PDF was cut short")
        self.peak_kib = result["peak_kib"]
        self.warnings = err.decode(errors="replace")
        return pdf, result["pages"]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()

    def __enter__(self) -> "RenderProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when the worker that started it dies (a hard time limit, an OOM kill)."""
    # Not Linux: no such call, and the closed pipe ends the render when it writes its PDF.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request above
        os._exit(1)


def main(argv: list[str]) -> int:
    """The render process: a JSON header line and the HTML on stdin; a JSON result line and the PDF on stdout."""
    import logging

    if argv:
        _die_with_parent(int(argv[0]))
    logging.basicConfig(level=logging.WARNING, format="%(name)s %(levelname)s %(message)s")
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    install()
    html_class()  # the stylesheet is parsed while the worker gathers
    request = sys.stdin.buffer.read()
    line, html = request.split(b"\n", 1)
    header = json.loads(line)
    pdf, pages = render_pdf(
        html.decode(),
        base_url=header["base_url"],
        roots=[Path(root) for root in header["roots"]],
        variant=header["variant"],
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.buffer.write(
        json.dumps({"pages": pages, "bytes": len(pdf), "peak_kib": peak}).encode() + b"\n"
    )
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
