"""Migration 0025: person_merge and the audit action "merge", down and up again."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import AuditAction, AuditEvent, PersonMerge
from tests.integration.test_migrations import _differences, _raw, _revision_of


def test_merges_downgrade_to_the_updates_they_also_were_and_upgrade_again() -> None:
    revision = _revision_of("Merging two records of one person")
    db.session.add(
        AuditEvent(action=AuditAction.MERGE, record_type="child", record_id=7, fields="merged")
    )
    db.session.add(PersonMerge(record_type="child", kept_id=3, removed_id=7, removed_record="{}"))
    db.session.commit()
    db.session.remove()

    downgrade(revision=revision.down_revision)
    assert "person_merge" not in db.inspect(db.engine).get_table_names()
    assert _raw("SELECT action, record_id FROM audit_event") == [("update", 7)]
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO audit_event (occurred_at, action, record_type, fields) "
            "VALUES ('2026-12-01 10:00:00', 'merge', 'child', '')"
        )

    upgrade()
    db.session.add(AuditEvent(action=AuditAction.MERGE, record_type="child", fields=""))
    db.session.commit()
    assert _differences() == []
