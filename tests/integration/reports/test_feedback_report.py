"""The feedback report: the funnel, response rates by form, channel and quarter, quick ratings,
answers and comments, counted by hand from a small year of invitations (April 2024 – March 2025).
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from portal.family_forms.childrens_questions import CHILD_FEEDBACK, YOUNG_PERSON_FEEDBACK
from portal.family_forms.questions import PARENT_FEEDBACK
from portal.models import (
    Addition,
    Answer,
    Channel,
    Conference,
    ConferenceStatus,
    FamilyMember,
    FormKind,
    FormResponse,
    Invitation,
    Message,
    MessageKind,
    MessageStatus,
    Relationship,
    Role,
)
from tests.factories import add_child, add_family_member, make_conference, make_staff
from tests.pages import PageClient

AT = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)  # when things happened: only the conference date counts
NAMES = ("Bernadette", "Quigley", "Ignatius", "Featherstone", "Philippa", "Ormerod")
CASE_REFERENCES = ("CASE-7731", "CASE-7732", "CASE-7733", "CASE-7734", "CASE-7735")
FORMULA = '=HYPERLINK("http://example.com","click")'


def held_on(day: str, reference: str) -> Conference:
    """A held conference on ``day`` (10:00 in London, so its date is ``day``)."""
    moment = datetime.fromisoformat(f"{day}T09:00:00+00:00")
    return make_conference(starts_at=moment, status=ConferenceStatus.HELD, case_reference=reference)


def member(conference: Conference, channel: Channel, **fields: object) -> FamilyMember:
    contact = (
        {"preferred_channel": Channel.EMAIL, "email": "someone@example.com", "mobile": None}
        if channel == Channel.EMAIL
        else {"preferred_channel": Channel.SMS}
    )
    return add_family_member(conference, **(contact | fields))


def invite(
    conference: Conference,
    person: FamilyMember,
    form: FormKind,
    channel: Channel,
    *,
    sent: bool = True,
    delivered: bool = False,
    opened: bool = False,
    started: bool = False,
    submitted: bool = False,
    rating: int | None = None,
    revoked: bool = False,
) -> Invitation:
    """An invitation with its first message, its funnel timestamps set as asked."""
    invitation = Invitation(
        conference_id=conference.id,
        family_member_id=person.id,
        form=form,
        token_salt=secrets.token_hex(16),
        token_hash=secrets.token_hex(32),
        expires_at=AT + timedelta(days=60),
        created_at=AT,
        revoked_at=AT if revoked else None,
        sent_at=AT if sent else None,
        delivered_at=AT if delivered else None,
        opened_at=AT if opened else None,
        started_at=AT if started else None,
        submitted_at=AT if submitted else None,
        quick_rating=rating,
    )
    db.session.add(invitation)
    db.session.flush()
    kind = (
        MessageKind.VIEWS_INVITATION if form == FormKind.VIEWS else MessageKind.FEEDBACK_INVITATION
    )
    db.session.add(
        Message(
            invitation_id=invitation.id,
            family_member_id=person.id,
            conference_id=conference.id,
            kind=kind,
            channel=channel,
            to_address="somewhere",
            body_text="Your link: {link}",
            status=MessageStatus.SENT if sent else MessageStatus.QUEUED,
        )
    )
    db.session.commit()
    return invitation


def respond(
    invitation: Invitation,
    questionnaire: str,
    answers: dict[str, dict[str, object]],
    *,
    submitted: bool = True,
    additions: tuple[str, ...] = (),
) -> None:
    db.session.add(
        FormResponse(
            invitation_id=invitation.id,
            questionnaire=questionnaire,
            started_at=AT,
            submitted_at=AT if submitted else None,
            answers=[Answer(question_id=key, value=value) for key, value in answers.items()],
            additions=[Addition(text=text) for text in additions],
        )
    )
    db.session.commit()


@pytest.fixture
def year_of_feedback() -> None:
    """Eight people counted in 2024 (see each line), and some who must not be.

    counted (latest sent link per person, conference, form):
      1 C1 Q1 mother  views    sms    sent delivered opened started submitted
      2 C1 Q1 mother  feedback sms    sent delivered opened started submitted  rating 4
      3 C1 Q1 father  views    email  sent (delivered: email) opened
      4 C1 Q1 father  feedback email  sent (delivered) opened started           (not submitted)
      5 C2 Q2 mother  feedback sms    sent                                      rating 2
      6 C2 Q2 young p feedback sms    sent delivered opened started submitted  rating 5
      7 C3 Q4 mother  feedback email  sent (delivered) opened started submitted
      8 C3 Q4 father  views    sms    sent delivered opened started submitted
    """
    c1 = held_on("2024-06-30", "CASE-7731")  # Q1's last day
    c2 = held_on("2024-07-01", "CASE-7732")  # Q2's first day
    c3 = held_on("2025-03-31", "CASE-7733")  # the year's last day
    c4 = held_on("2025-04-01", "CASE-7734")  # the next year
    c5 = held_on("2024-03-31", "CASE-7735")  # the year before

    mother = member(c1, Channel.SMS, first_name="Bernadette", last_name="Quigley")
    # A link replaced by a newer one is not counted again: only the latest (row 1)
    invite(c1, mother, FormKind.VIEWS, Channel.SMS, delivered=True, revoked=True, rating=1)
    views = invite(
        c1, mother, FormKind.VIEWS, Channel.SMS, delivered=True, opened=True, started=True,
        submitted=True,
    )  # fmt: skip
    respond(views, "parent_views", {"worries": {"text": "Views are not feedback comments"}})
    feedback = invite(
        c1, mother, FormKind.FEEDBACK, Channel.SMS, delivered=True, opened=True, started=True,
        submitted=True, rating=4,
    )  # fmt: skip
    respond(
        feedback,
        "parent_feedback",
        {
            "explained_before": {"choice": "yes", "text": "The chair phoned me first"},
            "listened_to": {"choice": "yes"},
            "respect": {"choice": "no"},
            "do_better": {"text": "More time to read the reports"},
        },
    )

    father = member(c1, Channel.EMAIL, first_name="Ignatius", last_name="Featherstone",
                    relationship=Relationship.FATHER)  # fmt: skip
    invite(c1, father, FormKind.VIEWS, Channel.EMAIL, opened=True)
    started = invite(c1, father, FormKind.FEEDBACK, Channel.EMAIL, opened=True, started=True)
    respond(
        started,
        "parent_feedback",
        {"explained_before": {"choice": "no"}, "do_better": {"text": "SECRET UNSUBMITTED"}},
        submitted=False,
    )

    second_mother = member(c2, Channel.SMS, first_name="Philippa", last_name="Ormerod")
    invite(c2, second_mother, FormKind.VIEWS, Channel.SMS, sent=False)  # never sent: not counted
    invite(c2, second_mother, FormKind.FEEDBACK, Channel.SMS, rating=2)
    child = add_child(c2, first_name="Ormerod", last_name="Quigley")
    young_person = member(
        c2, Channel.SMS, relationship=Relationship.YOUNG_PERSON, child_id=child.id,
        first_name="Philippa", last_name="Quigley",
    )  # fmt: skip
    answered = invite(
        c2, young_person, FormKind.FEEDBACK, Channel.SMS, delivered=True, opened=True,
        started=True, submitted=True, rating=5,
    )  # fmt: skip
    respond(
        answered,
        "young_person_feedback",
        {"listened_to": {"choice": "partly"}, "do_better": {"text": "Shorter meetings please"}},
    )

    third_mother = member(c3, Channel.EMAIL, first_name="Bernadette", last_name="Ormerod")
    emailed = invite(
        c3, third_mother, FormKind.FEEDBACK, Channel.EMAIL, opened=True, started=True,
        submitted=True,
    )  # fmt: skip
    respond(
        emailed,
        "parent_feedback",
        {"explained_before": {"choice": "partly"}, "listened_to": {"choice": "yes"},
         "do_better": {"text": FORMULA}},
        additions=("Thank you for listening",),
    )  # fmt: skip
    third_father = member(c3, Channel.SMS, first_name="Ignatius", last_name="Ormerod",
                          relationship=Relationship.FATHER)  # fmt: skip
    invite(
        c3, third_father, FormKind.VIEWS, Channel.SMS, delivered=True, opened=True,
        started=True, submitted=True,
    )  # fmt: skip

    # Outside the year: counted nowhere
    for conference in (c4, c5):
        outsider = member(conference, Channel.SMS, first_name="Ignatius", last_name="Quigley")
        late = invite(
            conference, outsider, FormKind.FEEDBACK, Channel.SMS, delivered=True, opened=True,
            started=True, submitted=True, rating=1,
        )  # fmt: skip
        respond(
            late,
            "parent_feedback",
            {"explained_before": {"choice": "no"}, "do_better": {"text": "OUTSIDE THE YEAR"}},
        )


@pytest.fixture
def officer(signed_in: Callable[..., PageClient]) -> PageClient:
    return signed_in(Role.PARTICIPATION_OFFICER)


def csv_sections(text: str) -> dict[str, list[list[str]]]:
    """Each CSV section (a title row, a header, rows; a blank line between) by its title."""
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            current = None
        elif current is None:
            current = sections.setdefault(row[0], [])
        else:
            current.append(row)
    return sections


def test_the_funnel_counts_each_person_once_by_their_latest_sent_link(
    officer: PageClient, year_of_feedback: None
) -> None:
    page = officer.get("/reports/feedback?year=2024")
    assert page.status == 200
    assert page.table("Response funnel") == [
        ["Sent", "100.0% 8 of 8"],
        ["Delivered", "87.5% 7 of 8"],  # row 5 has no receipt; emails count when sent
        ["Opened", "87.5% 7 of 8"],
        ["Started", "75.0% 6 of 8"],
        ["Submitted", "62.5% 5 of 8"],
    ]


def test_response_rates_by_form_channel_and_quarter(
    officer: PageClient, year_of_feedback: None
) -> None:
    page = officer.get("/reports/feedback?year=2024")
    assert page.table("By form") == [
        ["Views before", "66.7% 2 of 3"],  # rows 1, 3, 8
        ["Feedback after", "60.0% 3 of 5"],  # rows 2, 4, 5, 6, 7
    ]
    assert page.table("By channel") == [
        ["Text message", "80.0% 4 of 5"],  # rows 1, 2, 5, 6, 8
        ["Email", "33.3% 1 of 3"],  # rows 3, 4, 7
    ]
    # 30 June is Q1 and 1 July Q2; 31 March is Q4; 1 April 2025 and 31 March 2024 are other years
    assert page.table("By quarter") == [
        ["Q1", "50.0% 2 of 4"],
        ["Q2", "50.0% 1 of 2"],
        ["Q3", "– 0 of 0"],
        ["Q4", "100.0% 2 of 2"],
    ]


def test_filters_by_form_and_channel(officer: PageClient, year_of_feedback: None) -> None:
    page = officer.get("/reports/feedback?year=2024&form=feedback&channel=email")
    assert page.status == 200
    # rows 4 and 7 only
    assert page.table("Response funnel") == [
        ["Sent", "100.0% 2 of 2"],
        ["Delivered", "100.0% 2 of 2"],
        ["Opened", "100.0% 2 of 2"],
        ["Started", "100.0% 2 of 2"],
        ["Submitted", "50.0% 1 of 2"],
    ]
    assert page.table("By form") == [["Feedback after", "50.0% 1 of 2"]]
    assert page.table("By channel") == [["Email", "50.0% 1 of 2"]]
    assert page.table("How did the meeting go for you?")[0] == [
        "Was the meeting explained to you before it?",
        "0.0% 0 of 1",
        "100.0% 1 of 1",  # row 7's "partly"
        "0.0% 0 of 1",
    ]
    views_only = officer.get("/reports/feedback?year=2024&form=views")
    assert views_only.table("By form") == [["Views before", "66.7% 2 of 3"]]
    assert "come from the feedback forms" in views_only.text


def test_quick_ratings_count_the_latest_links_of_the_year(
    officer: PageClient, year_of_feedback: None
) -> None:
    page = officer.get("/reports/feedback?year=2024")
    # 4 (row 2), 2 (row 5), 5 (row 6); the 1s are on a replaced link and in other years
    assert page.table("Quick ratings by text message") == [
        ["1 (bad)", "0.0% 0 of 3"],
        ["2", "33.3% 1 of 3"],
        ["3", "0.0% 0 of 3"],
        ["4", "33.3% 1 of 3"],
        ["5 (good)", "33.3% 1 of 3"],
    ]
    assert "Mean rating: 3.7." in page.text  # (4 + 2 + 5) ÷ 3


def test_answers_count_submitted_feedback_forms_only(
    officer: PageClient, year_of_feedback: None
) -> None:
    page = officer.get("/reports/feedback?year=2024")
    parents = page.table("How did the meeting go for you?")
    # Two parents' forms were submitted (rows 2 and 7); row 4's is unsent, the rest other years
    assert parents[0] == [
        "Was the meeting explained to you before it?",
        "50.0% 1 of 2",  # yes
        "50.0% 1 of 2",  # partly
        "0.0% 0 of 2",  # no
    ]
    by_question = {row[0]: row[1:] for row in parents}
    assert by_question["Did you feel listened to?"] == [
        "100.0% 2 of 2",
        "0.0% 0 of 2",
        "0.0% 0 of 2",
    ]
    assert by_question["Were you treated with respect?"] == [  # only row 2 answered: "no"
        "0.0% 0 of 1",
        "0.0% 0 of 1",
        "100.0% 1 of 1",
    ]
    assert by_question["Did you get the reports in time to read them?"] == ["– 0 of 0"] * 3
    young = page.table("How did your meeting go?")
    assert {row[0]: row[1:] for row in young}["Did you feel listened to?"] == [
        "0.0% 0 of 1",
        "100.0% 1 of 1",
        "0.0% 0 of 1",
    ]
    assert "2 forms submitted" in page.text


def test_comments_are_listed_without_names_or_case_references(
    officer: PageClient, year_of_feedback: None
) -> None:
    page = officer.get("/reports/feedback?year=2024")
    assert "5 comments" in page.text
    comments = [
        (
            " ".join(item.select_one(".heard-comment__where").get_text(" ").split()),
            item.select_one(".heard-comment__text").get_text(),
        )
        for item in page.soup.select(".heard-comment")
    ]
    assert comments == [
        ("Q1 · How did the meeting go for you? · Was the meeting explained to you before it?",
         "The chair phoned me first"),
        ("Q1 · How did the meeting go for you? · What could we do better?",
         "More time to read the reports"),
        ("Q2 · How did your meeting go? · What could make meetings better for young people?",
         "Shorter meetings please"),
        ("Q4 · How did the meeting go for you? · What could we do better?", FORMULA),
        ("Q4 · How did the meeting go for you? · Added after sending", "Thank you for listening"),
    ]  # fmt: skip
    assert "Names and case references in the comments have been removed automatically" in page.text
    assert "do not share the comments beyond the participation team" in page.text
    for secret in (*NAMES, *CASE_REFERENCES, "SECRET UNSUBMITTED", "OUTSIDE THE YEAR", "Views are"):
        assert secret not in page.text


def test_csv_and_xlsx_hold_every_table_as_on_the_page(
    officer: PageClient, year_of_feedback: None
) -> None:
    page = officer.get("/reports/feedback?year=2024")
    assert page.link("CSV") == "/reports/feedback.csv?year=2024"
    assert page.link("XLSX") == "/reports/feedback.xlsx?year=2024"

    export = officer.get("/reports/feedback.csv?year=2024")
    assert export.status == 200
    assert export.response.mimetype == "text/csv"
    text = export.response.get_data(as_text=True)
    sections = csv_sections(text)
    assert list(sections) == [
        "Response funnel",
        "Response rate by form",
        "Response rate by channel",
        "Response rate by quarter",
        "Given another way",
        "Quick ratings",
        "Replies by text",
        "You said, we did",
        "Answers",
        "Comments",
    ]
    assert sections["Response funnel"][1:] == [
        ["Sent", "8", "8", "100.0"],
        ["Delivered", "7", "8", "87.5"],
        ["Opened", "7", "8", "87.5"],
        ["Started", "6", "8", "75.0"],
        ["Submitted", "5", "8", "62.5"],
    ]
    assert sections["Response rate by quarter"][1:] == [
        ["Q1", "2", "4", "50.0"],
        ["Q2", "1", "2", "50.0"],
        ["Q3", "0", "0", ""],
        ["Q4", "2", "2", "100.0"],
    ]
    assert sections["Quick ratings"][-1] == ["mean", "3.7", "", ""]
    assert [
        "How did the meeting go for you?",
        "Was the meeting explained to you before it?",
        "Partly",
        "1",
        "2",
        "50.0",
    ] in sections["Answers"]
    # A comment that looks like a formula is written as text
    assert ["How did the meeting go for you?", "Q4", "What could we do better?", "'" + FORMULA] in (
        sections["Comments"]
    )
    for secret in (*NAMES, *CASE_REFERENCES, "SECRET UNSUBMITTED"):
        assert secret not in text

    xlsx = officer.get("/reports/feedback.xlsx?year=2024")
    assert xlsx.status == 200
    workbook = load_workbook(io.BytesIO(xlsx.response.get_data()))
    assert workbook.sheetnames == list(sections)
    rows = [list(row) for row in workbook["Response rate by channel"].iter_rows(values_only=True)]
    assert rows == [
        ["channel", "submitted", "sent", "percent"],
        ["Text message", 4, 5, 80.0],  # numbers, as in the participation export
        ["Email", 1, 3, 33.3],
    ]
    funnel = list(workbook["Response funnel"].iter_rows(min_row=2))
    assert [row[3].data_type for row in funnel] == ["n"] * 5
    assert funnel[0][3].number_format == "0.0"  # 100 shown as 100.0
    assert list(workbook["Quick ratings"].iter_rows(values_only=True))[-1] == (
        "mean", 3.7, None, None
    )  # fmt: skip
    comments = list(workbook["Comments"].iter_rows())
    (formula_cell,) = [row[3] for row in comments if FORMULA in str(row[3].value)]
    assert formula_cell.value == "'" + FORMULA
    assert formula_cell.data_type == "s"  # text, never a formula
    everything = " ".join(str(v) for sheet in workbook for r in sheet.values for v in r if v)
    for secret in (*NAMES, *CASE_REFERENCES):
        assert secret not in everything
    assert len(comments) == 6  # the header and 5 comments


@pytest.mark.parametrize(
    "query",
    ["year=abc", "year=99999", "year=1999", "form=letters", "channel=pigeon", "year=2024&form=x"],
)
def test_a_bad_query_is_a_clear_400(officer: PageClient, query: str) -> None:
    page = officer.get(f"/reports/feedback?{query}")
    assert page.status == 400
    assert page.title.startswith("Error:")
    (message,) = page.error_summary
    assert message.startswith(("Choose the", "Enter a financial year from 2000 to"))
    assert officer.get(f"/reports/feedback.csv?{query}").status == 400


def test_an_empty_year_shows_dashes(officer: PageClient) -> None:
    page = officer.get("/reports/feedback?year=2020")
    assert page.status == 200
    assert page.table("Response funnel")[4] == ["Submitted", "– 0 of 0"]
    assert "No comments." in page.text
    assert "No ratings." in page.text


def test_the_feedback_forms_have_single_choices_only() -> None:
    """The report counts single choices in SQL; a "select all" question would need counting."""
    for questionnaire in (PARENT_FEEDBACK, YOUNG_PERSON_FEEDBACK, CHILD_FEEDBACK):
        assert {question.kind for question in questionnaire.questions} <= {"choice", "text"}


@pytest.mark.parametrize("year", ["²", "9" * 5000, "-1", "٢٠٢٤", "20245", " 2024x"])
def test_a_year_that_is_not_four_plain_digits_is_a_400(officer: PageClient, year: str) -> None:
    for path in ("/reports/feedback", "/reports/feedback.csv", "/reports/feedback.xlsx"):
        page = officer.get(f"{path}?year={quote(year)}")
        assert page.status == 400, path
        assert page.error_summary[0].startswith("Enter a financial year from 2000 to")


def test_the_mean_rating_rounds_halves_up_exactly(officer: PageClient) -> None:
    """Ratings 5, 4, 2, 2: mean 13 / 4 = 3.25, shown 3.3 (a float would round it to 3.2)."""
    conference = held_on("2024-05-01", "CASE-0001")
    for rating in (5, 4, 2, 2):
        person = member(conference, Channel.SMS)
        invite(conference, person, FormKind.FEEDBACK, Channel.SMS, rating=rating)
    page = officer.get("/reports/feedback?year=2024")
    assert "Mean rating: 3.3." in page.text
    sections = csv_sections(officer.get("/reports/feedback.csv?year=2024").response.get_data(True))
    assert sections["Quick ratings"][-1] == ["mean", "3.3", "", ""]


@pytest.fixture
def named_comment() -> None:
    """One family's feedback naming the mother (first name), the child (surname, in lower case),
    the social worker, the chair and the case reference (as on record and in its shape); another
    family's names, in the same year, which must stay (they are not that conference's)."""
    chair = make_staff(Role.CHAIR, full_name="Morwenna Tregarthen")
    conference = held_on("2024-05-01", "CP/2024/0412")
    conference.chair_id = chair.id
    conference.social_worker_name = "Ms Oluwaseun Adeyemi"
    db.session.commit()
    add_child(conference, first_name="Zebedee", last_name="Pennyworth")
    mother = member(conference, Channel.SMS, first_name="Rosalind", last_name="Pennyworth-Gray")
    add_family_member(conference, first_name="J", last_name="Kowalczyk")  # an initial: kept
    other = held_on("2024-05-02", "CP/2024/0413")
    member(other, Channel.SMS, first_name="Fenella", last_name="Hobbes")
    answered = invite(
        conference, mother, FormKind.FEEDBACK, Channel.SMS, delivered=True, opened=True,
        started=True, submitted=True,
    )  # fmt: skip
    respond(
        answered,
        "parent_feedback",
        {
            "do_better": {
                "text": "ROSALIND here: the pennyworth children (case CP/2024/0412, also "
                "cp-2023-0007) liked Ms Adeyemi; Morwenna Tregarthen chaired. J and I met Fenella."
            }
        },
        additions=("Bell\x07 rosalind again, Gray family, CP 2024 0412",),
    )


REDACTED = (
    "[name] here: the [name] children (case [case reference], also [case reference]) liked "
    "Ms [name]; [name] chaired. J and I met Fenella."  # the chair's two names: one [name]
)
REDACTED_ADDITION = "Bell [name] again, [name] family, [case reference]"
SECRETS = (
    "rosalind", "pennyworth", "zebedee", "adeyemi", "oluwaseun", "tregarthen", "morwenna",
    "cp/2024/0412", "cp-2023-0007", "cp 2024 0412", "gray",
)  # fmt: skip


def test_comments_have_names_and_case_references_removed(
    officer: PageClient, named_comment: None
) -> None:
    page = officer.get("/reports/feedback?year=2024")
    texts = [item.get_text() for item in page.soup.select(".heard-comment__text")]
    assert texts == [REDACTED, "Bell\x07 [name] again, [name] family, [case reference]"]
    for secret in SECRETS:
        assert secret not in page.text.lower()

    text = officer.get("/reports/feedback.csv?year=2024").response.get_data(as_text=True)
    assert csv_sections(text)["Comments"][1][3] == REDACTED
    for secret in SECRETS:
        assert secret not in text.lower()

    xlsx = officer.get("/reports/feedback.xlsx?year=2024")
    assert xlsx.status == 200  # the bell character is left out, not a 500
    workbook = load_workbook(io.BytesIO(xlsx.response.get_data()))
    comments = [row[3] for row in workbook["Comments"].iter_rows(min_row=2, values_only=True)]
    assert comments == [REDACTED, REDACTED_ADDITION]
    everything = " ".join(str(v) for sheet in workbook for r in sheet.values for v in r if v)
    for secret in SECRETS:
        assert secret not in everything.lower()
