"""The schema comes from the migrations, and the migrations match the models."""

import hashlib
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from portal.attachments import content_hmac, read_stored
from portal.crypto import is_sealed
from portal.extensions import db
from portal.models import (
    AdvocacySelfAssignment,
    AdvocateRecordVersion,
    Answer,
    AuditAction,
    AuditEvent,
    ChildPlan,
    ConferenceChild,
    ConferenceStatus,
    ContactLogEntry,
    HarmCategory,
    PlanOutcome,
    Role,
    StaffUser,
)
from portal.models.base import not_retired
from tests.factories import (
    TINY_PNG,
    add_advocate_record,
    add_attachment,
    add_child,
    add_contactable_member,
    add_form_response,
    make_conference,
    make_staff,
    refer,
)


def _head() -> str:
    """The newest revision in migrations/versions."""
    migrate = current_app.extensions["migrate"]
    return ScriptDirectory.from_config(
        migrate.migrate.get_config(migrate.directory)
    ).get_current_head()


def _differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": not_retired}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_then_models_and_migrations_agree() -> None:
    downgrade(revision="base")
    assert set(db.inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert {"conference", "child", "family_member", "staff_user", "audit_event"} <= set(
        db.inspect(db.engine).get_table_names()
    )
    assert _differences() == []


def test_upgrades_keep_the_data_already_there() -> None:
    """Later migrations rebuild tables on SQLite: rows and their links must survive."""
    downgrade(revision="base")
    upgrade(revision="0001")
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO conference (id, case_reference, conference_type, starts_at, format, "
            "status, created_at, updated_at) VALUES (1, 'CP-1', 'review', '2026-12-01 10:00:00', "
            "'virtual', 'scheduled', '2026-11-01 10:00:00', '2026-11-01 10:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO family_member (id, first_name, last_name, relationship, "
            "preferred_channel, language, access_needs, created_at, updated_at) VALUES "
            "(1, 'Jo', 'Bloggs', 'mother', 'none', 'English', '', '2026-11-01 10:00:00', "
            "'2026-11-01 10:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO conference_adult (conference_id, family_member_id, added_at) "
            "VALUES (1, 1, '2026-11-01 10:00:00')"
        )
    upgrade()
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT f.first_name, f.second_check, a.invitations_paused FROM family_member f "
            "JOIN conference_adult a ON a.family_member_id = f.id"
        ).all()
    assert [tuple(row) for row in rows] == [("Jo", "none", False)]
    with db.engine.begin() as connection:
        for table in ("conference_adult", "family_member", "conference"):
            connection.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 - fixed names


