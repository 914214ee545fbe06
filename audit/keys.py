"""The chain keys, read from settings when they are needed (never at import time, never from the database)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from audit.chain import ChainKeys


def chain_keys() -> ChainKeys:
    current = settings.AUDIT_CHAIN_KEY
    if not current:
        raise ImproperlyConfigured("Set AUDIT_CHAIN_KEY: the audit chain is keyed.")
    return ChainKeys(current=current, fallbacks=tuple(k for k in settings.AUDIT_CHAIN_KEY_FALLBACKS if k))
