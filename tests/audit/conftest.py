"""The browser harness's fixtures (system Chromium, the demo organisation, sign-in, screenshots) for the audit page's
browser test."""

from tests.browser.conftest import (  # noqa: F401
    browser_type_launch_args,
    demo_people,
    new_context,
    sign_in,
    snap,
)
