from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AlertSource,
    AuditAction,
    AuditEvent,
    Conference,
    ConferenceStatus,
    ConferenceType,
    Role,
)
from portal.people.forms import years_before
from portal.safety.raising import raise_alert
from portal.templating import local_date
from tests.factories import (
    add_child,
    add_contactable_member,
    add_form_response,
    make_conference,
    make_staff,
)
from tests.helpers.conference_form import GOOD


def _references(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.soup.select("tbody th a")]


def test_list_shows_upcoming_soonest_first_then_past_latest_first(signed_in) -> None:
    for days, reference in [(-20, "PAST-OLD"), (30, "SOON-2"), (-2, "PAST-NEW"), (3, "SOON-1")]:
        make_conference(starts_in=timedelta(days=days), case_reference=reference)
    page = signed_in(Role.COORDINATOR).get("/conferences/")
    assert _references(page) == ["SOON-1", "SOON-2", "PAST-NEW", "PAST-OLD"]


def test_list_is_paged(signed_in, app) -> None:
    per_page = app.config["CONFERENCES_PER_PAGE"]
    for number in range(per_page + 2):
        make_conference(starts_in=timedelta(days=number + 1), case_reference=f"REF-{number:03d}")
    client = signed_in(Role.COORDINATOR)
    first = client.get("/conferences/")
    assert len(_references(first)) == per_page
    assert f"Showing 1 to {per_page} of {per_page + 2}" in first.text
    second = client.get(first.link("Next"))
    assert _references(second) == [f"REF-{per_page:03d}", f"REF-{per_page + 1:03d}"]


def test_a_page_can_end_the_upcoming_ones_and_begin_the_past_ones(
    signed_in, app, monkeypatch
) -> None:
    """Upcoming and past are read apart (each in its index's order): the pages join them."""
    monkeypatch.setitem(app.config, "CONFERENCES_PER_PAGE", 2)
    for days, reference in [(1, "U-1"), (2, "U-2"), (3, "U-3"), (-1, "P-1"), (-2, "P-2")]:
        make_conference(starts_in=timedelta(days=days), case_reference=reference)
    client = signed_in(Role.COORDINATOR)
    pages = [_references(client.get(f"/conferences/?page={n}")) for n in (1, 2, 3)]
    assert pages == [["U-1", "U-2"], ["U-3", "P-1"], ["P-2"]]


def test_a_page_past_the_end_shows_the_last_page(signed_in, app, monkeypatch) -> None:
    """An old link (?page=4 once conferences were removed) shows the last page, not an empty list
    saying there are no conferences."""
    monkeypatch.setitem(app.config, "CONFERENCES_PER_PAGE", 2)
    for days, reference in [(1, "U-1"), (2, "U-2"), (-1, "P-1")]:
        make_conference(starts_in=timedelta(days=days), case_reference=reference)
    page = signed_in(Role.COORDINATOR).get("/conferences/?page=4")
    assert page.status == 200
    assert _references(page) == ["P-1"]
    assert "Showing 3 to 3 of 3" in page.text
    assert "There are no conferences yet" not in page.text


