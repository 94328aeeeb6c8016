"""The error summary's links land on a box that takes focus, on every form with a GOV.UK date.

A date's fieldset (``#held_on``) cannot take focus, so its link names the first box in error
(``#held_on-month`` when only the month is missing), or the day box when the whole date is
wrong. Every other link on these pages is checked too: each must name an input, a select, a
text area or a button on the page. Issue 22, must-fix 3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from wtforms import Form

from portal.forms import GovDateField
from portal.models import ConferenceStatus, ConferenceType, Role
from tests.factories import (
    add_child,
    add_family_member,
    add_task,
    make_conference,
    make_staff,
    refer,
)
from tests.pages import Page, PageClient

FOCUSABLE = {"input", "select", "textarea", "button"}
DATE_PARTS = ("day", "month", "year")  # the boxes' ids: held_on-day, held_on-month, held_on-year


@dataclass
class DateForm:
    """A page with a date on it: ``open`` signs someone in and answers (client, url)."""

    form: str  # the form class, as module.Class
    open: Callable[[Any], tuple[PageClient, str]]
    field: str
    method: str = "post"
    others: dict[str, str] | None = None  # answers that make the date's own check run


def _add_a_child(signed_in):
    conference = make_conference()
    return signed_in(Role.COORDINATOR), f"/conferences/{conference.id}/children/new"


def _edit_a_child(signed_in):
    conference = make_conference()
    child = add_child(conference)
    return signed_in(Role.COORDINATOR), f"/conferences/{conference.id}/children/{child.id}/edit"


def _initial_conference():
    return make_conference(
        conference_type=ConferenceType.INITIAL, section_47_started_on=date.today()
    )


def _add_a_child_to_an_initial(signed_in):
    conference = _initial_conference()
    return signed_in(Role.COORDINATOR), f"/conferences/{conference.id}/children/new"


def _edit_a_child_on_an_initial(signed_in):
    conference = _initial_conference()
    child = add_child(conference)
    return signed_in(Role.COORDINATOR), f"/conferences/{conference.id}/children/{child.id}/edit"


def _set_up_a_conference(signed_in):
    return signed_in(Role.COORDINATOR), "/conferences/new"


def _edit_a_conference(signed_in):
    conference = make_conference()
    return signed_in(Role.COORDINATOR), f"/conferences/{conference.id}/edit"


def _record(signed_in):
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair, starts_in=timedelta(days=-1))
    add_child(conference, date_of_birth=date.today() - timedelta(days=3650))
    return signed_in(Role.CHAIR, user=chair), f"/conferences/{conference.id}/record"


def _add_a_contact(signed_in):
    advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(chair=make_staff(Role.CHAIR))
    referral = refer(conference, add_child(conference), advocate)
    return signed_in(Role.ADVOCATE, advocate), f"/advocacy/referrals/{referral.id}/contacts/new"


def _record_a_call(signed_in):
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair, starts_in=timedelta(days=3))
    call = add_task(conference, add_family_member(conference), "speak_to_chair")
    return signed_in(Role.CHAIR, user=chair), f"/conferences/{conference.id}/calls/{call.id}"


def _set_up_a_review(signed_in):
    conference = make_conference(status=ConferenceStatus.HELD, starts_in=timedelta(days=-1))
    return signed_in(Role.COORDINATOR), f"/conferences/{conference.id}/review"


def _find_a_person(signed_in):
    return signed_in(Role.COORDINATOR), "/people/"


def _audit_log(signed_in):
    return signed_in(Role.ADMIN), "/admin/audit/"


INITIAL = {"conference_type": "initial"}  # the section 47 date is asked for
DATE_FORMS = [
    DateForm("portal.people.forms.ChildForm", _add_a_child, "birth_date", others={"born": "born"}),
    DateForm("portal.people.forms.ChildForm", _edit_a_child, "birth_date", others={"born": "born"}),
    DateForm(
        "portal.people.forms.InitialChildForm",
        _add_a_child_to_an_initial,
        "birth_date",
        others={"born": "born"},
    ),
    DateForm(
        "portal.people.forms.InitialChildForm", _add_a_child_to_an_initial, "section_47_started_on"
    ),
    DateForm(
        "portal.people.forms.InitialChildForm", _edit_a_child_on_an_initial, "section_47_started_on"
    ),
    DateForm("portal.conferences.forms.ConferenceForm", _set_up_a_conference, "date"),
    DateForm(
        "portal.conferences.forms.ConferenceForm",
        _set_up_a_conference,
        "section_47_started_on",
        others=INITIAL,
    ),
    DateForm("portal.conferences.forms.EditConferenceForm", _edit_a_conference, "date"),
    DateForm(
        "portal.conferences.forms.EditConferenceForm",
        _edit_a_conference,
        "section_47_started_on",
        others=INITIAL,
    ),
    DateForm("portal.conferences.review_forms.ReviewForm", _set_up_a_review, "date"),
    DateForm("portal.people.directory_forms.FindPersonForm", _find_a_person, "date_of_birth"),
    DateForm("portal.recording.forms.RecordForm", _record, "held_on"),
    DateForm("portal.advocacy.forms.ContactForm", _add_a_contact, "contact_on"),
    DateForm(
        "portal.worklists.forms.ContactForm",
        _record_a_call,
        "contacted_on",
        others={"contacted": "yes"},
    ),
    DateForm("portal.audit.forms.AuditFilterForm", _audit_log, "from_date", method="get"),
    DateForm("portal.audit.forms.AuditFilterForm", _audit_log, "to_date", method="get"),
]

NEXT_YEAR = str(date.today().year + 1)
# (day, month, year) as typed -> the box the summary's link must name.
ANSWERS = [
    (("", "", ""), "day"),  # nothing: "Enter the date", or nothing wrong if it is optional
    (("", "3", "2020"), "day"),
    (("4", "", "2020"), "month"),
    (("4", "3", ""), "year"),
    (("", "", "2020"), "day"),
    (("4", "", ""), "month"),
    (("32", "3", "2020"), "day"),
    (("4", "13", "2020"), "month"),
    (("4", "3", "20"), "year"),
    (("4", "March", "2020"), "month"),
    (("30", "2", "2020"), "day"),  # each part could be right, but not together
    (("4", "3", "1999"), "day"),  # a real date its form refuses: the whole date is wrong
    (("31", "12", NEXT_YEAR), "day"),
]
# Answers some forms take: nothing for an optional date, a real date the form accepts.
MAY_BE_TAKEN = {("", "", ""), ("4", "3", "1999"), ("31", "12", NEXT_YEAR)}


def _send(client: PageClient, url: str, method: str, data: dict[str, Any]) -> Page:
    if method == "get":
        return client.get(url, query_string=data)
    return client.submit(url, data)


def _summary_links(page: Page) -> list[tuple[str, str]]:
    summary = page.soup.select_one(".govuk-error-summary")
    if summary is None:
        return []
    return [(" ".join(a.get_text(" ").split()), a["href"]) for a in summary.select("a")]


def _assert_focusable(soup: BeautifulSoup, href: str) -> None:
    assert href.startswith("#"), href
    target = soup.find(id=href[1:])
    assert target is not None, f"{href} is not on the page"
    assert target.name in FOCUSABLE or target.has_attr("tabindex"), f"{href} is a <{target.name}>"
    assert target.get("type") != "hidden", href
    assert not target.has_attr("disabled"), href


@pytest.mark.parametrize(
    ("typed", "part"), ANSWERS, ids=["-".join(a) or "empty" for a, _ in ANSWERS]
)
@pytest.mark.parametrize(
    "case", DATE_FORMS, ids=[f"{c.open.__name__[1:]}-{c.field}" for c in DATE_FORMS]
)
def test_a_dates_error_link_names_its_first_box_in_error(
    signed_in, case: DateForm, typed: tuple[str, str, str], part: str
) -> None:
    client, url = case.open(signed_in)
    page = _send(client, url, case.method, {case.field: list(typed), **(case.others or {})})
    assert page.status in {200, 400}  # a form in error is answered 400, the audit log 200

    # The parts' ids are the ones the links name: field-day, field-month, field-year.
    boxes = page.soup.select(f"#{case.field} input")
    assert [box["id"] for box in boxes] == [f"{case.field}-{unit}" for unit in DATE_PARTS]

    wanted = f"#{case.field}-{part}"
    date_links = [href for _, href in _summary_links(page) if href.startswith(f"#{case.field}")]
    if date_links:
        assert date_links == [wanted]
        assert f"#{case.field}" not in [href for _, href in _summary_links(page)]
    else:  # an optional date left empty, or a date in range for this form: no message
        assert typed in MAY_BE_TAKEN, f"{case.field} {typed}: no link to the date"
    for _, href in _summary_links(page):
        _assert_focusable(page.soup, href)


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for subclass in list(found):
        found |= _subclasses(subclass)
    return found


def _date_fields(cls: type) -> set[str]:
    """The form's dates, inherited ones included, but not one a subclass leaves out (None)."""
    names = {name for klass in cls.__mro__ for name in vars(klass)}
    return {
        name
        for name in names
        if getattr(getattr(cls, name, None), "field_class", None) is GovDateField
    }


def test_every_date_on_every_form_is_checked_here(app) -> None:
    """A new form with a GovDateField, or a new date on a form, goes into DATE_FORMS above.
    Left out: record_form()'s classes, made per conference from RecordForm (checked as that),
    and _HeldOnOnly, which reads the posted date and is never shown."""
    dates = {
        (f"{cls.__module__}.{cls.__qualname__}", field)
        for cls in _subclasses(Form)
        if cls.__module__.startswith("portal.")
        and cls.__qualname__ not in {"ConferenceRecordForm", "_HeldOnOnly"}
        for field in _date_fields(cls)
    }
    assert len(dates) >= 8
    assert dates == {(case.form, case.field) for case in DATE_FORMS}
