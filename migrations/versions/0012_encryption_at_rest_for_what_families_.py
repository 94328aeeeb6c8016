"""Encryption at rest for what families, children and advocates write

The words are sealed in place with the running app's keys (portal.crypto, DATA_ENCRYPTION_KEYS:
`flask db upgrade` runs inside the app), and so are the attachment files in ATTACHMENT_DIR; the
attachment's plain SHA-256 becomes a keyed HMAC. The downgrade opens everything again, and
refuses (changing nothing) if a value no longer fits the old VARCHAR(200) columns.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 11:03:10.267392

"""
import hashlib
import os
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

from portal.crypto import DataKeyError, is_sealed, keyed_digest, open_sealed, seal

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BATCH = 1000
RECORD_TEXT = (
    "good_things",
    "worries",
    "wishes",
    "conference_should_know",
    "questions_for_chair",
    "scale_reason",
    "attendance_how",
    "attend_with",
    "safeguarding_note",
)
# table: (primary key columns, sealed text columns)
TEXT_COLUMNS = {
    "addition": (("id",), ("text",)),
    "advocate_record": (("id",), RECORD_TEXT),
    "contact_log_entry": (("id",), ("place", "with_whom", "note")),
    "attachment": (("id",), ("description",)),
    "conference_child": (("conference_id", "child_id"), ("you_said_we_did",)),
    "family_member": (("id",), ("access_needs",)),
}
# table: (JSON column, the keys in it that hold sealed text)
JSON_COLUMNS = {
    "answer": ("value", ("text",)),
    "advocate_record_version": ("content", RECORD_TEXT),
}
# Were VARCHAR(200): what the downgrade must fit back in.
SHORT_COLUMNS = {"contact_log_entry": ("place", "with_whom"), "attachment": ("description",)}
SHORT_MAX = 200
DIGEST_PURPOSE = "attachment-content"  # portal.attachments.DIGEST_PURPOSE


def _seal(value):
    if not isinstance(value, str) or not value:
        return value
    if is_sealed(value.encode()):  # sealed by an earlier, interrupted run
        try:
            open_sealed(value.encode())
            return value
        except DataKeyError:
            pass
    return seal(value.encode()).decode("ascii")


def _open(value):
    if not isinstance(value, str) or not value:
        return value
    return open_sealed(value.encode("ascii")).decode()


def _rows(table, keys, columns):
    """Every row of ``table`` (its keys and ``columns``), a batch at a time, by primary key."""
    connection = op.get_bind()
    last = None
    while True:
        query = sa.select(*(table.c[k] for k in keys), *(table.c[c] for c in columns))
        query = query.order_by(*(table.c[k] for k in keys)).limit(BATCH)
        if last is not None:
            query = query.where(sa.tuple_(*(table.c[k] for k in keys)) > sa.tuple_(*last))
        batch = connection.execute(query).mappings().all()
        if not batch:
            return
        yield batch
        last = tuple(batch[-1][k] for k in keys)


def _rewrite(table_name, keys, columns, column_type, change):
    """Apply ``change`` to every value of ``columns``, writing back only the rows it changes."""
    table = sa.table(
        table_name, *(sa.column(k) for k in keys), *(sa.column(c, column_type) for c in columns)
    )
    statement = (
        table.update()
        .where(*(table.c[k] == sa.bindparam(f"key_{k}") for k in keys))
        .values({c: sa.bindparam(f"new_{c}", type_=column_type) for c in columns})
    )
    for batch in _rows(table, keys, columns):
        changed = []
        for row in batch:
            new = {c: change(row[c]) for c in columns}
            if any(new[c] != row[c] for c in columns):
                keyed = {f"key_{k}": row[k] for k in keys}
                changed.append(keyed | {f"new_{c}": v for c, v in new.items()})
        if changed:
            op.get_bind().execute(statement, changed)


def _in_json(change, sealed_keys):
    def apply(content):
        if not isinstance(content, dict):
            return content
        return {k: change(v) if k in sealed_keys else v for k, v in content.items()}

    return apply


def _all_columns(change):
    for table_name, (keys, columns) in TEXT_COLUMNS.items():
        _rewrite(table_name, keys, columns, sa.Text(), change)
    for table_name, (column, sealed_keys) in JSON_COLUMNS.items():
        _rewrite(table_name, ("id",), (column,), sa.JSON(), _in_json(change, sealed_keys))


def _write_whole(path, data):
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _attachment_files(digest_column, new_digest_column, seal_file):
    """Seal (or open) each attachment's file in place and fill the new digest column."""
    folder = Path(current_app.config["ATTACHMENT_DIR"])
    table = sa.table(
        "attachment",
        sa.column("id"),
        sa.column("storage_name"),
        sa.column(digest_column),
        sa.column(new_digest_column),
    )
    statement = (
        table.update()
        .where(table.c.id == sa.bindparam("key_id"))
        .values({new_digest_column: sa.bindparam("digest")})
    )
    for batch in _rows(table, ("id",), ("storage_name", digest_column)):
        digests = []
        for row in batch:
            path = folder / row["storage_name"]
            if path.is_file():
                stored = path.read_bytes()
                plain = open_sealed(stored) if is_sealed(stored) else stored
                _write_whole(path, seal(plain) if seal_file else plain)
                digest = (
                    keyed_digest(plain, DIGEST_PURPOSE)
                    if seal_file
                    else hashlib.sha256(plain).hexdigest()
                )
            else:  # already missing: a digest that matches no file, keyed so it tells nothing
                digest = keyed_digest(row[digest_column].encode(), "attachment-missing")
            digests.append({"key_id": row["id"], "digest": digest})
        op.get_bind().execute(statement, digests)


def upgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_hmac', sa.String(length=64), nullable=True))
        batch_op.alter_column('description',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.Text(),
               existing_nullable=False)

    with op.batch_alter_table('contact_log_entry', schema=None) as batch_op:
        batch_op.alter_column('place',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.Text(),
               existing_nullable=False)
        batch_op.alter_column('with_whom',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.Text(),
               existing_nullable=False)

    _all_columns(_seal)
    _attachment_files("sha256", "content_hmac", seal_file=True)

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.alter_column('content_hmac', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('sha256')


def _refuse_what_no_longer_fits():
    too_long = []
    for table_name, columns in SHORT_COLUMNS.items():
        table = sa.table(table_name, sa.column("id"), *(sa.column(c, sa.Text()) for c in columns))
        for batch in _rows(table, ("id",), columns):
            too_long += [
                f"{table_name}.{c} id {row['id']}"
                for row in batch
                for c in columns
                if len(_open(row[c]) or "") > SHORT_MAX
            ]
    if too_long:
        raise RuntimeError(
            f"Cannot downgrade: {len(too_long)} value(s) are longer than the {SHORT_MAX} "
            f"characters the old columns hold ({', '.join(too_long[:10])}). Shorten them in "
            "the app first; nothing has been changed."
        )


def downgrade():
    _refuse_what_no_longer_fits()

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sha256', sa.VARCHAR(length=64), nullable=True))

    _attachment_files("content_hmac", "sha256", seal_file=False)
    _all_columns(_open)

    with op.batch_alter_table('contact_log_entry', schema=None) as batch_op:
        batch_op.alter_column('with_whom',
               existing_type=sa.Text(),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)
        batch_op.alter_column('place',
               existing_type=sa.Text(),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.alter_column('sha256', existing_type=sa.VARCHAR(length=64), nullable=False)
        batch_op.alter_column('description',
               existing_type=sa.Text(),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)
        batch_op.drop_column('content_hmac')
