"""Evidence files handed to the person who asked, by a page or the API alike."""

from typing import Any

from django.http import FileResponse, Http404

from oversight import services


def evidence_file_response(actor: Any, item: Any) -> FileResponse:
    """The file through the application, never a storage URL: attachment only, its checked type, no sniffing."""
    if not item.file:
        raise Http404("This evidence has no file.")
    services.evidence_downloaded(actor=actor, item=item)
    response = FileResponse(
        item.file.open("rb"), content_type=item.content_type, as_attachment=True, filename=item.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-SHA256"] = item.sha256
    return response