def test_a_chair_sees_only_the_conferences_they_chair(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    make_conference(chair=chair, case_reference="MINE")
    make_conference(chair=make_staff(Role.CHAIR), case_reference="NOT-MINE")
    make_conference(case_reference="NO-CHAIR")
    page = signed_in(Role.CHAIR, chair).get("/conferences/")
    assert page.h1 == "Your conferences"
    assert _references(page) == ["MINE"]
    assert "Set up a conference" not in page.text


def test_a_chair_granted_all_conferences_sees_them_all(signed_in) -> None:
    chair = make_staff(Role.CHAIR, sees_all_conferences=True)
    make_conference(case_reference="A-1")
    make_conference(chair=make_staff(Role.CHAIR), case_reference="B-2")
    assert sorted(_references(signed_in(Role.CHAIR, chair).get("/conferences/"))) == ["A-1", "B-2"]


def test_search_by_case_reference_keeps_it_out_of_the_address(signed_in) -> None:
    make_conference(case_reference="CP-2026-0001")
    make_conference(case_reference="CP-2026-0002")
    make_conference(case_reference="CP_2026_X")
    client = signed_in(Role.COORDINATOR)
    answer = client.submit("/conferences/", {"q": "2026-0002"})
    assert answer.location == "/conferences/"
    page = client.get("/conferences/")
    assert _references(page) == ["CP-2026-0002"]
    assert "1 conference matching" in page.text
    # LIKE wildcards are searched for literally
    client.submit("/conferences/", {"q": "_"})
    assert _references(client.get("/conferences/")) == ["CP_2026_X"]
    client.submit("/conferences/", {"q": "ignored", "clear": "1"})
    assert len(_references(client.get("/conferences/"))) == 3


def test_search_with_no_match_says_so(signed_in) -> None:
    client = signed_in(Role.COORDINATOR)
    client.submit("/conferences/", {"q": "nothing"})
    assert "No conferences match “NOTHING”" in client.get("/conferences/").text


def test_create_a_conference(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    client = signed_in(Role.COORDINATOR)
    page = client.submit("/conferences/new", GOOD | {"chair_id": str(chair.id)})
    assert page.status == 302
    conference = db.session.scalars(select(Conference)).one()
    assert page.location == f"/conferences/{conference.id}"
    assert conference.case_reference == "CP-2026-0142"
    assert conference.conference_type == ConferenceType.INITIAL
    # 2:30pm in London on 20 March 2026 is 14:30 UTC (GMT); the stored time is UTC
    assert conference.starts_at == datetime(2026, 3, 20, 14, 30, tzinfo=UTC)
    assert conference.section_47_started_on == date(2026, 3, 3)
    assert conference.chair_id == chair.id
    assert conference.status == ConferenceStatus.SCHEDULED
    shown = client.get(page.location)
    assert "Conference created" in shown.banners[0]
    assert "20 March 2026 at 2:30pm" in shown.text


def test_summer_times_are_read_as_london_time(signed_in) -> None:
    client = signed_in(Role.COORDINATOR)
    client.submit(
        "/conferences/new",
        GOOD
        | {
            "date": ["1", "7", "2026"],
            "start_time": "10:00",
            "section_47_started_on": ["22", "6", "2026"],
        },
    )
    conference = db.session.scalars(select(Conference)).one()
    assert conference.starts_at == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)  # BST is UTC+1


def test_an_empty_form_lists_every_problem(signed_in) -> None:
    # What a browser sends for an untouched form: the select's first option, nothing else.
    page = signed_in(Role.COORDINATOR).submit("/conferences/new", {"chair_id": ""})
    assert page.status == 400
    assert page.title.startswith("Error: ")
    assert page.error_summary == [
        "Enter the case reference",
        "Select the type of conference",
        "Enter the date of the conference",
        "Enter the start time",
        "Select the format of the conference",
    ]
    assert db.session.scalars(select(Conference)).all() == []


def test_bad_values_get_clear_messages_and_keep_what_was_typed(signed_in) -> None:
    page = signed_in(Role.COORDINATOR).submit(
        "/conferences/new",
        GOOD
        | {
            "case_reference": "CP 12!",
            "date": ["31", "2", "2026"],
            "start_time": "25:00",
            "section_47_started_on": ["", "3", "2026"],
            "chair_id": "999",
        },
    )
    assert page.error_summary == [
        "Case reference must only include letters, numbers, hyphens and slashes",
        "Date of the conference must be a real date",
        "Enter the start time as a time of day, like 10:30am or 14:00",
        "Select a chair from the list",
        "Section 47 enquiry start date must include a day",
    ]
    assert page.soup.select_one("#case_reference")["value"] == "CP 12!"
    assert page.soup.select_one("#date-day")["value"] == "31"


def test_an_initial_conference_needs_a_section_47_date_before_it(signed_in) -> None:
    client = signed_in(Role.COORDINATOR)
    missing = client.submit("/conferences/new", GOOD | {"section_47_started_on": ["", "", ""]})
    assert missing.error_summary == [
        "Enter the section 47 enquiry start date for an initial conference"
    ]
    after = client.submit("/conferences/new", GOOD | {"section_47_started_on": ["21", "3", "2026"]})
    assert after.error_summary == [
        "Section 47 enquiry start date must be on or before the date of the conference"
    ]


def test_a_review_ignores_a_section_47_date(signed_in) -> None:
    signed_in(Role.COORDINATOR).submit("/conferences/new", GOOD | {"conference_type": "review"})
    assert db.session.scalars(select(Conference)).one().section_47_started_on is None


def test_edit_a_conference_and_mark_it_held(signed_in) -> None:
    conference = make_conference(starts_in=timedelta(days=-1))
    client = signed_in(Role.COORDINATOR)
    form = client.get(f"/conferences/{conference.id}/edit")
    assert form.soup.select_one("#case_reference")["value"] == conference.case_reference
    page = client.submit(
        f"/conferences/{conference.id}/edit",
        GOOD | {"conference_type": "initial", "status": "held", "format": "hybrid"},
    )
    assert page.location == f"/conferences/{conference.id}"
    assert conference.status == ConferenceStatus.HELD
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.UPDATE)
    ).one()
    assert set(event.fields.split(",")) >= {"status", "format", "conference_type"}
    assert conference.conference_type == ConferenceType.INITIAL


