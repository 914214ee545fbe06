"""The demo lists the providers its requests name in the AI inventory, once, and sends nothing to re-review."""

import pytest
from django.core.management import call_command

from intake.models import UseCase
from intake.workflow import Status
from oversight.models import AiProvider

pytestmark = pytest.mark.django_db


def test_the_demo_lists_the_providers_its_requests_name():
    call_command("seed_demo", "--password", "demo-password-123")
    named = {
        (u.answers or {}).get("provider", "").casefold()
        for u in UseCase.objects.exclude(status__in=[Status.DRAFT])
        if (u.answers or {}).get("provider")
    }
    listed = set(AiProvider.objects.values_list("name", flat=True))
    assert named and named == {name.casefold() for name in listed}
    assert not AiProvider.objects.filter(status=AiProvider.Status.PROPOSED).exists()
    re_review = UseCase.objects.filter(status=Status.RE_REVIEW_DUE).count()
    call_command("seed_demo", "--password", "demo-password-123")
    assert AiProvider.objects.count() == len(listed)
    assert UseCase.objects.filter(status=Status.RE_REVIEW_DUE).count() == re_review
