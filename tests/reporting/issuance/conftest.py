"""The issuance tests' fixtures: a stand-in renderer, services run with their after-commit work, and a draft both
executives may sign."""

import pytest

from reporting import services
from reporting.models import BoardPack
from tests.reporting.issuance.steps import PREVIOUS, STATEMENT


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def quick_render(request, monkeypatch):
    """A stand-in PDF for the tests about issuance rules; the tests marked real_pdf render with WeasyPrint."""
    if "real_pdf" in request.fixturenames:
        return
    from reporting import rendering

    def render(context, **_):
        marker = b"issued" if context["issue"]["issued"] else b"draft"
        return b"%PDF-1.7 " + marker + context["content_hash"].encode(), 2, ""

    monkeypatch.setattr(rendering, "render_pack", render)


@pytest.fixture
def real_pdf():
    """Asked for by the tests that read the PDF WeasyPrint renders."""


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service and what it hands the worker after commit (the render, the issued copy, the e-mails)."""

    def _run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = function(**kwargs)
        return result

    return _run


@pytest.fixture
def draft(run, secretary, cio):
    """The secretary's draft, then the CIO's statement: the version both may sign (the second one)."""
    run(services.board_pack_request, actor=secretary, quarter=PREVIOUS)
    run(services.statement_save, actor=cio, quarter=PREVIOUS, text=STATEMENT)
    pack = BoardPack.objects.get(quarter=PREVIOUS, version=2)
    assert pack.status == BoardPack.Status.READY, pack.error
    return pack
