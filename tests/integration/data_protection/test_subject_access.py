"""Subject access requests: an admin finds a family member and downloads everything held about
them as one readable HTML file, with nothing of anyone else in it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.family_forms.on_behalf import enter
from portal.family_forms.services import add_more
from portal.invitations.services import send_check_code
from portal.link_tokens import code_for, token_for
from portal.models import (
    AlertSource,
    AuditAction,
    AuditEvent,
    Channel,
    Drawing,
    EntryRoute,
    FormKind,
    FormResponse,
    Invitation,
    Relationship,
    Role,
    SafetyAlert,
    SecondCheck,
)
from portal.safety.raising import raise_alert
from portal.safety.services import acknowledge, close
from portal.subject_access.finding import SearchTerms, find_family_members
from portal.subject_access.gathering import collect_export
from portal.subject_access.services import export_html
from tests.factories import (
    add_advocate_record,
    add_child,
    add_contactable_member,
    add_family_member,
    add_form_response,
    make_conference,
    make_staff,
    refer,
)
from tests.pages import PageClient

JO_WORRY = "Jo worries about the bus to school ZQX-JO-1"
JO_DETAIL = "Jo knows the reason ZQX-JO-2"
JO_ADDED = "Jo adds something more ZQX-JO-3"
PARTNER_WORRY = "The partner worries about money ZQX-PARTNER"
OTHER_FAMILY_WORRY = "Another family's worry ZQX-OTHER"
ADVOCATE_GOOD_THINGS = "Climbing trees ZQX-CHILD"
MARKUP = '<script>alert("x")</script><img src="https://example.com/x.png"> ZQX-MARKUP'


@pytest.fixture
def family() -> dict[str, object]:
    """Jo and a partner on one conference, each with answers; another family on another."""
    conference = make_conference()
    jo = add_contactable_member(
        conference,
        first_name="Joanna",
        last_name="Quillfeather",
        email="joanna@example.com",
        mobile="+447700900111",
        access_needs="Large print, please",
        second_check=SecondCheck.CODE,
    )
    partner = add_contactable_member(
        conference,
        first_name="Alex",
        last_name="Brightwater",
        relationship=Relationship.FATHER,
        mobile="+447700900222",
    )
    response = add_form_response(
        conference,
        jo,
        {
            "worries": {"text": JO_WORRY},
            "why_meeting": {"choice": "yes", "text": JO_DETAIL},
            "danger_now": {"choice": "no"},
            "going_well": {"text": MARKUP},
        },
    )
    add_more(response, JO_ADDED)
    add_form_response(conference, partner, {"worries": {"text": PARTNER_WORRY}})
    child = add_child(conference, first_name="Robin", last_name="Quillfeather")
    add_advocate_record(refer(conference, child), good_things=ADVOCATE_GOOD_THINGS)

    elsewhere = make_conference()
    stranger = add_contactable_member(elsewhere, first_name="Chris", last_name="Otherfamily")
    add_form_response(elsewhere, stranger, {"worries": {"text": OTHER_FAMILY_WORRY}})

    invitation = db.session.scalar(select(Invitation).where(Invitation.family_member_id == jo.id))
    send_check_code(invitation, datetime.now(UTC))
    return {"conference": conference, "jo": jo, "partner": partner, "invitation": invitation}


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _text(html: str) -> str:
    return " ".join(_soup(html).get_text(" ").split())


def test_the_export_holds_the_persons_own_answers_messages_and_conferences(app: Flask, family):
    jo = family["jo"]
    export = collect_export([jo])
    (record,) = export.records
    assert record.full_name == "Joanna Quillfeather"
    assert record.access_needs == "Large print, please"
    assert record.contact_confirmed_safe_at is not None
    assert len(record.conferences) == 1
    assert record.conferences[0].conference_type == "Review"
    sent = sorted((message.kind, message.to_address) for message in record.messages)
    assert sent == [("Check code", "joanna@example.com"), ("Views invitation", "07700 900111")]
    (form,) = record.forms
    answers = {answer.question: answer.answer for answer in form.answers}
    assert answers["What worries you?"] == [JO_WORRY]
    assert answers["Do you know why the meeting is happening?"] == ["Yes", JO_DETAIL]
    assert [addition.text for addition in form.additions] == [JO_ADDED]
    assert form.submitted_at is not None
    # Her link was made: the history says so, by role
    assert any(entry.what == "Made a link to a form for you" for entry in record.history)


def test_the_export_leaves_out_everyone_else_and_every_secret(app: Flask, family):
    jo, invitation = family["jo"], family["invitation"]
    html = export_html([jo])
    text = _text(html)
    for own in (JO_WORRY, JO_DETAIL, JO_ADDED, "Large print, please", "joanna@example.com"):
        assert own in text
    for others in (
        PARTNER_WORRY,
        OTHER_FAMILY_WORRY,
        ADVOCATE_GOOD_THINGS,
        "Brightwater",
        "Otherfamily",
        "Robin",
        "07700 900222",  # the partner's mobile
        "07700 900123",  # the other family's
        family["conference"].case_reference,
    ):
        assert others not in text
    for secret in (
        token_for(invitation.token_salt),
        invitation.token_salt,
        invitation.token_hash,
        code_for(invitation.code_salt),
        "/r/",
    ):
        assert secret not in html


def test_a_drawing_kept_with_an_answer_is_named_in_the_file(app: Flask, family):
    response = db.session.scalar(
        select(FormResponse).join(Invitation).where(Invitation.family_member_id == family["jo"].id)
    )
    worries = next(answer for answer in response.answers if answer.question_id == "worries")
    worries.drawing = Drawing(byte_size=10, content_hmac="0" * 64, storage_name="x" * 32)
    db.session.commit()
    (form,) = collect_export([family["jo"]]).records[0].forms
    assert [answer.question for answer in form.answers if answer.drawing] == ["What worries you?"]
    assert "A drawing is kept with this answer in" in _text(export_html([family["jo"]]))


def test_the_file_is_readable_html_with_no_scripts_or_outside_resources(app: Flask, family):
    soup = _soup(export_html([family["jo"]]))
    assert MARKUP in soup.get_text()  # what she wrote, shown as she wrote it, never run
    assert soup.html["lang"] == "en"
    assert soup.find("h1").get_text(strip=True) == "Information we hold about Joanna Quillfeather"
    headings = [" ".join(h.get_text(" ").split()) for h in soup.find_all("h2")]
    assert headings == [
        "What is in this file, and what is not",
        "Your details",
        "Your meetings",
        "Links to forms we made for you",
        "Messages we sent you",
        "What you told us in our forms",
        "Safety alerts raised from what you told us",
        "Texts you sent us",
        "Who at the council opened or changed your record",
    ]
    assert soup.find("script") is None
    assert soup.find(src=True) is None
    assert soup.find("link") is None
    assert all(table.find("th", scope="col") for table in soup.find_all("table"))


def test_search_is_posted_and_finds_by_name_email_or_mobile(app: Flask, family, signed_in):
    admin = signed_in(Role.ADMIN)
    page = admin.get("/admin/subject-access/")
    assert page.status == 200
    assert page.h1 == "Subject access requests"
    form = page.soup.find("form", attrs={"role": "search"})
    assert form["method"] == "post"
    assert "Joanna" not in page.text

    jo_id = family["jo"].id
    review_link = f"/admin/subject-access/{jo_id}"
    for terms in (
        {"name": "quillFEATHER"},
        {"name": "Joanna Quill"},
        {"email": "JOANNA@example.com"},
        {"mobile": "07700 900111"},
    ):
        found = admin.submit("/admin/subject-access/", terms)
        assert found.status == 200, terms
        assert found.link("Joanna Quillfeather") == review_link, terms
        assert "Otherfamily" not in found.text
        assert "Brightwater" not in found.text
        assert "?" not in found.link("Joanna Quillfeather")

    nothing = admin.submit("/admin/subject-access/", {"name": "Nobody-by-this-name"})
    assert "No family member matches these details." in nothing.text
    empty = admin.submit("/admin/subject-access/", {})
    assert empty.status == 400
    assert empty.error_summary == ["Enter a name, an email address or a mobile number"]
    bad = admin.submit("/admin/subject-access/", {"email": "not an email"})
    assert bad.status == 400
    assert bad.error_summary == [
        "Enter an email address in the correct format, like name@example.com"
    ]


def test_find_family_members_matches_any_term(app: Flask, family):
    by_mobile = find_family_members(SearchTerms(mobile="+447700900222"))
    assert [m.full_name for m in by_mobile] == ["Alex Brightwater"]
    either = find_family_members(SearchTerms(name="Otherfamily", email="joanna@example.com"))
    assert sorted(m.full_name for m in either) == ["Chris Otherfamily", "Joanna Quillfeather"]
    assert find_family_members(SearchTerms()) == []
    assert find_family_members(SearchTerms(name="%")) == []  # a wildcard is only a character


def test_review_then_download_writes_audit_events(app: Flask, family, signed_in):
    admin_user = make_staff(Role.ADMIN)
    admin = signed_in(Role.ADMIN, admin_user)
    jo = family["jo"]
    # A coordinator opens the conference: a view of Jo's record, which her file lists by role
    coordinator = make_staff(Role.COORDINATOR)
    opened = signed_in(Role.COORDINATOR, coordinator).get(f"/conferences/{family['conference'].id}")
    assert opened.status == 200
    review = admin.get(f"/admin/subject-access/{jo.id}")
    assert review.status == 200
    assert review.h1 == "Export everything held about Joanna Quillfeather"
    assert "Forms they answered 1" in review.text
    assert "Messages sent to them 2" in review.text
    assert "Safety alerts raised from what they said 0" in review.text
    assert "Views or feedback given another way, entered by staff 0" in review.text
    viewed = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.VIEW, AuditEvent.actor_id == admin_user.id
        )
    ).all()
    assert [(e.record_type, e.record_id) for e in viewed] == [("family_member", jo.id)]

    download = admin.post(
        f"/admin/subject-access/{jo.id}/export", {"csrf_token": review.csrf_token()}
    )
    assert download.status == 200
    headers = download.response.headers
    today = datetime.now(ZoneInfo("Europe/London")).date().isoformat()
    assert headers["Content-Disposition"] == (
        f'attachment; filename="subject-access-{jo.id}-{today}.html"'
    )
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert download.response.mimetype == "text/html"
    assert JO_WORRY in download.text
    assert PARTNER_WORRY not in download.text
    history = download.soup.find(id=f"history-{jo.id}").find_next("table")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in history.tbody("tr")]
    assert ["Coordinator", "Looked at your record"] in [row[1:] for row in rows]
    assert ["Admin", "Looked at your record"] in [row[1:] for row in rows]  # the review page
    for staff_member in (coordinator, admin_user):  # named by role only
        assert staff_member.full_name not in download.text
        assert staff_member.email not in download.text
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT)
    ).all()
    assert [(e.record_type, e.record_id, e.actor_id) for e in exported] == [
        ("family_member", jo.id, admin_user.id)
    ]


def test_one_export_can_cover_several_records_of_the_same_person(app: Flask, family, signed_in):
    jo = family["jo"]
    later = make_conference()
    again = add_contactable_member(
        later, first_name="Jo", last_name="Q", email="joanna@example.com", mobile="+447700900999"
    )
    add_form_response(later, again, {"going_well": {"text": "Second record ZQX-JO-4"}})
    # Her daughter's own contact record shares her mobile: never offered as Jo's
    daughter = add_child(later, first_name="Kit", last_name="Quillfeather")
    own_record = add_family_member(
        later,
        first_name="Kit",
        last_name="Quillfeather",
        relationship=Relationship.YOUNG_PERSON,
        child_id=daughter.id,
        mobile=jo.mobile,
    )
    admin = signed_in(Role.ADMIN)
    review = admin.get(f"/admin/subject-access/{jo.id}")
    boxes = review.soup.find_all("input", attrs={"name": "also"})
    assert [box["value"] for box in boxes] == [str(again.id)]  # same email; the partner is not
    young = admin.get(f"/admin/subject-access/{own_record.id}")
    assert "This is a child's or young person's own record." in young.text
    assert young.soup.find("input", attrs={"name": "also"}) is None

    both = admin.post(
        f"/admin/subject-access/{jo.id}/export",
        {"csrf_token": review.csrf_token(), "also": [str(again.id)]},
    )
    assert both.status == 200
    assert JO_WORRY in both.text
    assert "Second record ZQX-JO-4" in both.text
    assert "Record 2 of 2: Your details" in both.text
    exported = db.session.scalars(
        select(AuditEvent.record_id).where(AuditEvent.action == AuditAction.EXPORT)
    ).all()
    assert sorted(exported) == sorted([jo.id, again.id])

    partner_id = family["partner"].id
    refused = admin.post(
        f"/admin/subject-access/{jo.id}/export",
        {"csrf_token": review.csrf_token(), "also": [str(partner_id)]},
    )
    assert refused.status == 400  # only a listed record can be added
    assert refused.error_summary == ["Select only records from the list"]
    assert PARTNER_WORRY not in refused.text


def test_only_admins_may_find_or_export(app: Flask, family, signed_in, client: PageClient):
    jo_id = family["jo"].id
    for role in (Role.COORDINATOR, Role.CHAIR, Role.PARTICIPATION_OFFICER, Role.ADVOCATE):
        assert signed_in(role).get("/admin/subject-access/").status == 403
        assert signed_in(role).get(f"/admin/subject-access/{jo_id}").status == 403
    assert client.get(f"/admin/subject-access/{jo_id}").status == 302
    assert signed_in(Role.ADMIN).get("/admin/subject-access/999999").status == 404


def test_the_admin_menu_links_to_subject_access(app: Flask, signed_in):
    page = signed_in(Role.ADMIN).get("/admin/subject-access/")
    assert page.link("Subject access") == "/admin/subject-access/"


def test_the_command_writes_the_same_file_and_audits_it(app: Flask, family, tmp_path):
    jo = family["jo"]
    output = tmp_path / "export.html"
    result = app.test_cli_runner().invoke(
        args=["subject-access", "export", str(jo.id), "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "Joanna" not in result.output
    html = output.read_text(encoding="utf-8")
    assert JO_WORRY in html
    assert PARTNER_WORRY not in html
    assert output.stat().st_mode & 0o077 == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT))
    assert (event.record_type, event.record_id, event.actor_id) == ("family_member", jo.id, None)

    missing = app.test_cli_runner().invoke(
        args=["subject-access", "export", "999999", "--output", str(tmp_path / "x.html")]
    )
    assert missing.exit_code != 0
    assert "No family member with record number 999999" in missing.output
    assert not (tmp_path / "x.html").exists()


def test_a_person_with_no_contact_or_answers_still_gets_a_readable_file(app: Flask):
    conference = make_conference()
    quiet = add_family_member(
        conference,
        first_name="Sole",
        last_name="Person",
        mobile=None,
        email=None,
        preferred_channel=Channel.NONE,
    )
    text = _text(export_html([quiet]))
    assert "Mobile number None held" in text
    assert "What you told us in our forms None." in text


ACTION_TAKEN = "Rang the police about the partner ZQX-ACTION"
OUTCOME = "Partner moved out, Jo safe at her sister's ZQX-OUTCOME"


def test_views_given_by_phone_show_as_entered_by_staff_and_their_alert_is_listed(app: Flask):
    """Views Sam gave by phone, entered by a coordinator: no link is listed (none was made),
    the file says how they were given and when staff entered them; the danger answer's alert
    is listed with why, when and where it is now, never what staff wrote about it."""
    conference = make_conference()
    sam = add_family_member(conference, first_name="Sam", last_name="Pennyworth")
    partner = add_family_member(conference, first_name="Alex", last_name="Brightwater")
    coordinator = make_staff(Role.COORDINATOR)
    enter(
        conference,
        sam,
        FormKind.VIEWS,
        EntryRoute.PHONE,
        {"danger_now": {"choice": "yes"}, "worries": {"text": "Sam's worry ZQX-SAM"}},
        coordinator,
    )
    alert = db.session.scalar(select(SafetyAlert).where(SafetyAlert.family_member_id == sam.id))
    # Loaded first, as a request's signed-in user is: acknowledge and close set the state
    # before reading ``by.id``, and an expired user's reload would flush the state alone.
    db.session.refresh(coordinator)
    acknowledge(alert, coordinator, ACTION_TAKEN)
    db.session.refresh(coordinator)
    close(alert, coordinator, OUTCOME)
    # Someone else's alert at the same conference is theirs, not Sam's
    raise_alert(conference, AlertSource.TEXT_REPLY, family_member=partner)
    db.session.commit()

    (record,) = collect_export([sam]).records
    assert record.links == []
    (given,) = record.given_another_way
    assert (given.form, given.route) == ("Views before", "By phone")
    (form,) = record.forms
    assert form.given_another_way == "Given another way (by phone), entered by staff"
    (listed,) = record.alerts
    assert (listed.source, listed.state) == ("Answered that someone is in danger now", "Closed")
    assert listed.raised_at == alert.raised_at
    assert listed.closed_at == alert.closed_at
    assert record.counts()["alerts"] == 1
    assert record.counts()["given_another_way"] == 1

    html = export_html([sam])
    text = _text(html)
    assert "Links to forms we made for you None." in text
    given_table = _soup(html).find(id=f"links-{sam.id}").find_next("table")
    cells = [td.get_text(strip=True) for td in given_table.tbody.find_all("td")]
    assert cells[0::2] == ["Views before", "By phone"]
    assert "Given another way (by phone), entered by staff on" in text
    assert "Sam's worry ZQX-SAM" in text
    alerts = _soup(html).find(id=f"alerts-{sam.id}").find_next("table")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in alerts.tbody("tr")]
    assert [row[2] for row in rows] == ["Answered that someone is in danger now"]
    assert rows[0][3].startswith("Closed, ")
    for staff_only in (ACTION_TAKEN, OUTCOME, coordinator.full_name, "A text message reply"):
        assert staff_only not in text
    assert "what staff wrote about what they did after a safety alert" in text


def test_an_alert_from_the_persons_own_link_is_listed_and_nobody_elses(app: Flask, family):
    jo, partner = family["jo"], family["partner"]
    response = db.session.scalar(
        select(FormResponse).where(FormResponse.invitation_id == family["invitation"].id)
    )
    raise_alert(
        family["conference"], AlertSource.DANGER_ANSWER, family_member=jo, form_response=response
    )
    raise_alert(family["conference"], AlertSource.TEXT_REPLY, family_member=partner)
    db.session.commit()

    (listed,) = collect_export([jo]).records[0].alerts
    assert (listed.source, listed.state, listed.acknowledged_at) == (
        "Answered that someone is in danger now",
        "Open",
        None,
    )
    assert [alert.source for alert in collect_export([partner]).records[0].alerts] == [
        "A text message reply"
    ]
    assert collect_export([jo]).records[0].given_another_way == []
