"""Migration 0018: what was raised before one safety alert mechanism comes into it."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from portal.extensions import db
from portal.models import AlertSource, Role, SafetyAlert, SafetyAlertDelivery
from portal.safety.raising import raise_alert
from tests.factories import (
    add_advocate_record,
    add_child,
    add_contactable_member,
    add_form_response,
    make_conference,
    make_staff,
    refer,
)


def _raw(sql: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


def test_concerns_and_the_advocates_deliveries_survive_a_downgrade_and_come_back_open() -> None:
    advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(
        chair=make_staff(Role.CHAIR, email="chair.m@council.example"),
        social_worker_email="sw.m@council.example",
    )
    member = add_contactable_member(conference)
    response = add_form_response(conference, member, {"danger_now": {"choice": "yes"}})
    response.safety_concern_at = datetime.now(UTC)
    raise_alert(conference, AlertSource.DANGER_ANSWER, family_member=member, form_response=response)
    record = add_advocate_record(
        refer(conference, add_child(conference), advocate),
        safeguarding_concern_at=datetime.now(UTC),
    )
    raise_alert(
        conference, AlertSource.ADVOCATE_CONCERN, raised_by_staff=advocate, advocate_record=record
    )
    db.session.commit()
    record_id, advocate_id, member_id = record.id, advocate.id, member.id
    db.session.remove()

    downgrade(revision="0017")
    assert sorted(
        _raw("SELECT record_id, told, to_address, raised_by_id FROM safeguarding_alert")
    ) == [
        (record_id, "chair", "chair.m@council.example", advocate_id),
        (record_id, "social_worker", "sw.m@council.example", advocate_id),
    ]
    upgrade()

    alerts = db.session.scalars(select(SafetyAlert).order_by(SafetyAlert.source)).all()
    assert [(a.source, a.raised_by, a.state) for a in alerts] == [
        ("advocate_concern", "advocate", "open"),
        ("danger_answer", "family_member", "open"),
    ]
    # Open, as nobody acknowledged them; marked escalated, so no backlog goes to the duty team.
    assert all(a.escalated_at is not None for a in alerts)
    assert alerts[0].advocate_record_id == record_id
    assert alerts[0].raised_by_staff_id == advocate_id
    assert alerts[1].family_member_id == member_id
    told = db.session.scalars(select(SafetyAlertDelivery.told).order_by(SafetyAlertDelivery.told))
    assert list(told) == ["chair", "social_worker"]
