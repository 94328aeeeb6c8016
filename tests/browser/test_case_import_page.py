"""The upcoming conferences' upload page in a browser: a file with problems lists them by line,
a good one shows what changed and who is missing; axe-core (WCAG 2.2 A and AA) finds nothing, at
phone width, and the long header never makes the page scroll sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.models import Role
from tests.factories import make_staff
from tests.helpers.browser import assert_accessible, no_sideways_scroll, sign_in
from tests.integration.case_import.test_import_conferences import csv_bytes, rows

pytestmark = pytest.mark.browser


def test_a_coordinator_uploads_a_file(live_server, browser, tmp_path) -> None:
    make_staff(Role.CHAIR, email="chair@council.example")
    coordinator = make_staff(Role.COORDINATOR)
    bad, good, later = tmp_path / "bad.csv", tmp_path / "good.csv", tmp_path / "later.csv"
    bad.write_bytes(csv_bytes(rows()[3].replace(",Piotr,", ",,")))
    good.write_bytes(csv_bytes(*rows()))
    later.write_bytes(csv_bytes(*rows()[:3]))
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, coordinator.email)
    scanned: list[str] = []

    page.goto(f"{live_server}/conferences/")
    page.get_by_role("button", name="Import upcoming conferences").click()
    assert_accessible(page, scanned)
    no_sideways_scroll(page)

    page.get_by_label("Upload the file from the case system").set_input_files(str(bad))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Problems in the file")).to_be_visible()
    expect(page.get_by_text("line 2, column first_name: enter the first name")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page, scanned)
    no_sideways_scroll(page)

    page.get_by_label("Upload the file from the case system").set_input_files(str(good))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="File imported")).to_be_visible()

    page.get_by_label("Upload the file from the case system").set_input_files(str(later))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="In the portal but not in this file")).to_be_visible()
    expect(page.get_by_role("cell", name="Piotr Nowak (adult)")).to_be_visible()
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    context.close()
