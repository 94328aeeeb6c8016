"""The conference activity report, counted by hand from a small year (April 2024 – March 2025):
conferences held, initial conferences on time (working days, bank holidays, day 0), reviews on
time, advocacy and delivery by channel (plans open longer than 10 months: test_long_plans.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    Channel,
    Child,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    ContactLogEntry,
    Message,
    MessageKind,
    MessageStatus,
    NotSeenReason,
    PlanOutcome,
    Role,
)
from tests.factories import add_family_member, make_conference
from tests.pages import PageClient

INITIAL, REVIEW, TRANSFER_IN = (
    ConferenceType.INITIAL,
    ConferenceType.REVIEW,
    ConferenceType.TRANSFER_IN,
)
HELD, CANCELLED = ConferenceStatus.HELD, ConferenceStatus.CANCELLED


def conference(
    day: date | str,
    kind: ConferenceType = REVIEW,
    *,
    status: ConferenceStatus = HELD,
    s47: str | None = None,
    children: tuple[Child, ...] = (),
    outcomes: dict[Child, PlanOutcome] | None = None,
    **fields: object,
) -> Conference:
    """A conference on ``day`` (noon UTC: the same date in London) with these children."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    made = make_conference(
        starts_at=datetime.combine(day, time(12), UTC),
        conference_type=kind,
        status=status,
        section_47_started_on=date.fromisoformat(s47) if s47 else None,
        **fields,
    )
    for child in children:
        db.session.add(
            ConferenceChild(
                conference_id=made.id,
                child_id=child.id,
                plan_outcome=(outcomes or {}).get(child),
                section_47_started_on=made.section_47_started_on,
            )
        )
    db.session.commit()
    return made


def child(name: str, born: str | None) -> Child:
    made = (
        Child(first_name=name, last_name="Tester", date_of_birth=date.fromisoformat(born))
        if born
        else Child(first_name=name, last_name="Tester", expected_date_of_birth=date(2025, 6, 1))
    )
    db.session.add(made)
    db.session.commit()
    return made


def refer(made: Conference, who: Child, *seen: bool) -> None:
    referral = AdvocacyReferral(conference_id=made.id, child_id=who.id, automatic=True)
    referral.contacts = [
        ContactLogEntry(
            contact_on=date(2024, 1, 1),
            seen=was_seen,
            not_seen_reason=None if was_seen else NotSeenReason.NOT_CONTACTABLE,
        )
        for was_seen in seen
    ]
    db.session.add(referral)
    db.session.commit()


