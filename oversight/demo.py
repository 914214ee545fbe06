"""The demo's part of live oversight: the providers the demo's requests name, listed in the AI inventory (the requests
proposed them when they were submitted). Idempotent; no terms are recorded, so nothing is sent to re-review."""

from django.contrib.auth import get_user_model

from oversight import inventory
from oversight.models import AiProvider


def seed_inventory() -> list[AiProvider]:
    cio = get_user_model().objects.get(username="cio")
    for provider in AiProvider.objects.filter(status=AiProvider.Status.PROPOSED):
        inventory.provider_list(actor=cio, name=provider.name, hosting_regions=["eu"])
    return list(AiProvider.objects.all())
