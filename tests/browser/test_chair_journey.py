"""The chair opens the pre-conference pack, marks an item read, and prints it: an A4 PDF from
Chromium's own print, each person starting a new page, the case reference on every page.

Every page is scanned by axe-core (WCAG 2.2 A and AA); the PDF and screenshots go to
test-artifacts/.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from portal.extensions import db
from portal.models import ContactLogEntry, Relationship, Role, SharingLevel
from tests.factories import (
    PASSWORD,
    add_advocate_record,
    add_attachment,
    add_child,
    add_contactable_member,
    add_family_member,
    add_form_response,
    make_conference,
    make_staff,
    refer,
)
from tests.helpers.answers import VIEWS_ANSWERS
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _born_years_ago(years: int) -> date:
    today = date.today()
    return date(today.year - years, today.month, 1) - timedelta(days=60)


def _conference_with_everyone():
    chair = make_staff(Role.CHAIR, full_name="Chidi Okafor")
    advocate = make_staff(Role.ADVOCATE, full_name="Ava Advocate")
    conference = make_conference(chair, case_reference="CP-PACK-0001")
    maya = add_child(
        conference, first_name="Maya", last_name="Lockwood", date_of_birth=_born_years_ago(12)
    )
    leo = add_child(
        conference, first_name="Leo", last_name="Lockwood", date_of_birth=_born_years_ago(6)
    )
    mother = add_contactable_member(conference, first_name="Sarah", last_name="Lockwood")
    add_family_member(
        conference, first_name="Daniel", last_name="Marsden", relationship=Relationship.FATHER
    )
    add_form_response(conference, mother, VIEWS_ANSWERS)  # as sent through her link
    referral = refer(conference, maya, advocate)
    db.session.add(
        ContactLogEntry(
            referral_id=referral.id, contact_on=date.today(), seen=True, place="At school"
        )
    )
    record = add_advocate_record(
        referral,
        conference_should_know="I look after Leo a lot.",
        scale=6,
        scale_reason="Better than before",
        sharing={"good_things": "family", "worries": "conference", "wishes": "family"},
    )
    add_attachment(referral, sharing=SharingLevel.CONFERENCE)
    db.session.commit()
    people = [maya.full_name, leo.full_name, mother.full_name, "Daniel Marsden"]
    return chair, conference, record, people


def test_the_chair_reads_marks_and_prints_the_pack(live_server, browser) -> None:
    chair, conference, record, people = _conference_with_everyone()
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    scanned: list[str] = []

    page.goto(f"{live_server}/login")
    page.get_by_label("Email address").fill(chair.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/conferences/{conference.id}")
    page.get_by_role("link", name="Pre-conference pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(conference.case_reference)
    for name in people:
        expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
    expect(page.locator(".heard-pack__missing")).to_contain_text(
        "Daniel Marsden (father): not asked yet"
    )
    expect(page.get_by_role("img", name="A drawing of my house")).to_be_visible()
    # The drawing really loads: the chair may see it.
    assert page.evaluate("document.querySelector('.heard-pack__image').naturalWidth") > 0
    expect(page.get_by_role("button", name="Print this pack")).to_be_visible()
    assert_accessible(page, scanned)
    page.screenshot(path=str(ARTIFACTS / "chair-pack-1280.png"), full_page=True)

    page.set_viewport_size({"width": 320, "height": 800})
    no_sideways_scroll(page)
    assert_accessible(page, scanned)
    page.screenshot(path=str(ARTIFACTS / "chair-pack-320.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    card = page.locator(f"#advocate-record-{record.id}")
    card.get_by_role("button", name="Mark as read").click()
    expect(card).to_contain_text(f"Read on {date.today():%-d %B %Y}")
    assert page.url.endswith(f"#advocate-record-{record.id}-read")  # its banner
    expect(card.get_by_role("button", name="Mark as read")).to_have_count(0)
    # Said in a success banner by the item (issue 22): an alert, focused so it is read out,
    # and in view, so the chair is still where they were.
    alert = card.get_by_role("alert")
    expect(alert).to_have_accessible_name("Success")
    expect(alert).to_contain_text("You marked")
    expect(alert).to_be_focused()
    expect(alert).to_be_in_viewport()
    assert_accessible(page, scanned)

    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "chair-pack-print.png"), full_page=True)
    pdf_path = ARTIFACTS / "chair-pack.pdf"
    page.pdf(path=str(pdf_path), format="A4", print_background=True)
    context.close()

    pages = PdfReader(pdf_path).pages
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert abs(width - 595.3) < 2  # A4: 210 by 297 mm in points
    assert abs(height - 841.9) < 2
    texts = [p.extract_text() for p in pages]
    assert len(texts) >= len(people) + 1  # the summary, then each person on their own page
    running_header = f"{conference.case_reference} · Conference"
    for number, text in enumerate(texts, start=1):
        assert running_header in text, f"page {number} has no running header"
        assert "OFFICIAL-SENSITIVE" in text, f"page {number}"
    first_lines = [_first_line(text, running_header) for text in texts]
    for name in people:
        assert name in first_lines, f"{name} does not start a page: {first_lines}"
    assert "Mark as read" not in " ".join(texts)
    assert "Sign out" not in " ".join(texts)


def _first_line(text: str, running_header: str) -> str:
    """A page's first line of its own, the running header left out (it is painted last)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return next((line for line in lines if running_header not in line), "")
