"""E-mail written from templates: each message is a pair `<prefix>_subject.txt` and `<prefix>_body.txt`.

The templates live under templates/emails/<app>/. They are plain text, so each one turns autoescaping off (a title
with "&" in it must read "&", not "&amp;"). Who receives a message, and what it says, is decided by the app's
notifications module; this module only renders and sends.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def render_templated_mail(template_prefix: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """The subject and body the templates render to. Every template also sees `site_url`, for links."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"{template_prefix}_subject.txt", context)
    body = render_to_string(f"{template_prefix}_body.txt", context)
    # A header is one line (a line break in it is refused by the mail library); the final line break a text editor
    # leaves at the end of a template is no part of the message.
    return " ".join(subject.splitlines()).strip(), body.rstrip()


def send_templated_mail(template_prefix: str, context: Mapping[str, Any], recipients: Iterable[str]) -> int:
    """Send one message addressed to all `recipients` together; returns how many it went to."""
    recipient_list = list(recipients)
    if not recipient_list:
        return 0
    subject, body = render_templated_mail(template_prefix, context)
    send_mail(
        subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipient_list
    )
    return len(recipient_list)
