"""The layout check itself finds what it is there to find (tests/browser/layout.py)."""

from __future__ import annotations

import pytest

from tests.browser.layout import assert_nothing_crosses_the_viewport

pytestmark = pytest.mark.browser
WORD = "Neconformitățile"


@pytest.mark.parametrize(
    "body",
    [
        f'<p style="width: 60px">{WORD}</p>',
        f'<div style="width: 60px; overflow: hidden"><span>{WORD}</span></div>',
        '<div style="margin-left: 300px; width: 200px">x</div>',
    ],
    ids=["word-out-of-its-box", "word-cut-off", "box-past-the-edge"],
)
def test_what_runs_past_the_edge_or_out_of_its_box_is_found(browser, body) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 667})
    page.set_content(f"<body style='margin: 0'>{body}</body>")
    with pytest.raises(AssertionError, match="past the edge or spilling out"):
        assert_nothing_crosses_the_viewport(page)
    page.set_content(
        "<body><p>Continuă</p><span style='position: absolute; width: 1px;"
        f" height: 1px; overflow: hidden'>{WORD}</span></body>"
    )
    assert_nothing_crosses_the_viewport(page)
    page.close()
