"""What an uploaded evidence file really is, read from its content, never from its name or the browser's claim. Pure.

Accepted: PDF, PNG, JPEG, GIF and WebP images, and Office Open XML and OpenDocument files (Word, Excel, PowerPoint;
Writer, Calc, Impress). Refused: anything else, including the legacy binary Office formats, macro-enabled documents
(a VBA project inside), SVG and HTML (script in a file a browser might render), and archives or executables named
like documents. An Office file is a ZIP: only its directory of names is read, nothing is decompressed.
"""

import zipfile
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileKind:
    name: str  # shown to people
    content_type: str
    extension: str


PDF = FileKind("PDF document", "application/pdf", "pdf")
PNG = FileKind("PNG image", "image/png", "png")
JPEG = FileKind("JPEG image", "image/jpeg", "jpg")
GIF = FileKind("GIF image", "image/gif", "gif")
WEBP = FileKind("WebP image", "image/webp", "webp")
DOCX = FileKind(
    "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
)
XLSX = FileKind("Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = FileKind(
    "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
)
ODT = FileKind("OpenDocument text", "application/vnd.oasis.opendocument.text", "odt")
ODS = FileKind("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", "ods")
ODP = FileKind("OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", "odp")

ACCEPTED = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP)
ACCEPTED_WORDS = (
    "PDF, PNG, JPEG, GIF or WebP images, Word, Excel or PowerPoint (.docx, .xlsx, .pptx), OpenDocument"
)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt, and password-protected Office files
OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ODF_TYPES = {kind.content_type: kind for kind in (ODT, ODS, ODP)}
MAX_ZIP_ENTRIES = 10_000


class Refused(ValueError):
    """Why the file is not accepted, in words for the person who sent it."""


def _zip_kind(stream: IO[bytes]) -> FileKind:
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise Refused("The file holds too many parts to be an office document.")
            names = [info.filename for info in infos]
            if "mimetype" in names and infos[0].filename == "mimetype":
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in ODF_TYPES:
                    if any(name.lower().startswith("basic/") for name in names):
                        raise Refused("Documents with macros are not accepted: save it without them.")
                    return ODF_TYPES[declared]
            if "[Content_Types].xml" in names:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    raise Refused(
                        "Documents with macros are not accepted: save it without them (.docx, .xlsx)."
                    )
                for prefix, kind in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except zipfile.BadZipFile as exc:
        raise Refused("The file is damaged or is not what it claims to be.") from exc
    raise Refused(f"A ZIP archive is not accepted as evidence; send {ACCEPTED_WORDS}.")


def sniff(stream: IO[bytes]) -> FileKind:
    """The kind of file ``stream`` holds (a seekable binary stream, read from its start), or Refused."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if not head:
        raise Refused("The file is empty.")
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(stream)
    if head.startswith(OLE2):
        raise Refused(
            "Older Office files (.doc, .xls, .ppt) and password-protected ones are not accepted: save it as .docx, "
            ".xlsx, .pptx or PDF."
        )
    raise Refused(f"This kind of file is not accepted as evidence; send {ACCEPTED_WORDS}.")