@pytest.fixture
def year_of_conferences() -> None:
    """Held in 2024 (by quarter):
    Q1  I4 initial 24 Jun (s47 3 Jun: day 15 is 24 Jun, within) [A]
        I5 initial 25 Jun (s47 3 Jun: outside) [B]
        T1 transfer-in 10 May [E]
        R4 review 31 May [D] (D's previous: P1, a review on 1 Dec 2023: within 6 months)
    Q2  I6 initial 10 Sep, imported, no s47 date [G]
        R1 review 24 Sep [A, B] (3 months after 24 Jun / 25 Jun: both within)
        R5 review 11 Aug [E] (3 months after the transfer-in of 10 May: outside)
    Q3  I9 initial 15 Oct (s47 1 Oct: within) [C]
        R6 review 1 Nov [F] (no earlier conference)
    Q4  I2 initial 9 Jan 2025 (s47 16 Dec: 15 working days with Christmas and New Year, within) [H]
        I3 initial 10 Jan 2025 (s47 16 Dec: outside)
        R2 review 25 Mar 2025 [A] (6 months after 24 Sep is 24 Mar: outside)
        R3 review 16 Jan 2025 [C] (3 months after 15 Oct is 15 Jan: outside)
    Not counted: I7 (cancelled), I8 (1 April 2025), X1 (a cancelled review with A), P1 (2023).
    """
    a = child("Aoife", "2012-01-01")  # 12
    b = child("Bram", "2020-05-05")  # 4
    c = child("Ciaran", "2014-10-15")  # 10 on the day of I9
    d = child("Dympna", "2014-06-01")  # 9 on 31 May 2024: 10 the day after R4
    e = child("Eamon", "2010-01-01")  # 14
    f = child("Fionnuala", None)  # unborn
    g = child("Grainne", "2015-01-01")  # 9
    h = child("Hugh", "2013-03-03")  # 11
    k = child("Kieran", "2010-01-01")

    i4 = conference("2024-06-24", INITIAL, s47="2024-06-03", children=(a,))
    conference("2024-06-25", INITIAL, s47="2024-06-03", children=(b,))
    t1 = conference("2024-05-10", TRANSFER_IN, children=(e,))
    conference("2023-12-01", REVIEW, children=(d,))
    r4 = conference("2024-05-31", REVIEW, children=(d,))
    conference("2024-09-10", INITIAL, imported=True, children=(g,))
    conference("2024-09-24", REVIEW, children=(a, b))
    conference("2024-08-11", REVIEW, children=(e,))
    i9 = conference("2024-10-15", INITIAL, s47="2024-10-01", children=(c,))
    conference("2024-11-01", REVIEW, children=(f,))
    i2 = conference("2025-01-09", INITIAL, s47="2024-12-16", children=(h,))
    conference("2025-01-10", INITIAL, s47="2024-12-16")
    x1 = conference("2024-12-01", REVIEW, status=CANCELLED, children=(a,))
    conference("2025-03-25", REVIEW, children=(a,))
    conference("2025-01-16", REVIEW, children=(c,))
    conference("2024-06-20", INITIAL, status=CANCELLED, s47="2024-06-03")
    i8 = conference("2025-04-01", INITIAL, s47="2025-03-20", children=(k,))

    # Advocacy: referred A@I4 (seen), E@T1 (not seen), D@R4 (seen; under 10), C@I9 (seen at the
    # second try), H@I2 (no contact yet); not counted: A@X1 (cancelled), K@I8 (next year)
    refer(i4, a, True)
    refer(t1, e, False)
    refer(r4, d, True)
    refer(i9, c, False, True)
    refer(i2, h)
    refer(x1, a, True)
    refer(i8, k, True)

    # Messages to families of this year's conferences, and some not counted
    sms_person = add_family_member(i4)
    email_person = add_family_member(
        i4, preferred_channel=Channel.EMAIL, email="jo@example.com", mobile=None
    )
    later_person = add_family_member(i8)
    statuses = {
        Channel.SMS: [
            *[MessageStatus.DELIVERED] * 3,
            MessageStatus.SENT,  # no receipt yet
            MessageStatus.UNDELIVERED,
            MessageStatus.FAILED,
            MessageStatus.QUEUED,  # not sent: not counted
            MessageStatus.CANCELLED,  # not sent: not counted
        ],
        Channel.EMAIL: [*[MessageStatus.SENT] * 3, MessageStatus.FAILED],
    }
    for channel, each in statuses.items():
        person = sms_person if channel == Channel.SMS else email_person
        for status in each:
            db.session.add(message(i4, person.id, channel, status))
    # A staff alert, and a text for next year's conference: not counted
    alert = message(i4, None, Channel.EMAIL, MessageStatus.SENT)
    alert.kind = MessageKind.SAFEGUARDING_ALERT
    db.session.add_all([alert, message(i8, later_person.id, Channel.SMS, MessageStatus.DELIVERED)])
    db.session.commit()


def message(
    made: Conference, person_id: int | None, channel: Channel, status: MessageStatus
) -> Message:
    return Message(
        family_member_id=person_id,
        conference_id=made.id,
        kind=MessageKind.VIEWS_REMINDER,
        channel=channel,
        to_address="somewhere",
        body_text="A reminder",
        status=status,
    )


@pytest.fixture
def officer(signed_in: Callable[..., PageClient]) -> PageClient:
    return signed_in(Role.PARTICIPATION_OFFICER)


@pytest.fixture
def admin(signed_in: Callable[..., PageClient]) -> PageClient:
    return signed_in(Role.ADMIN)


def test_conferences_held_by_type_and_quarter(
    officer: PageClient, year_of_conferences: None
) -> None:
    page = officer.get("/reports/activity?year=2024")
    assert page.status == 200
    assert page.table("Conferences held") == [
        ["Initial: family meetings", "2", "1", "1", "2", "6"],
        ["Review: family meetings", "1", "2", "1", "2", "6"],
        ["Transfer-in: family meetings", "1", "0", "0", "0", "1"],
        ["All types: family meetings", "4", "3", "2", "4", "13"],
        ["Initial: child rows", "2", "1", "1", "1", "5"],
        ["Review: child rows", "1", "3", "1", "2", "7"],
        ["Transfer-in: child rows", "1", "0", "0", "0", "1"],
        ["All types: child rows", "4", "4", "2", "3", "13"],
    ]


