"""Shared steps of the issuance tests: the quarters, the statement, a signature as the signer would give it, and the
text of a PDF."""

from io import BytesIO

from django.utils import timezone

from config.quarters import Quarter
from reporting import services

CURRENT = str(Quarter.containing(timezone.localdate()))
PREVIOUS = str(Quarter.containing(timezone.localdate()).previous())
STATEMENT = "AI adoption is on plan; two high-risk pilots await controls before production."


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def sign(run, pack, person, role):
    pack.refresh_from_db()
    return run(services.board_pack_sign, actor=person, pack=pack, role=role, seen_hash=pack.content_hash)
