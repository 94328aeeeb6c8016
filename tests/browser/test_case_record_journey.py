"""A coordinator sees on their worklist a conference whose words go soon, opens the list and
downloads its record for the case file (issue 14, part 8). The list and the file pass axe-core
at 320px; the file also at A4 width, as it prints."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from portal.extensions import db
from portal.models import ConferenceStatus, Relationship, Role
from portal.models.base import SERVICE_TIMEZONE
from tests.factories import (
    add_advocate_record,
    add_child,
    add_contactable_member,
    add_form_response,
    make_conference,
    make_staff,
    refer,
)
from tests.helpers.browser import assert_accessible, no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser


def test_coordinator_downloads_a_record_before_its_words_go(app, live_server, browser, tmp_path):
    coordinator = make_staff(Role.COORDINATOR)
    conference = make_conference(make_staff(Role.CHAIR))
    child = add_child(conference, first_name="Robin", last_name="Quillon")
    add_advocate_record(
        refer(conference, child),
        good_things="Climbing trees ZQB-1",
        sharing={"good_things": "conference"},
    )
    mother = add_contactable_member(conference, first_name="Jo", last_name="Quillon")
    add_form_response(conference, mother, {"worries": {"text": "The school run ZQB-2"}})
    add_contactable_member(conference, first_name="Alex", relationship=Relationship.FATHER)
    # Held long enough ago that retention removes its words in 5 days
    held_on = datetime.now(SERVICE_TIMEZONE).date() - timedelta(
        days=app.config["RETENTION_DAYS"] - 4
    )
    conference.starts_at = datetime.combine(held_on, time(10), tzinfo=SERVICE_TIMEZONE)
    conference.status, conference.held_on, conference.quorate = ConferenceStatus.HELD, held_on, True
    conference.recorded_at = datetime.now(SERVICE_TIMEZONE)
    db.session.commit()

    context = browser.new_context(viewport={"width": 320, "height": 640}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server, coordinator.email)
    page.goto(f"{live_server}/worklist")
    page.get_by_role("link", name="1 Records to download before their words are removed").click()
    scanned: list[str] = []
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the record").click()
    download = download_info.value
    assert download.suggested_filename == f"conference-{conference.id}-{held_on}-record.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    page.goto(f"{live_server}/worklist/records-to-download")
    assert "None: every record due to lose its words soon has been downloaded." in page.inner_text(
        "main"
    )

    # The file on its own, as the case system will show it: no server, nothing fetched
    page.goto(saved.as_uri())
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Conference record for the case file"
    )
    assert "ZQB-1" in page.inner_text("main")
    assert "ZQB-2" in page.inner_text("main")
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    assert_accessible(page, scanned)
    context.close()
