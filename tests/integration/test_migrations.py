"""The schema comes from the migrations, and the migrations match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal.extensions import db


def _differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
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
