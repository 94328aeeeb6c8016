"""Where things sit on a page: nothing crosses the edge of a narrow screen, in either direction.

A right-to-left page that overflows does so to the left, which `scrollWidth` does not always
count: each element's box is checked against the viewport instead.
"""

from __future__ import annotations

from playwright.sync_api import Page

# Every element drawn on the page (not hidden, not GOV.UK's 1px visually hidden text) whose
# box starts left of the screen or ends right of it.
_CROSSING = """() => {
  const width = document.documentElement.clientWidth
  const crossing = []
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect()
    if (box.width <= 1 || box.height <= 1) continue
    if (getComputedStyle(element).visibility === 'hidden') continue
    if (box.left < -0.5 || box.right > width + 0.5) {
      const where = `${Math.round(box.left)}..${Math.round(box.right)}`
      crossing.push(`${element.outerHTML.slice(0, 80)} ${where}`)
    }
  }
  return crossing
}"""


def nothing_crosses_the_screen(page: Page) -> None:
    crossing = page.evaluate(_CROSSING)
    assert crossing == [], f"{page.url}: past the edge of a {page.viewport_size} screen: {crossing}"


def box(page: Page, selector: str) -> dict[str, float]:
    """The first match's box: left, right, top, bottom, in CSS pixels."""
    return page.locator(selector).first.evaluate(
        "e => { const b = e.getBoundingClientRect();"
        " return {left: b.left, right: b.right, top: b.top, bottom: b.bottom} }"
    )


def drawn_ring_left(page: Page, item_selector: str) -> float:
    """Where a radio's drawn ring (its label's ::before, placed in the item) starts on screen."""
    return page.locator(item_selector).first.evaluate(
        "item => item.getBoundingClientRect().left + parseFloat("
        "getComputedStyle(item.querySelector('label'), '::before').left)"
    )