def _raw(sql: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


def test_0012_seals_what_is_there_opens_it_on_the_way_down_and_seals_it_again(
    app, tmp_path, monkeypatch
) -> None:
    """Rows and an attachment file written before encryption at rest are sealed in place by
    the upgrade; the downgrade opens them (and the file) again and puts back the plain SHA-256;
    a value the old VARCHAR(200) cannot hold stops the downgrade before it changes anything."""
    monkeypatch.setitem(app.config, "ATTACHMENT_DIR", str(tmp_path))
    conference = make_conference()
    child = add_child(conference)
    member = add_contactable_member(conference, access_needs="Step-free access, please")
    referral = refer(conference, child, make_staff(Role.ADVOCATE))
    add_advocate_record(referral, safeguarding_note="Said an adult hit them")
    db.session.add(
        ContactLogEntry(
            referral_id=referral.id, contact_on=date.today(), seen=True, place="At the park"
        )
    )
    attachment = add_attachment(referral)
    add_form_response(conference, member, {"help_needed": {"choices": ["bsl"], "text": "BSL"}})
    file = tmp_path / attachment.storage_name
    db.session.remove()

    downgrade(revision="0011")
    assert _raw("SELECT place FROM contact_log_entry") == [("At the park",)]
    assert _raw("SELECT access_needs FROM family_member") == [("Step-free access, please",)]
    assert _raw("SELECT safeguarding_note, wishes FROM advocate_record") == [
        ("Said an adult hit them", "To stay at my school")
    ]
    [(value,)] = _raw("SELECT value FROM answer")
    parsed = json.loads(value) if isinstance(value, str) else value  # PostgreSQL parses JSON
    assert parsed == {"choices": ["bsl"], "text": "BSL"}
    assert "To stay at my school" in str(_raw("SELECT content FROM advocate_record_version"))
    assert file.read_bytes() == TINY_PNG
    assert _raw("SELECT sha256 FROM attachment") == [(hashlib.sha256(TINY_PNG).hexdigest(),)]

    upgrade()
    [(place,)] = _raw("SELECT place FROM contact_log_entry")
    assert is_sealed(place.encode())
    assert "BSL" not in str(_raw("SELECT value FROM answer"))
    assert "bsl" in str(_raw("SELECT value FROM answer"))  # the choices stay countable
    assert "school" not in str(_raw("SELECT content FROM advocate_record_version"))
    assert is_sealed(file.read_bytes())
    assert _raw("SELECT content_hmac FROM attachment") == [(content_hmac(TINY_PNG),)]
    contact = db.session.scalars(select(ContactLogEntry)).one()
    assert contact.place == "At the park"
    assert db.session.scalars(select(Answer)).one().value == {"choices": ["bsl"], "text": "BSL"}
    version = db.session.scalars(select(AdvocateRecordVersion)).one()
    assert version.content["safeguarding_note"] == "Said an adult hit them"
    assert read_stored(tmp_path, attachment.storage_name) == TINY_PNG

    contact.with_whom = "x" * 201  # fine sealed (no length); too long for the old column
    db.session.commit()
    db.session.remove()
    [(head,)] = _raw("SELECT version_num FROM alembic_version")
    with pytest.raises(SystemExit):  # Flask-Migrate logs the RuntimeError's words and exits
        downgrade(revision="0011")
    # PostgreSQL undoes the whole refused downgrade (its DDL is transactional), so it is still
    # at the head, whatever number that has; SQLite keeps the later revisions' steps already
    # made, and stops at 0012 with nothing of 0012 changed.
    reached = _head() if db.engine.dialect.name == "postgresql" else "0012"
    assert _raw("SELECT version_num FROM alembic_version") == [(reached,)]
    assert is_sealed(file.read_bytes())
    assert db.session.scalars(select(ContactLogEntry)).one().place == "At the park"
    upgrade()  # the later revisions the refused downgrade had already undone


def test_0014_gives_temporary_passwords_already_out_an_end(monkeypatch) -> None:
    """An account still on an admin's temporary password when 0014 runs gets the usual time from
    then; the others have nothing to expire. The downgrade drops the column."""
    monkeypatch.setenv("TEMPORARY_PASSWORD_HOURS", "24")
    downgrade(revision="0013")
    with db.engine.begin() as connection:
        for number, temporary in ((1, True), (2, False)):
            connection.execute(
                text(
                    "INSERT INTO staff_user (id, email, full_name, role, password_hash, "
                    "is_active_account, sees_all_conferences, is_advocacy_manager, created_at, "
                    "must_change_password) VALUES (:id, :email, 'A Person', 'chair', 'x', "
                    "true, false, false, '2026-11-01 10:00:00', :temporary)"
                ),
                {"id": number, "email": f"person{number}@council.example", "temporary": temporary},
            )
    before = datetime.now(UTC)
    upgrade()
    user, other = db.session.get(StaffUser, 1), db.session.get(StaffUser, 2)
    assert before + timedelta(hours=24) <= user.temporary_password_expires_at
    assert user.temporary_password_expires_at <= datetime.now(UTC) + timedelta(hours=24)
    assert other.temporary_password_expires_at is None
    db.session.remove()
    downgrade(revision="0013")
    assert "temporary_password_expires_at" not in {
        column["name"] for column in db.inspect(db.engine).get_columns("staff_user")
    }
    upgrade()


def _revision_of(title: str) -> object:
    """A revision found by its title, not its number (numbers change when branches merge)."""
    migrate = current_app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    [found] = [rev for rev in script.walk_revisions() if rev.doc.startswith(title)]
    return found


def test_self_assignments_downgrade_to_the_change_of_advocate_they_also_were() -> None:
    """The reasons go with their table; the audit keeps who changed the advocate, as an update
    the older schema allows; upgraded again, the new action is allowed again."""
    revision = _revision_of("Advocacy managers assigning themselves after the start")
    conference = make_conference()
    referral = refer(conference, add_child(conference))
    manager = make_staff(Role.ADVOCATE, is_advocacy_manager=True)
    event = AuditEvent(
        actor_id=manager.id,
        action=AuditAction.SELF_ASSIGN,
        record_type="advocacy_referral",
        record_id=referral.id,
        fields="advocate_id,reason",
    )
    db.session.add(
        AdvocacySelfAssignment(
            referral_id=referral.id, manager_id=manager.id, reason="Covering", audit_event=event
        )
    )
    db.session.commit()
    manager_id = manager.id
    db.session.remove()

    downgrade(revision=revision.down_revision)
    assert "advocacy_self_assignment" not in db.inspect(db.engine).get_table_names()
    assert _raw("SELECT action, fields, actor_id FROM audit_event") == [
        ("update", "advocate_id", manager_id)
    ]
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO audit_event (occurred_at, action, record_type, fields) "
            "VALUES ('2026-12-01 10:00:00', 'self_assign', 'advocacy_referral', '')"
        )

    upgrade()
    db.session.add(
        AuditEvent(action=AuditAction.SELF_ASSIGN, record_type="advocacy_referral", fields="")
    )
    db.session.commit()
    assert _differences() == []


