"""Data encryption keys: ``flask keys new`` makes one, ``flask keys rotate`` reseals everything
under the newest.

A key is rotated in four steps: put a new key first in ``DATA_ENCRYPTION_KEYS`` (the old one
stays after it, so what it sealed still opens), deploy, run ``flask keys rotate``, then drop the
old key. The sealed columns are found by walking the models' metadata for the sealed types, so a
column sealed later is rotated without anyone adding it here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import JSON, Column, Table, Text, bindparam, select, tuple_, type_coerce, update
from sqlalchemy.types import TypeEngine

from portal.attachments import content_hmac, write_whole
from portal.audit.services import record_event
from portal.crypto import DataKeyError, EncryptedText, SealedJSON, data_cipher, is_sealed, seal
from portal.extensions import db
from portal.models import Attachment, AuditAction, Base, Drawing, RecordType
from portal.models.base import table_of

FILES = "attachment files"  # an advocate's uploads and a child's drawings alike


@dataclass
class RotationResult:
    # table (or FILES) -> values (or files) resealed under the newest key by this run
    resealed: dict[str, int] = field(default_factory=dict)
    # table (or FILES) -> already under the newest key (an earlier, interrupted run)
    current: dict[str, int] = field(default_factory=dict)
    files_missing: int = 0


def sealed_columns() -> dict[Table, list[Column[Any]]]:
    """Every column holding sealed values, by table."""
    found: dict[Table, list[Column[Any]]] = {}
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, EncryptedText | SealedJSON)]
        if columns:
            found[table] = columns
    return found


class _Resealer:
    """Reseals one token under the newest key, or says it already is."""

    def __init__(self) -> None:
        self.newest = Fernet(current_app.config["DATA_ENCRYPTION_KEYS"][0].encode())
        self.cipher = data_cipher()

    def token(self, token: bytes) -> bytes | None:
        """The token resealed under the newest key; None if it is already."""
        try:
            self.newest.decrypt(token)
            return None
        except InvalidToken:
            pass
        try:
            return self.cipher.rotate(token)
        except InvalidToken:
            raise DataKeyError(
                "A stored value cannot be opened with any key in DATA_ENCRYPTION_KEYS: "
                "put back the key it was sealed with, then rotate again"
            ) from None

    def text(self, value: Any) -> tuple[Any, int, int]:
        """(new value, resealed, already current) for one stored text."""
        if not isinstance(value, str) or not value:
            return value, 0, 0
        resealed = self.token(value.encode("ascii"))
        return (value, 0, 1) if resealed is None else (resealed.decode("ascii"), 1, 0)

    def value(self, column_type: TypeEngine[Any], stored: Any) -> tuple[Any, int, int]:
        if isinstance(column_type, SealedJSON):
            if not isinstance(stored, dict):
                return stored, 0, 0
            new, resealed, current = dict(stored), 0, 0
            for key in column_type.sealed_keys:
                if key in stored:
                    new[key], more, same = self.text(stored[key])
                    resealed, current = resealed + more, current + same
            return new, resealed, current
        return self.text(stored)


def _raw_type(column: Column[Any]) -> TypeEngine[Any]:
    """The column's stored type: read and written as it is, never sealed or opened again."""
    return JSON() if isinstance(column.type, SealedJSON) else Text()


def _batches(
    table: Table, columns: list[Any], batch_size: int
) -> Iterator[Sequence[Sequence[Any]]]:
    """The table's rows (primary key first, then ``columns``), a batch at a time, in key order.

    Each batch is locked until its commit (FOR UPDATE on PostgreSQL), so an edit made while the
    rotation runs is never overwritten by the value it read before.
    """
    keys = list(table.primary_key.columns)
    last: tuple[Any, ...] | None = None
    while True:
        query = select(*keys, *columns).order_by(*keys).limit(batch_size).with_for_update()
        if last is not None:
            query = query.where(tuple_(*keys) > tuple_(*last))
        rows = db.session.execute(query).all()
        if not rows:
            return
        yield rows
        last = tuple(rows[-1][: len(keys)])


def _rotate_table(
    table: Table, columns: list[Column[Any]], resealer: _Resealer, batch_size: int
) -> tuple[int, int]:
    keys = list(table.primary_key.columns)
    raw = [type_coerce(column, _raw_type(column)) for column in columns]
    statement = (
        update(table)
        .where(*(key == bindparam(f"key_{key.name}") for key in keys))
        .values({c.name: bindparam(f"new_{c.name}", type_=_raw_type(c)) for c in columns})
    )
    resealed = current = 0
    for rows in _batches(table, raw, batch_size):
        changed = []
        for row in rows:
            values, more = {}, 0
            for column, stored in zip(columns, row[len(keys) :], strict=True):
                values[column.name], count, same = resealer.value(column.type, stored)
                more, current = more + count, current + same
            resealed += more
            if more:
                changed.append(
                    {f"key_{k.name}": row[i] for i, k in enumerate(keys)}
                    | {f"new_{name}": value for name, value in values.items()}
                )
        if changed:
            db.session.execute(statement, changed)
        db.session.commit()
    return resealed, current


