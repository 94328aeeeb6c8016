"""Expand, then contract (docs/development.md#migrations-expand-then-contract): no migration drops
or renames a column or table that the code of the previous release still maps, so the old
instances keep serving while a new release migrates the database and rolls out.

Each migration's upgrade() is read for what it removes (op.drop_column, op.alter_column with
new_column_name, op.drop_table, op.rename_table, their batch_alter_table forms, and DROP/RENAME
in SQL); each removal must be declared in the migration's ``contracts`` and be mapped neither by
the current models nor by the models of the previous release (that commit's portal.models,
imported in a process of its own).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config import PROJECT_ROOT
from tests.helpers.migration_contracts import (
    current_schema,
    previous_release,
    problems,
    read_migration,
    schema_at,
)

VERSIONS = PROJECT_ROOT / "migrations" / "versions"
# The rule holds from the migration after this one. What earlier migrations removed, they removed
# in the release that stopped using it (before the rule): read here, so the reader is seen to
# find real removals.
RULE_AFTER = "0032"
REMOVED_BEFORE_THE_RULE = {"0012": {"attachment.sha256"}, "0018": {"safeguarding_alert"}}


def _migrations() -> list[Path]:
    return sorted(VERSIONS.glob("[0-9]*.py"))


def test_every_migration_since_the_rule_removes_only_what_no_released_code_maps() -> None:
    now = current_schema()
    found = []
    for path in _migrations():
        migration = read_migration(path)
        if migration.revision <= RULE_AFTER:
            continue
        if migration.removes or migration.contracts:
            found += problems(migration, now, schema_at(previous_release(path)))
    assert found == []


def test_the_reader_finds_what_earlier_migrations_removed() -> None:
    removed = {}
    for path in _migrations():
        migration = read_migration(path)
        assert migration.revision, path
        if migration.removes and migration.revision <= RULE_AFTER:
            removed[migration.revision] = migration.removes
    assert removed == REMOVED_BEFORE_THE_RULE


def _throwaway(folder: Path, upgrade: str, contracts: str = "") -> Path:
    path = folder / "0099_throwaway.py"
    path.write_text(
        '"""A throwaway migration."""\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        "revision = '0099'\ndown_revision = '0032'\n"
        f"{contracts}\n\n"
        "def _helper():\n    op.execute('SELECT 1')\n\n"
        f"def upgrade():\n{upgrade}\n\n"
        "def downgrade():\n    op.drop_column('conference', 'case_reference')\n"
    )
    return path


# Each way of removing a column or table the current code maps.
REMOVALS = {
    "drop_column": (
        "    op.drop_column('conference', 'case_reference')",
        "conference.case_reference",
    ),
    "keyword drop_column": (
        "    op.drop_column(table_name='conference', column_name='case_reference')",
        "conference.case_reference",
    ),
    "batch drop_column": (
        "    with op.batch_alter_table('conference', schema=None) as batch_op:\n"
        "        batch_op.drop_column('case_reference')",
        "conference.case_reference",
    ),
    "rename": (
        "    op.alter_column('child', 'first_name', new_column_name='given_name')",
        "child.first_name",
    ),
    "batch rename": (
        "    with op.batch_alter_table('child') as batch:\n"
        "        batch.alter_column('first_name', new_column_name='given_name')",
        "child.first_name",
    ),
    "drop_table": ("    op.drop_table('audit_event')", "audit_event"),
    "rename_table": ("    op.rename_table('audit_event', 'audit_log')", "audit_event"),
    "SQL drop": (
        "    op.execute(sa.text('ALTER TABLE conference DROP COLUMN case_reference'))",
        "conference.case_reference",
    ),
    "SQL rename in a helper": (
        "    _helper()\n    _rename()\n\n"
        "def _rename():\n    op.execute('ALTER TABLE child RENAME COLUMN first_name TO x')",
        "child.first_name",
    ),
}


def test_a_removal_whose_name_cannot_be_read_fails_even_declared(tmp_path: Path) -> None:
    upgrade = (
        "    for table in ('conference', 'child'):\n"
        "        with op.batch_alter_table(table) as batch_op:\n"
        "            batch_op.drop_column('notes')"
    )
    migration = read_migration(_throwaway(tmp_path, upgrade, "contracts = ('?.notes',)"))
    assert migration.removes == {"?.notes"}
    assert problems(migration, current_schema(), current_schema()) == [
        "0099: removes ?.notes: write its table and column as literal strings"
    ]


@pytest.mark.parametrize("way", REMOVALS)
def test_a_migration_removing_what_the_code_still_maps_fails(tmp_path: Path, way: str) -> None:
    upgrade, name = REMOVALS[way]
    migration = read_migration(_throwaway(tmp_path, upgrade))
    assert migration.removes == {name}
    before = schema_at(previous_release(migration.path))  # HEAD: not committed
    assert problems(migration, current_schema(), before) == [
        f"0099: removes {name} without declaring it in contracts",
        f"0099: removes {name}, which the current models still map",
        f"0099: removes {name}, which the previous release's models map",
    ]
    # Declaring it changes nothing: the code still maps it.
    declared = read_migration(_throwaway(tmp_path, upgrade, f"contracts = ({name!r},)"))
    assert len(problems(declared, current_schema(), before)) == 2


def test_a_contract_fails_while_the_previous_release_still_maps_it(tmp_path: Path) -> None:
    """attachment.sha256 as 0012 dropped it: the current models no longer map it, but the code
    of the commit before 0012 did, so dropping it then broke the instances still on that code."""
    upgrade = "    op.drop_column('attachment', 'sha256')"
    contract = read_migration(_throwaway(tmp_path, upgrade, "contracts = ('attachment.sha256',)"))
    real = next(VERSIONS.glob("0012_*.py"))
    before_0012 = schema_at(previous_release(real))
    assert "sha256" in before_0012["attachment"]
    assert problems(contract, current_schema(), before_0012) == [
        "0099: removes attachment.sha256, which the previous release's models map"
    ]
    # A release later (the code no longer mapping it), the same contract is what the rule asks.
    assert problems(contract, current_schema(), current_schema()) == []
    undeclared = read_migration(_throwaway(tmp_path, upgrade))
    assert problems(undeclared, current_schema(), current_schema()) == [
        "0099: removes attachment.sha256 without declaring it in contracts"
    ]


def test_a_retired_column_stays_in_the_schema_unmapped_for_a_release(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The release between expand and contract: the column is still in the database, no model
    maps it, and listing it in RETIRED keeps the models-match-migrations check (and
    autogenerate) from asking for its drop before the next release."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from portal.extensions import db
    from portal.models import base

    if db.engine.dialect.name != "postgresql":
        # SQLite's DROP COLUMN failed to take the probe column out again in a full run, which
        # left it for the migration tests after this one: run where the change is transactional.
        pytest.skip("adds and drops a column of a shared table: run in the PostgreSQL pass")

    def differences() -> list[object]:
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": base.not_retired}
            )
            return compare_metadata(context, db.metadata)

    with db.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE conference ADD COLUMN old_note TEXT")
    try:
        assert [d[0] for d in differences()] == ["remove_column"]  # type: ignore[index]
        monkeypatch.setattr(base, "RETIRED", frozenset({"conference.old_note"}))
        assert differences() == []
    finally:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE conference DROP COLUMN old_note")