def test_a_family_member_s_language_code_is_checked_and_a_stray_one_becomes_other() -> None:
    """The upgrade turns a code outside the list into "other" (the name stays), then refuses
    one; the downgrade allows it again."""
    revision = _revision_of("A family member's language code is one the portal knows")
    conference = make_conference()
    add_contactable_member(conference)  # the only family member
    db.session.remove()

    downgrade(revision=revision.down_revision)
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE family_member SET language_code = 'xx', language = 'Tigrinya'"
        )

    upgrade()
    assert _raw("SELECT language_code, language FROM family_member") == [("other", "Tigrinya")]
    with db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE family_member SET language_code = 'pl'")
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE family_member SET language_code = 'xx'")
    # The other checks on the table survive its rebuild (SQLite)
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE family_member SET mobile = '07700900111'")
    assert _differences() == []

    downgrade(revision=revision.down_revision)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE family_member SET language_code = 'xx'")
    upgrade()


def test_plans_are_derived_from_the_outcomes_already_recorded() -> None:
    """0024 gives existing records their plans, by the rules of portal/plans/services.py: a
    plan started, continued, ended, and a repeat plan still open; dates as dates on SQLite."""
    revision = _revision_of(
        "Plans as records, each child's own section 47 date, reasons for delay, and the case-record"
    )
    steps = [
        (-400, PlanOutcome.STARTED, HarmCategory.NEGLECT),
        (-310, PlanOutcome.CONTINUED, HarmCategory.NEGLECT),
        (-130, PlanOutcome.ENDED_CHILD_IN_NEED, None),
        (-30, PlanOutcome.STARTED, HarmCategory.EMOTIONAL),
    ]
    conferences = [
        make_conference(
            starts_in=timedelta(days=days),
            status=ConferenceStatus.HELD,
            section_47_started_on=date(2025, 1, 6),
        )
        for days, _outcome, _category in steps
    ]
    child = add_child(conferences[0])
    for conference, (_days, outcome, category) in zip(conferences, steps, strict=True):
        if conference is not conferences[0]:
            conference.children.append(ConferenceChild(child_id=child.id))
        db.session.flush()
        link = db.session.get(ConferenceChild, (conference.id, child.id))
        link.plan_outcome, link.harm_category = outcome, category
    db.session.commit()
    days = [conference.conference_date for conference in conferences]
    ids = [conference.id for conference in conferences]
    db.session.remove()

    downgrade(revision=revision.down_revision)
    upgrade()

    assert [
        (
            plan.category,
            plan.started_on,
            plan.started_conference_id,
            plan.ended_on,
            plan.end_outcome,
        )
        for plan in db.session.scalars(select(ChildPlan).order_by(ChildPlan.started_on))
    ] == [
        (HarmCategory.NEGLECT, days[0], ids[0], days[2], PlanOutcome.ENDED_CHILD_IN_NEED),
        (HarmCategory.EMOTIONAL, days[3], ids[3], None, None),
    ]
    # Each child's own section 47 date starts as their conference's
    assert db.session.scalars(select(ConferenceChild.section_47_started_on).distinct()).all() == [
        date(2025, 1, 6)
    ]