def _rotate_files(resealer: _Resealer, batch_size: int, result: RotationResult) -> tuple[int, int]:
    """Each attachment file and child's drawing resealed in place (whole or not at all)."""
    resealed = current = 0
    for model in (Attachment, Drawing):
        more, same = _rotate_files_of(model, resealer, batch_size, result)
        resealed, current = resealed + more, current + same
    return resealed, current


def _rotate_files_of(
    model: type[Attachment] | type[Drawing],
    resealer: _Resealer,
    batch_size: int,
    result: RotationResult,
) -> tuple[int, int]:
    """Each file of one kind resealed in place (whole or not at all), and its keyed digest
    recomputed under the newest key. A file left unsealed (say the upgrade ran where the files
    were not) is sealed."""
    folder = Path(current_app.config["ATTACHMENT_DIR"])
    table = table_of(model)
    digest = (
        update(table)
        .where(table.c.id == bindparam("key_id"))
        .values(content_hmac=bindparam("new_digest"))
    )
    resealed = current = 0
    columns = [table.c.storage_name, table.c.content_hmac]
    for rows in _batches(table, columns, batch_size):
        digests = []
        for attachment_id, storage_name, stored_digest in rows:
            try:
                data = (folder / storage_name).read_bytes()
            except FileNotFoundError:
                result.files_missing += 1
                continue
            if is_sealed(data):
                token = resealer.token(data)
                plain = resealer.newest.decrypt(data if token is None else token)
            else:
                plain, token = data, seal(data)
            if token is None:
                current += 1
            else:
                write_whole(folder / storage_name, token)
                resealed += 1
            if content_hmac(plain) != stored_digest:
                digests.append({"key_id": attachment_id, "new_digest": content_hmac(plain)})
        if digests:
            db.session.execute(digest, digests)
        db.session.commit()
    return resealed, current


def rotate(
    batch_size: int = 500, report: Callable[[str], None] = lambda line: None
) -> RotationResult:
    """Reseal every sealed value and attachment file under the newest key, committing each
    batch: safe to stop and run again (what is already under the newest key is left)."""
    resealer = _Resealer()
    result = RotationResult()
    for table, columns in sealed_columns().items():
        resealed, current = _rotate_table(table, columns, resealer, batch_size)
        result.resealed[table.name], result.current[table.name] = resealed, current
        report(f"  {table.name}: {resealed} resealed, {current} already under the newest key")
    resealed, current = _rotate_files(resealer, batch_size, result)
    result.resealed[FILES], result.current[FILES] = resealed, current
    report(f"  {FILES}: {resealed} resealed, {current} already under the newest key")
    record_event(
        AuditAction.UPDATE,
        RecordType.DATA_KEYS,
        None,
        fields=[name.replace(" ", "_") for name, count in result.resealed.items() if count],
    )
    db.session.commit()
    return result


keys_cli = AppGroup("keys", help="Data encryption keys (DATA_ENCRYPTION_KEYS).")


@keys_cli.command("new")
def new_key_command() -> None:
    """Print a new data encryption key, and how to bring it in."""
    click.echo(Fernet.generate_key().decode())
    click.echo(
        "\nTo start sealing with it: put it FIRST in DATA_ENCRYPTION_KEYS, keeping the old keys\n"
        "after it (comma-separated, newest first), deploy, then run `flask keys rotate`.\n"
        "Drop an old key only once the rotation has finished. Keep the key out of the\n"
        "database and its backups. In development the keys are in instance/data_keys."
    )


@keys_cli.command("rotate")
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows per transaction.",
)
def rotate_command(batch_size: int) -> None:
    """Reseal every sealed value and attachment file under the newest key (the first in
    DATA_ENCRYPTION_KEYS). Safe to stop and run again."""
    click.echo("Resealing under the newest key:")
    try:
        result = rotate(batch_size, report=click.echo)
    except DataKeyError as error:  # what was done so far is committed: run again once fixed
        raise click.ClickException(str(error)) from None
    if result.files_missing:
        click.echo(f"  attachment files missing from disk: {result.files_missing}")
    click.echo("Done. Every value now opens with the newest key alone: the old keys can go.")
