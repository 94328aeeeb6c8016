"""Declarative base: naming convention for constraints and a UTC datetime type."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, DateTime, Engine, MetaData, Result, Table, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

from config import Config

# The council's time zone: dates people see, and the dates the reports count by.
SERVICE_TIMEZONE = ZoneInfo(Config.TIMEZONE)

# Named constraints let Alembic drop and alter them on every database, SQLite included.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database.

    SQLite has no timezone type and hands back naive values; this type refuses naive input and
    always returns aware UTC datetimes, so comparisons behave the same on SQLite and PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite ignores foreign keys unless asked, per connection; PostgreSQL always checks."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def utcnow() -> datetime:
    return datetime.now(UTC)


# Expand, then contract (docs/development.md#migrations-expand-then-contract): columns
# ("table.column") and tables still in the schema that no model maps any more, so the release
# before the one that drops them runs on both schemas. A migration's `contracts` drops them a
# release later, and takes them off this list.
RETIRED: frozenset[str] = frozenset()


def not_retired(obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's include_object: leaves a RETIRED column or table (in the database, in no
    model) out of the comparison of the models with the schema, so nothing proposes its drop."""
    if not reflected or compare_to is not None:
        return True
    if kind == "column":
        return f"{obj.table.name}.{name}" not in RETIRED
    return kind != "table" or name not in RETIRED


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


# SQLAlchemy types these two loosely; the checks say what every caller already relies on.
def table_of(model: type[Base]) -> Table:
    """The model's table, for Core statements (typed as any FROM clause; ours are all tables)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. Session.execute is typed as returning a Result;
    for these statements it is a CursorResult, the one kind of result with a rowcount."""
    if not isinstance(result, CursorResult):
        raise TypeError("rows_matched needs the result of an UPDATE or DELETE")
    return result.rowcount


def render_migration_type(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Autogenerate writes UTCDateTime as the plain column type, so migrations need no app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and type(obj).__name__ == "EncryptedText":
        return "sa.Text()"  # sealed in Python (portal.crypto); the column is plain text
    if type_ == "type" and type(obj).__name__ == "SealedJSON":
        return "sa.JSON()"  # some keys sealed in Python (portal.crypto); the column is plain JSON
    return False
