"""The Three Houses' drawing pad (issue 20): its code is small, and only the drawing pages load
it (the question page includes it only for a house: tests/integration/family_forms/
test_drawings.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAD = ROOT / "static" / "js" / "draw.mjs"


def test_the_pads_code_is_at_most_10_kb_compressed() -> None:
    assert len(gzip.compress(PAD.read_bytes(), compresslevel=9)) <= 10_000


def test_only_the_question_page_names_the_pad() -> None:
    naming = sorted(
        str(path.relative_to(ROOT / "templates"))
        for path in (ROOT / "templates").rglob("*.html")
        if "draw.mjs" in path.read_text()
    )
    # _drawing.html names it in its comment only
    assert naming == ["family_forms/_drawing.html", "family_forms/question.html"]
