"""An admin answers a subject access request: searches by name, opens the record, ticks the
person's other record and downloads one file. The search results and the review page with its
checkboxes (states the every-page scan cannot reach) pass axe-core at 320px."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from portal.models import Role
from tests.factories import add_contactable_member, add_form_response, make_conference, make_staff
from tests.helpers.browser import assert_accessible, no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser


def test_admin_downloads_one_file_for_two_records_of_one_person(
    app, live_server, browser, tmp_path
) -> None:
    admin = make_staff(Role.ADMIN)
    first, second = make_conference(), make_conference()
    jo = add_contactable_member(first, first_name="Joanna", last_name="Quillfeather")
    again = add_contactable_member(second, first_name="Joanna", last_name="Quillfeather")
    add_form_response(first, jo, {"worries": {"text": "First worry ZQX-1"}})
    add_form_response(second, again, {"worries": {"text": "Second worry ZQX-2"}})

    context = browser.new_context(viewport={"width": 320, "height": 640}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server, admin.email)
    page.get_by_role("link", name="Subject access").click()
    page.get_by_label("Name").fill("quillfeather")
    page.get_by_role("button", name="Search").click()
    assert page.url == f"{live_server}/admin/subject-access/"  # nothing typed is in the URL
    scanned: list[str] = []
    assert_accessible(page, scanned)
    no_sideways_scroll(page)

    page.get_by_role("link", name="Joanna Quillfeather").first.click()
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    page.get_by_label(f"Record {again.id}: Joanna Quillfeather").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the export").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"subject-access-{jo.id}-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    context.close()

    text = " ".join(BeautifulSoup(saved.read_text(encoding="utf-8"), "html.parser").text.split())
    assert "First worry ZQX-1" in text
    assert "Second worry ZQX-2" in text
