"""Worklists (issue 13, part 4): the coordinator's home counts what needs doing, each count a
link to its list; the chair's home shows their conferences soon with the pack's readiness, their
calls and their records to complete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.models import (
    AlertSource,
    AlertState,
    Channel,
    ConferenceStatus,
    FormKind,
    MessageStatus,
    PackItemRead,
    Role,
    TaskState,
)
from portal.safety.raising import raise_alert
from tests.factories import (
    add_advocate_record,
    add_child,
    add_contactable_member,
    add_family_member,
    add_form_response,
    add_task,
    make_conference,
    make_staff,
    refer,
)


def _counts(page) -> dict[str, int]:
    return {tag["data-count"]: int(tag.get_text()) for tag in page.soup.select("[data-count]")}


def _seed() -> dict[str, object]:
    """What each count should find, and what it should leave out."""
    now = datetime.now(UTC)
    # Held, not recorded: one; recorded, cancelled and imported ones are not.
    unrecorded = make_conference(starts_in=timedelta(days=-2))
    make_conference(starts_in=timedelta(days=-3), status=ConferenceStatus.HELD, recorded_at=now)
    make_conference(starts_in=timedelta(days=-3), status=ConferenceStatus.CANCELLED)
    make_conference(starts_in=timedelta(days=-300), imported=True, status=ConferenceStatus.HELD)

    soon = make_conference(starts_in=timedelta(days=1))
    far = make_conference(starts_in=timedelta(days=30))
    unconfirmed = add_family_member(soon, first_name="Una")  # not confirmed, by text: counted
    confirmed = add_contactable_member(soon, first_name="Cora")  # confirmed; no link sent yet
    add_family_member(soon, first_name="Nell", preferred_channel=Channel.NONE)  # no route
    add_family_member(far, first_name="Fay")  # not confirmed, but not soon
    failed_member = add_contactable_member(far, first_name="Faye")
    invitation = issue_invitation(far, failed_member, FormKind.VIEWS)
    db.session.flush()
    for message in invitation.messages:
        message.status = MessageStatus.FAILED
    db.session.commit()

    add_task(soon, confirmed, "interpreter", detail="Polish")  # open: counted
    add_task(
        soon,
        unconfirmed,
        "access",
        state=TaskState.DONE,
        done_at=now,
        done_by_id=make_staff(Role.COORDINATOR).id,
    )
    add_task(soon, unconfirmed, "interpreter", state=TaskState.CANCELLED)
    add_task(unrecorded, add_family_member(unrecorded), "interpreter")  # started: too late
    add_task(soon, confirmed, "speak_to_chair")  # the chair's, not the coordinators'
    # Safety alerts: one open (counted), one acknowledged (not)
    open_alert, acknowledged = (
        raise_alert(far, AlertSource.DANGER_ANSWER, family_member=failed_member) for _ in "12"
    )
    assert open_alert is not None
    assert acknowledged is not None
    acknowledged.state, acknowledged.acknowledged_at = AlertState.ACKNOWLEDGED, now
    acknowledged.action_taken = "Phoned the mother"
    db.session.commit()
    return {"unrecorded": unrecorded, "soon": soon, "far": far}


def test_the_coordinators_counts_match_the_data_and_each_links_to_its_list(signed_in) -> None:
    seeded = _seed()
    coordinator = signed_in(Role.COORDINATOR)

    home = coordinator.get("/worklist")

    assert _counts(home) == {
        "worklists.unrecorded": 1,
        "worklists.unconfirmed": 1,
        "worklists.links": 3,  # Una and Cora not sent (soon); Faye's failed
        "worklists.needs": 1,
        "worklists.reviews_due": 0,
        "safety.index": 1,
        "worklists.records_due": 0,  # none held long enough ago (test_records_due.py)
    }
    unrecorded = coordinator.get(home.link("1 Conferences held but not recorded"))
    assert unrecorded.status == 200
    assert seeded["unrecorded"].case_reference in unrecorded.text
    assert seeded["soon"].case_reference not in unrecorded.text
    unconfirmed = coordinator.get("/worklist/contacts-to-confirm")
    assert "Una Tester" in unconfirmed.text
    assert not {"Cora", "Nell", "Fay "} & set(unconfirmed.text.split())
    links = coordinator.get("/worklist/links")
    assert "Una Tester" in links.text
    assert "Cora Tester" in links.text
    assert "Faye Tester" in links.text
    assert "Failed" in links.text
    assert "Nell" not in links.text
    assert "Fay Tester" not in links.text
    needs = coordinator.get("/worklist/needs")
    assert needs.text.count("Mark as arranged") == 1
    assert "Arrange an interpreter for Polish" in needs.text


def test_a_coordinator_starts_on_their_worklist_and_a_chair_on_theirs(signed_in) -> None:
    assert signed_in(Role.COORDINATOR).get("/").location == "/worklist"
    assert signed_in(Role.CHAIR).get("/").location == "/worklist/chair"


def test_the_chairs_home_shows_readiness_calls_and_records_to_complete(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    soon = make_conference(chair=chair, starts_in=timedelta(days=2))
    sent = add_contactable_member(soon, first_name="Sent")
    read = add_contactable_member(soon, first_name="Read")
    add_contactable_member(soon, first_name="Waiting")
    add_form_response(soon, sent, {"going_well": {"text": "Fine"}})
    read_response = add_form_response(soon, read, {"going_well": {"text": "Fine"}})
    db.session.add(
        PackItemRead(
            conference_id=soon.id,
            item_type="form_response",
            item_id=read_response.id,
            read_by_id=chair.id,
        )
    )
    add_advocate_record(refer(soon, add_child(soon), make_staff(Role.ADVOCATE)))
    add_task(soon, sent, "speak_to_chair")
    far = make_conference(chair=chair, starts_in=timedelta(days=40))
    others = make_conference(chair=make_staff(Role.CHAIR), starts_in=timedelta(days=2))
    to_record = make_conference(chair=chair, starts_in=timedelta(days=-1))
    db.session.commit()

    home = signed_in(Role.CHAIR, chair).get("/worklist/chair")

    row = home.soup.select_one(f'[data-conference="{soon.id}"]')
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells[1:] == ["3", "1", "2"]  # in: 2 views + 1 record; missing: 1; unread: 1 + 1
    assert far.case_reference not in home.text
    assert others.case_reference not in home.text
    assert "Sent Tester, mother" in home.text
    assert "Record the call" in home.text
    assert home.link(f"Record {to_record.case_reference}") == (
        f"/conferences/{to_record.id}/record"
    )