def test_a_new_conference_date_refers_children_then_of_advocacy_age(signed_in) -> None:
    """Moving the conference re-checks every child on it: one referral each, never taken away."""
    conference = make_conference(starts_in=timedelta(days=20))
    turns_ten = local_date(conference.starts_at) + timedelta(days=10)
    older = add_child(conference, first_name="Ana", date_of_birth=years_before(turns_ten, 10))
    add_child(conference, first_name="Ben", date_of_birth=years_before(turns_ten, 5))
    client = signed_in(Role.COORDINATOR)

    def move_to(day: date) -> None:
        page = client.submit(
            f"/conferences/{conference.id}/edit",
            GOOD
            | {
                "conference_type": "review",
                "status": "scheduled",
                "date": [str(day.day), str(day.month), str(day.year)],
            },
        )
        assert page.status == 302, page.error_summary
        assert local_date(conference.starts_at) == day

    def referred() -> list[tuple[int, bool]]:
        return [
            (referral.child_id, referral.automatic)
            for referral in db.session.scalars(select(AdvocacyReferral))
        ]

    move_to(turns_ten - timedelta(days=1))
    assert referred() == []
    move_to(turns_ten)  # Ana is ten on the new day; Ben is five
    assert referred() == [(older.id, True)]
    move_to(turns_ten + timedelta(days=1))  # moved again: still one referral
    assert referred() == [(older.id, True)]
    move_to(turns_ten - timedelta(days=3))  # back before her birthday: the referral stays
    assert referred() == [(older.id, True)]


def test_an_unknown_conference_is_not_found(signed_in) -> None:
    assert signed_in(Role.COORDINATOR).get("/conferences/999999").status == 404


def test_save_buttons_ignore_a_double_click(signed_in) -> None:
    page = signed_in(Role.COORDINATOR).get("/conferences/new")
    button = page.soup.find("button", string=lambda text: text and "Save conference" in text)
    assert button["data-prevent-double-click"] == "true"


def _with_a_safety_concern() -> Conference:
    """A family member's answer raised a safety alert (portal/safety), as the form does."""
    conference = make_conference()
    member = add_contactable_member(conference)
    response = add_form_response(conference, member, {})
    response.safety_concern_at = datetime.now(UTC)
    raise_alert(conference, AlertSource.DANGER_ANSWER, family_member=member, form_response=response)
    db.session.commit()
    return conference


def test_a_safety_concern_is_an_important_banner_after_the_h1(signed_in) -> None:
    """Not an error summary (issue 22): that took focus on every load and put its h2 first."""
    conference = _with_a_safety_concern()
    page = signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}")
    assert page.soup.select_one(".govuk-error-summary") is None
    assert page.soup.select_one('[role="alert"]') is None
    banner = page.soup.select_one(".govuk-notification-banner")
    assert banner["role"] == "region"
    assert "govuk-notification-banner--success" not in banner["class"]
    assert banner.select_one(".govuk-notification-banner__title").get_text(strip=True) == (
        "Important"
    )
    [banner_text] = page.banners
    assert banner_text.startswith(
        "Someone may be in danger now: a safety alert was raised A family member, "
    )
    assert banner_text.endswith(": open Read what the family said and act on it today.")
    assert banner.select_one('a[href^="/safety-alerts/"]') is not None
    headings = [h.name for h in page.soup.select("main h1, main h2")]
    assert headings[0] == "h1"


def test_no_safety_concern_no_banner(signed_in) -> None:
    conference = make_conference()
    page = signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}")
    assert page.soup.select_one(".govuk-notification-banner") is None