def test_initial_conferences_within_15_working_days(
    officer: PageClient, year_of_conferences: None
) -> None:
    page = officer.get("/reports/activity?year=2024")
    # Q1: 3 June is day 0, so day 15 is 24 June (A at I4 within, B at I5 the day after, outside).
    # Q4: from 16 December, Christmas, Boxing Day and New Year's Day are not working days:
    # day 15 is 9 January (H at I2 within; without the bank holidays it would be 6 January).
    # Counted per child: I3 has no children, so counts for nothing.
    assert page.table("Initial conferences on time") == [
        [
            "Children at initial conferences within 15 working days of their section 47 start",
            "50.0% 1 of 2",
            "– 0 of 0",
            "100.0% 1 of 1",
            "100.0% 1 of 1",
            "75.0% 3 of 4",
        ],
        [
            "Children at initial conferences with no section 47 date (not counted)",
            "0",
            "1",
            "0",
            "0",
            "1",
        ],
    ]


def test_reviews_within_3_and_6_months(officer: PageClient, year_of_conferences: None) -> None:
    page = officer.get("/reports/activity?year=2024")
    assert page.table("Reviews on time") == [
        # A and B at R1 (within), E at R5 (outside), C at R3 (outside)
        [
            "First reviews within 3 months of the initial or transfer-in",
            "– 0 of 0",
            "66.7% 2 of 3",
            "– 0 of 0",
            "0.0% 0 of 1",
            "50.0% 2 of 4",
        ],
        # D at R4 (within, after a review in 2023), A at R2 (outside; the cancelled X1 not a
        # conference held)
        [
            "Later reviews within 6 months of the last",
            "100.0% 1 of 1",
            "– 0 of 0",
            "– 0 of 0",
            "0.0% 0 of 1",
            "50.0% 1 of 2",
        ],
        [
            "All reviews within timescale",
            "100.0% 1 of 1",
            "66.7% 2 of 3",
            "– 0 of 0",
            "0.0% 0 of 2",
            "50.0% 3 of 6",
        ],
        ["Reviews with no earlier conference on record (not counted)", "0", "0", "1", "0", "1"],
    ]


def test_advocacy_referred_seen_and_the_referral_rate(
    officer: PageClient, year_of_conferences: None
) -> None:
    page = officer.get("/reports/activity?year=2024")
    assert page.table("Advocacy") == [
        # Q2: A, B at R1 and E at R5; G at the imported I6 is left out
        ["Children at held conferences (child rows)", "4", "3", "2", "3", "12"],
        ["Referred to advocacy", "3", "0", "1", "1", "5"],
        ["Referred and seen by an advocate", "2", "0", "1", "0", "3"],
        # Q1: A, E (D is 9 the day before her birthday); Q2: A, E; Q3: C on his 10th birthday
        # (F unborn); Q4: H, A, C
        ["Aged 10 or over on the conference date", "2", "2", "1", "3", "8"],
        ["Aged 10 or over and referred", "2", "0", "1", "1", "4"],
        ["Children at imported conferences (not counted)",
         "0", "1", "0", "0", "1"],
    ]  # fmt: skip
    assert "Imported conferences are left out of the advocacy figures" in page.text
    assert page.table("Advocacy rates") == [
        [
            "Referral rate, children aged 10 or over",
            "100.0% 2 of 2",
            "0.0% 0 of 2",
            "100.0% 1 of 1",
            "33.3% 1 of 3",
            "50.0% 4 of 8",
        ],
        [
            "Seen, of those referred",
            "66.7% 2 of 3",
            "– 0 of 0",
            "100.0% 1 of 1",
            "0.0% 0 of 1",
            "60.0% 3 of 5",
        ],
    ]


def test_delivery_rate_by_channel(officer: PageClient, year_of_conferences: None) -> None:
    page = officer.get("/reports/activity?year=2024")
    assert page.table("Delivery by channel") == [
        ["Text message: sent", "6", "0", "0", "0", "6"],
        ["Text message: waiting for a receipt", "1", "0", "0", "0", "1"],
        ["Text message: failed", "2", "0", "0", "0", "2"],
        ["Text message: delivered, of those sent",
         "50.0% 3 of 6", "– 0 of 0", "– 0 of 0", "– 0 of 0", "50.0% 3 of 6"],
        ["Email: sent", "4", "0", "0", "0", "4"],
        ["Email: waiting for a receipt", "0", "0", "0", "0", "0"],
        ["Email: failed", "1", "0", "0", "0", "1"],
        # accepted by the mail server
        ["Email: delivered, of those sent",
         "75.0% 3 of 4", "– 0 of 0", "– 0 of 0", "– 0 of 0", "75.0% 3 of 4"],
    ]  # fmt: skip


