"""What the reports say, found trying them as a new user would (issue 13): the same years in every
report, plain words for the settings, "1 form" not "1 forms", one pattern for the file names,
and the rating scale in the words the feedback text used."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from portal.extensions import db
from portal.family_forms.childrens_questions import YOUNG_PERSON_FEEDBACK
from portal.messaging.default_wording import ENGLISH
from portal.models import (
    Answer,
    ConferenceStatus,
    FormKind,
    FormResponse,
    Invitation,
    MessageKind,
    Relationship,
    Role,
)
from portal.reports.quarters import current_financial_year
from tests.factories import add_child, add_family_member, make_conference
from tests.pages import Page, PageClient

REPORTS = ("/reports/participation", "/reports/activity", "/reports/feedback")
AT = datetime(2024, 6, 10, 10, tzinfo=UTC)


@pytest.fixture
def officer(signed_in: Callable[..., PageClient]) -> PageClient:
    return signed_in(Role.PARTICIPATION_OFFICER)


def _held_in_2024_with_one_feedback_form() -> None:
    conference = make_conference(starts_in=AT - datetime.now(UTC), status=ConferenceStatus.HELD)
    child = add_child(conference, first_name="Ola")
    member = add_family_member(
        conference, first_name="Ola", relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    invitation = Invitation(
        conference_id=conference.id,
        family_member_id=member.id,
        form=FormKind.FEEDBACK,
        token_salt=secrets.token_hex(16),
        token_hash=secrets.token_hex(32),
        expires_at=AT + timedelta(days=14),
        sent_at=AT,
        submitted_at=AT,
    )
    db.session.add(invitation)
    db.session.flush()
    first = YOUNG_PERSON_FEEDBACK.questions[0]
    db.session.add(
        FormResponse(
            invitation_id=invitation.id,
            questionnaire=YOUNG_PERSON_FEEDBACK.id,
            started_at=AT,
            submitted_at=AT,
            answers=[Answer(question_id=first.id, value={"choice": first.options[0][0]})],
        )
    )
    db.session.commit()


def _year_options(page: Page) -> list[tuple[str, str]]:
    return [
        (option["value"], option.get_text(strip=True))
        for option in page.soup.select("select#year option")
    ]


def test_every_report_offers_the_same_years(officer: PageClient) -> None:
    _held_in_2024_with_one_feedback_form()
    offered = [_year_options(officer.get(url)) for url in REPORTS]
    assert offered[0] == offered[1] == offered[2]
    this_year = current_financial_year()
    assert offered[0][0] == (str(this_year), f"April {this_year} to March {this_year + 1}")
    assert offered[0][-1] == ("2024", "April 2024 to March 2025")
    assert len(offered[0]) == this_year - 2024 + 1
    # A year asked for before the first record is offered too, by every report alike
    asked = [_year_options(officer.get(f"{url}?year=2019")) for url in REPORTS]
    assert asked[0] == asked[1] == asked[2]
    assert asked[0][-1] == ("2019", "April 2019 to March 2020")


def test_the_participation_page_names_no_setting(officer: PageClient) -> None:
    usual = officer.get("/reports/participation")
    chosen = officer.get("/reports/participation?min_child_age=8&method=mean-of-quarters")
    below = officer.get("/reports/participation?min_child_age=2")
    for page in (usual, chosen, below):
        assert not re.search(r"[A-Z]+_[A-Z_]+", page.text), page.text
    assert "(the service's usual age)" in usual.text
    assert "(the service's usual way)" in usual.text
    assert "(chosen here; the service's usual age is 4)" in chosen.text
    assert "(chosen here; the service's usual way is Pooled)" in chosen.text
    assert below.status == 400
    assert below.error_summary == [
        "The age cannot be below 4, the service's usual age: children younger than that were "
        "recorded as CP0 and have no code to count"
    ]


def test_one_form_is_one_form(officer: PageClient) -> None:
    _held_in_2024_with_one_feedback_form()
    page = officer.get("/reports/feedback?year=2024")
    assert "1 form submitted" in page.text
    assert "0 forms submitted" in page.text  # the parents' form: none
    assert not re.search(r"\b1 forms\b", page.text)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_export_is_named_the_same_way(officer: PageClient, fmt: str) -> None:
    names = []
    for url in REPORTS:
        export = officer.get(f"{url}.{fmt}?year=2024")
        assert export.status == 200, url
        names.append(export.response.headers["Content-Disposition"])
    assert names == [
        f'attachment; filename="heard-{report}-2024-2025.{fmt}"'
        for report in ("participation", "activity", "feedback")
    ]


def test_the_rating_scale_reads_as_the_feedback_text_put_it(officer: PageClient) -> None:
    text = ENGLISH.sms[MessageKind.FEEDBACK_INVITATION]
    scale = re.search(r"reply (1 \(\w+\) to 5 \(\w+\))", text)
    assert scale is not None, text
    page = officer.get("/reports/feedback?year=2024")
    assert scale[1] in page.text
    low, high = re.findall(r"\d \(\w+\)", scale[1])
    rows = [
        row.find("th").get_text(strip=True)
        for table in page.soup.select("table")
        if table.caption and "Quick ratings" in table.caption.get_text()
        for row in table.select("tbody tr")
    ]
    assert rows == [low, "2", "3", "4", high]
