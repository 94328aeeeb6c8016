"""What every browser test checks on a page, and signing in through the real form.

Each page is scanned by axe-core for WCAG 2.2 A and AA, and must not scroll sideways.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.factories import PASSWORD

WCAG_22_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
axe = Axe()


def assert_accessible(page: Page, scanned: list[str]) -> None:
    results = axe.run(page, options=WCAG_22_AA)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    scanned.append(page.url)


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


# Every id named by aria-describedby, and whether it is missing or has no text.
DESCRIBED_BY_GAPS = """() => {
  const gaps = []
  for (const element of document.querySelectorAll('[aria-describedby]')) {
    for (const id of element.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)) {
      const target = document.getElementById(id)
      const what = `${location.pathname} ${element.name || element.id || element.tagName}`
      if (!target) gaps.push(`${what} -> #${id} is missing`)
      else if (!target.textContent.trim()) gaps.push(`${what} -> #${id} is empty`)
    }
  }
  return gaps
}"""