def test_exports_hold_every_figure_as_on_the_page(
    officer: PageClient, year_of_conferences: None
) -> None:
    page = officer.get("/reports/activity?year=2024")
    assert page.link("CSV") == "/reports/activity.csv?year=2024"
    text = officer.get("/reports/activity.csv?year=2024").response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["measure", "quarter", "numerator", "denominator", "percent"]
    # one table: every measure for Q1–Q4 and YEAR (the participation export's codes, issue 6)
    assert [row[1] for row in rows[1:6]] == ["Q1", "Q2", "Q3", "Q4", "YEAR"]
    assert len(rows) % 5 == 1
    assert ["children_all", "YEAR", "13", "", ""] in rows
    assert ["initial_within_15_working_days", "YEAR", "3", "4", "75.0"] in rows
    assert ["initial_within_15_working_days", "Q2", "0", "0", ""] in rows
    assert ["reviews_in_timescale", "Q4", "0", "2", "0.0"] in rows
    assert ["delivery_sms_delivered", "YEAR", "3", "6", "50.0"] in rows
    assert ["advocacy_referred", "YEAR", "5", "", ""] in rows

    xlsx = officer.get("/reports/activity.xlsx?year=2024")
    assert xlsx.status == 200
    workbook = load_workbook(io.BytesIO(xlsx.response.get_data()))
    assert workbook.sheetnames == ["Activity"]
    sheet = [list(row) for row in workbook["Activity"].iter_rows(values_only=True)]
    assert len(sheet) == len(rows)
    assert ["delivery_email_delivered", "YEAR", 3, 4, 75.0] in sheet  # numbers
    assert ["advocacy_referral_rate", "YEAR", 4, 8, 50.0] in sheet
    assert ["advocacy_seen_rate", "Q2", 0, 0, None] in sheet  # an empty cell, not "–"
    assert ["advocacy_referred", "YEAR", 5, None, None] in sheet


@pytest.mark.parametrize("query", ["year=abc", "year=99999", "year=", "year=2024.5"])
def test_a_bad_year_is_a_clear_400(officer: PageClient, query: str) -> None:
    page = officer.get(f"/reports/activity?{query}")
    if query == "year=":  # empty means this year
        assert page.status == 200
        return
    assert page.status == 400
    assert page.error_summary[0].startswith("Enter a financial year from 2000 to")
    assert officer.get(f"/reports/activity.xlsx?{query}").status == 400


def test_imported_children_are_left_out_of_the_advocacy_rates(officer: PageClient) -> None:
    """Imported history has no referrals: its children must not pull the rate towards 0.
    Q1 2024: Orla (12) at a recorded conference, referred; Padraig (12) at an imported one."""
    orla, padraig = child("Orla", "2012-01-01"), child("Padraig", "2012-01-01")
    refer(conference("2024-05-01", INITIAL, s47="2024-04-20", children=(orla,)), orla, True)
    conference("2024-05-02", INITIAL, imported=True, children=(padraig,))
    page = officer.get("/reports/activity?year=2024")
    assert page.table("Advocacy rates")[0] == [
        "Referral rate, children aged 10 or over",
        "100.0% 1 of 1",  # not 50.0% 1 of 2
        "– 0 of 0",
        "– 0 of 0",
        "– 0 of 0",
        "100.0% 1 of 1",
    ]
    assert page.table("Advocacy")[0] == [
        "Children at held conferences (child rows)", "1", "0", "0", "0", "1"
    ]  # fmt: skip
    assert page.table("Advocacy")[-1] == [
        "Children at imported conferences (not counted)",
        "1", "0", "0", "0", "1",
    ]  # fmt: skip


@pytest.mark.parametrize("year", ["²", "9" * 5000, "-1", "٢٠٢٤", "20245"])
def test_a_year_that_is_not_four_plain_digits_is_a_400(officer: PageClient, year: str) -> None:
    for path in ("/reports/activity", "/reports/activity.csv", "/reports/activity.xlsx"):
        page = officer.get(f"{path}?year={quote(year)}")
        assert page.status == 400, path
        assert page.error_summary[0].startswith("Enter a financial year from 2000 to")


def test_an_empty_year(officer: PageClient) -> None:
    page = officer.get("/reports/activity?year=2021")
    assert page.status == 200
    assert page.table("Initial conferences on time")[0][1:] == ["– 0 of 0"] * 5
    assert page.table("Delivery by channel")[3] == [
        "Text message: delivered, of those sent",
        *["– 0 of 0"] * 5,
    ]
