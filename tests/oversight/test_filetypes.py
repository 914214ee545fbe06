"""Evidence files are known by their content: each accepted kind, and what is refused whatever its name. Pure."""

import io
import zipfile

import pytest

from oversight import filetypes
from oversight.filetypes import Refused, sniff


def zipped(names: dict[str, bytes], *, first: str | None = None) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first, names.pop(first))
        for name, data in names.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def docx(**extra: bytes) -> io.BytesIO:
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", **extra})


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", filetypes.PDF),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", filetypes.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", filetypes.JPEG),
        (b"GIF89a\x01\x00\x01\x00", filetypes.GIF),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", filetypes.WEBP),
    ],
)
def test_pdf_and_images_are_known_by_their_first_bytes(content, kind):
    assert sniff(io.BytesIO(content)) is kind


def test_office_documents_are_known_by_their_parts():
    assert sniff(docx()) is filetypes.DOCX
    assert sniff(zipped({"[Content_Types].xml": b"", "xl/workbook.xml": b""})) is filetypes.XLSX
    assert sniff(zipped({"[Content_Types].xml": b"", "ppt/presentation.xml": b""})) is filetypes.PPTX
    odt = zipped(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""}, first="mimetype"
    )
    assert sniff(odt) is filetypes.ODT


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"<html><script>alert(1)</script></html>", "not accepted"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "not accepted"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "not accepted"),  # a Windows executable named report.pdf
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, "Older Office files"),
        (b"PK\x03\x04" + b"\x00" * 30, "damaged"),
        (b"Just some text that says it is a PDF", "not accepted"),
    ],
)
def test_anything_else_is_refused_whatever_it_is_called(content, words):
    with pytest.raises(Refused) as refused:
        sniff(io.BytesIO(content))
    assert words in str(refused.value)


def test_macro_enabled_and_plain_archives_are_refused():
    with pytest.raises(Refused, match="macros"):
        sniff(docx(**{"word/vbaProject.bin": b"\x00"}))
    with pytest.raises(Refused, match="macros"):
        sniff(
            zipped(
                {"mimetype": b"application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml": b""},
                first="mimetype",
            )
        )
    with pytest.raises(Refused, match="ZIP archive"):
        sniff(zipped({"notes.txt": b"hello"}))


def test_the_stream_is_read_from_its_start_whatever_was_read_before():
    stream = io.BytesIO(b"%PDF-1.4 rest")
    stream.read(5)
    assert sniff(stream) is filetypes.PDF
    assert stream.tell() == 0
