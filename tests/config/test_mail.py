"""E-mail from templates: a one-line subject, the body as written, plain text never escaped, one message to all."""

from pathlib import Path

import pytest
from django.core import mail

from config.mail import render_templated_mail, send_templated_mail

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"

LETTER = {
    "letter_subject.txt": "{% autoescape off %}Hello {{ name }}\n  and welcome{% endautoescape %}\n",
    "letter_body.txt": "{% autoescape off %}Dear {{ name }},\n\nSee {{ site_url }}/here/{% endautoescape %}\n\n",
}


@pytest.fixture
def letter_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", LETTER)]},
        }
    ]
    settings.SITE_URL = "https://governance.example"
    settings.DEFAULT_FROM_EMAIL = "Governance <no-reply@governance.example>"


def test_the_subject_is_one_line_and_the_body_loses_only_the_template_files_final_line_breaks(
    letter_templates,
):
    subject, body = render_templated_mail("letter", {"name": "R&D <lab>"})
    assert subject == "Hello R&D <lab>   and welcome"
    assert body == "Dear R&D <lab>,\n\nSee https://governance.example/here/"


def test_the_context_may_name_its_own_site_url(letter_templates):
    assert render_templated_mail("letter", {"name": "x", "site_url": "http://other"})[1].endswith(
        "http://other/here/"
    )


def test_one_message_goes_to_all_recipients_from_the_products_address(letter_templates):
    assert send_templated_mail("letter", {"name": "Ana"}, iter(["a@example.com", "b@example.com"])) == 2
    (message,) = mail.outbox
    assert message.to == ["a@example.com", "b@example.com"]
    assert message.from_email == "Governance <no-reply@governance.example>"
    assert message.subject == "Hello Ana   and welcome"


def test_nothing_is_rendered_or_sent_without_recipients(settings):
    settings.TEMPLATES = [
        {"BACKEND": "django.template.backends.django.DjangoTemplates"}
    ]  # no template exists
    assert send_templated_mail("letter", {}, []) == 0
    assert mail.outbox == []


def email_templates() -> list[Path]:
    return sorted(EMAILS.rglob("*.txt"))


def test_every_email_is_a_subject_and_a_body():
    names = {path.relative_to(EMAILS).as_posix() for path in email_templates()}
    prefixes = {name.rsplit("_", 1)[0] for name in names}
    assert names == {f"{p}_{part}.txt" for p in prefixes for part in ("subject", "body")}
    assert len(prefixes) >= 12


@pytest.mark.parametrize("path", email_templates(), ids=lambda p: p.relative_to(EMAILS).as_posix())
def test_every_email_template_is_plain_text_that_is_never_escaped(path):
    """A title holding "&" must read "&" in an e-mail, not "&amp;"."""
    text = path.read_text()
    assert text.startswith("{% autoescape off %}") and text.rstrip().endswith("{% endautoescape %}")
