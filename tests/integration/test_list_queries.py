"""Every staff page that lists rows sends as many queries for 12 cases as for 2 (no N+1): each
row's people, chair, advocate or conference come with the list, in SQL, not one query a row.

Each case is what the lists show: a conference held but not recorded, and one soon with a child
referred to an advocate, a family member not yet confirmed, one with a failed link and an open
task, a call for the chair and a safety alert; and an audit event and a member of staff. The
guard for the pack is in tests/integration/conferences/test_pack.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from portal.audit.services import record_event
from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.models import (
    AlertSource,
    AuditAction,
    Conference,
    ConferenceStatus,
    FormKind,
    MessageStatus,
    RecordType,
    Role,
    StaffUser,
    TextReply,
)
from portal.safety.raising import raise_alert
from tests.factories import (
    add_child,
    add_contactable_member,
    add_family_member,
    add_task,
    make_conference,
    make_staff,
    refer,
)


@dataclass
class Staff:
    coordinator: StaffUser
    chair: StaffUser
    advocate: StaffUser
    manager: StaffUser
    admin: StaffUser


def _add_cases(count: int, staff: Staff) -> None:
    born = date(date.today().year - 12, 1, 1)
    for _ in range(count):
        make_conference(staff.chair, starts_in=timedelta(days=-2))  # held, not recorded
        soon = make_conference(staff.chair, starts_in=timedelta(days=1))
        refer(soon, add_child(soon, date_of_birth=born), staff.advocate)
        refer(soon, add_child(soon, date_of_birth=born))  # not assigned yet
        add_family_member(soon)  # not confirmed
        member = add_contactable_member(soon)
        invitation = issue_invitation(soon, member, FormKind.VIEWS)
        db.session.flush()
        for message in invitation.messages:
            message.status = MessageStatus.FAILED
        add_task(soon, member, "interpreter", detail="Polish")
        add_task(soon, member, "speak_to_chair")
        raise_alert(soon, AlertSource.DANGER_ANSWER, family_member=member)
        record_event(AuditAction.VIEW, RecordType.CONFERENCE, soon.id, actor=staff.admin)
        db.session.add(TextReply(family_member_id=member.id, text="Who is this?"))  # no link
        # Held 87 days ago, its record not downloaded: retention (90 days) removes it soon
        make_conference(
            staff.chair,
            starts_in=timedelta(days=-87),
            conference_date=date.today() - timedelta(days=87),
            status=ConferenceStatus.HELD,
        )
        make_staff(Role.COORDINATOR)
        db.session.commit()


# (what, who reads it, its address, a POST made first when there is one)
PAGES = [
    ("conference list", "coordinator", "/conferences/", None),
    ("conference search", "coordinator", "/conferences/", {"q": "CP-"}),
    ("conferences a chair chairs", "chair", "/conferences/", None),
    ("referrals to assign", "manager", "/advocacy/referrals", None),
    ("an advocate's caseload", "advocate", "/advocacy/", None),
    ("coordinator's worklist", "coordinator", "/worklist", None),
    ("chair's worklist", "chair", "/worklist/chair", None),
    ("held but not recorded", "coordinator", "/worklist/not-recorded", None),
    ("contacts to confirm", "coordinator", "/worklist/contacts-to-confirm", None),
    ("links not sent or failed", "coordinator", "/worklist/links", None),
    ("tasks: needs to arrange", "coordinator", "/worklist/needs", None),
    ("safety alerts", "coordinator", "/safety-alerts/", None),
    ("failed messages", "coordinator", "/messages/failed", None),
    ("texts held against no one", "coordinator", "/safety-alerts/texts-to-no-one", None),
    ("records to download", "coordinator", "/worklist/records-to-download", None),
    ("audit log", "admin", "/admin/audit/", None),
    ("staff accounts", "admin", "/admin/staff", None),
]


def _queries(client, url: str) -> tuple[int, int]:
    """(statements sent, length of the page) for one GET."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        page = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert page.status == 200, url
    return len(statements), len(page.text)


@pytest.mark.parametrize(("what", "reader", "url", "search"), PAGES, ids=[p[0] for p in PAGES])
def test_a_list_sends_as_many_queries_for_many_rows_as_for_few(
    signed_in, what, reader, url, search
) -> None:
    staff = Staff(
        make_staff(Role.COORDINATOR),
        make_staff(Role.CHAIR),
        make_staff(Role.ADVOCATE),
        make_staff(Role.ADVOCATE, is_advocacy_manager=True),
        make_staff(Role.ADMIN),
    )
    user = getattr(staff, reader)
    client = signed_in(user.role, user)
    if search:
        assert client.submit(url, search, on=url).status in (302, 303)
    _add_cases(2, staff)
    few, few_length = _queries(client, url)
    _add_cases(10, staff)
    many, many_length = _queries(client, url)
    assert many_length > few_length, f"{what}: the rows added are not on the page"
    assert many == few, f"{what}: {few} queries for 2 cases, {many} for 12"


def test_a_conference_in_hand_is_seen_by_the_same_rule_as_the_query(app) -> None:
    """The links on a list ask ``sees_conference`` of each row instead of a query each: it
    answers as ``visible_conferences`` does, for every role."""
    from sqlalchemy import exists, select

    from portal.visibility import sees_conference, visible_conferences

    chair = make_staff(Role.CHAIR)
    conferences = [make_conference(chair), make_conference(make_staff(Role.CHAIR))]
    people = [make_staff(role) for role in Role]
    people += [chair, make_staff(Role.CHAIR, sees_all_conferences=True)]
    for user in people:
        for conference in conferences:
            query = select(
                exists().where(Conference.id == conference.id, visible_conferences(user))
            )
            assert sees_conference(user, conference) == db.session.scalar(query), user.role


@pytest.mark.parametrize(
    ("what", "role", "address"),
    [
        ("conference page", Role.COORDINATOR, "/conferences/{id}"),
        ("family views page", Role.COORDINATOR, "/conferences/{id}/family-views"),
    ],
)
def test_a_page_that_audits_what_it_shows_reads_it_once(signed_in, what, role, address) -> None:
    """The audit of who was seen is committed after the page has read them; the commit keeps what
    was read (``commit_views`` in portal/audit/services.py), so the children and adults are not
    read again, collection by collection, as the page shows them."""
    user = make_staff(role)
    conference = make_conference(user if role == Role.CHAIR else None, starts_in=timedelta(days=-1))
    for _ in range(3):
        add_child(conference, date_of_birth=date(date.today().year - 9, 1, 1))
        add_contactable_member(conference)
    db.session.commit()
    client = signed_in(role, user)
    statements: list[str] = []

    def before(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert client.get(address.format(id=conference.id)).status == 200, what
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    for table in ("conference_child", "conference_adult"):  # the collections, as loaded
        loads = [s for s in statements if s.startswith(f"SELECT {table}.conference_id, ")]
        assert len(loads) == 1, f"{what}: {table} loaded {len(loads)} times"
