"""Where things sit on a phone-sized page: nothing reaches past the screen's edge, in either
direction, or spills out of its own box.

no_sideways_scroll (tests/helpers/browser.py) sees only a page that scrolls; a right-to-left page
that overflows does so to the left, which `scrollWidth` does not always count, and a long word in
another language can run out of a button, or past the edge of a box that hides overflow: each
element's box is checked against the viewport instead.
"""

from __future__ import annotations

from playwright.sync_api import Page

# The page is no wider than the screen (scrollWidth <= clientWidth), no element shown crosses
# its edge, and no line of text runs out of the nearest box that holds it (not an inline one).
# Visually hidden elements (1px, clipped) are skipped. A box's own scrollWidth is not used:
# GOV.UK's grid rows and buttons' click areas overhang their boxes on purpose.
CROSSING = """() => {
  const page = document.documentElement
  const width = page.clientWidth
  const found = []
  if (page.scrollWidth > width) found.push(`the page is ${page.scrollWidth}px wide`)
  const shown = box => box.width > 1 && box.height > 1
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect()
    if (!shown(box) || getComputedStyle(element).visibility === 'hidden') continue
    if (box.left < -0.5 || box.right > width + 0.5) {
      found.push(`${element.tagName} at ${Math.round(box.left)}-${Math.round(box.right)}px`)
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  while (walker.nextNode()) {
    const text = walker.currentNode
    let box = text.parentElement
    while (getComputedStyle(box).display === 'inline' && box.parentElement) box = box.parentElement
    const holder = box.getBoundingClientRect()
    if (!text.textContent.trim() || !shown(holder)) continue
    const range = document.createRange()
    range.selectNodeContents(text)
    for (const line of range.getClientRects()) {
      if (line.left < holder.left - 1 || line.right > holder.right + 1) {
        found.push(`"${text.textContent.trim().slice(0, 30)}" runs out of its ${box.tagName}`)
        break
      }
    }
  }
  return found
}"""


def assert_nothing_crosses_the_viewport(page: Page) -> None:
    crossing = page.evaluate(CROSSING)
    assert crossing == [], f"{page.url}: past the edge or spilling out: {crossing}"


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
