"""Backup and restore (issue 19), by the procedure in docs/operations.md run as it is written:
scripts/backup.sh and scripts/restore.sh on PostgreSQL databases of the test's own.

Filled through the pages (a family's answers, an advocate's record, contact and two uploads, a
chair's call) and by `flask demo --load-only`; backed up; the key rotated on the source
(`flask keys rotate`, then the old key dropped there); restored into a new database and
directory. With only the new key nothing sealed in the backup opens; with the new key and the
one current when the backup was made, every sealed value of every sealed column (found from the
models, so a column sealed later is checked too) and every attachment opens as it was, and the
participation and activity reports give the same figures as the source did.

It prints the backup's and the restore's times and sizes, and the command to rerun it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess  # noqa: S404 - the procedure's own scripts
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from config import PROJECT_ROOT, engine_options, load_config
from portal import create_app, crypto
from portal.attachments import read_stored
from portal.crypto import DataKeyError, SealedJSON, open_sealed
from portal.extensions import db
from portal.keys import sealed_columns
from portal.models import AdvocateRecord, Attachment, Role, StaffUser
from portal.reports.quarters import financial_year_of
from tests.helpers.postgres import own_databases, require_programs
from tests.integration.security.test_encryption_at_rest import (
    SENTENCES,
    _a_call_through_the_chairs_page,
    _advocacy_through_the_advocates_pages,
    _alert_acted_on_through_its_page,
    _family_answers_through_their_pages,
    _held_conference_with_feedback,
)
from tests.pages import PageClient

SCRIPTS = PROJECT_ROOT / "scripts"
RERUN = (
    "env -u DATABASE_URL .venv/bin/python -m pytest -q -s "
    "tests/integration/operations/test_backup_restore.py"
)


def _app(url: str, files: Path, keys: list[str]) -> Flask:
    """Heard on this database and attachment directory, with these data keys (newest first)."""
    settings = load_config("test")
    settings.SQLALCHEMY_DATABASE_URI = url
    settings.SQLALCHEMY_ENGINE_OPTIONS = engine_options(url)
    settings.DATA_ENCRYPTION_KEYS = keys
    settings.ATTACHMENT_DIR = str(files)
    return create_app(settings)


@contextmanager
def _on(app: Flask) -> Iterator[None]:
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()


def _dispose(*apps: Flask) -> None:
    for app in apps:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()


def _sealed_values() -> dict[tuple[str, str, str], str]:
    """Every sealed value as stored (the token), by (table, column[.key], row key), read with
    plain SQL from every column the models seal."""
    found: dict[tuple[str, str, str], str] = {}
    for table, columns in sealed_columns().items():
        keys = list(table.primary_key.columns)
        for column in columns:
            sealed_json = isinstance(column.type, SealedJSON)
            raw = sa.type_coerce(column, sa.JSON() if sealed_json else sa.Text())
            for *key, value in db.session.execute(select(*keys, raw)):
                if isinstance(column.type, SealedJSON) and isinstance(value, dict):
                    for name in column.type.sealed_keys:
                        if value.get(name):
                            found[(table.name, f"{column.name}.{name}", str(key))] = value[name]
                elif value:
                    found[(table.name, column.name, str(key))] = value
    return found


def _attachments() -> dict[int, str]:
    return dict(db.session.execute(select(Attachment.id, Attachment.storage_name)).all())


def _open_all(app: Flask) -> tuple[dict[Any, str], dict[int, bytes], int]:
    """(every sealed value opened, every attachment file opened, how many would not open) with
    the app's keys."""
    opened: dict[Any, str] = {}
    files: dict[int, bytes] = {}
    refused = 0
    for where, token in _sealed_values().items():
        try:
            opened[where] = open_sealed(token.encode("ascii")).decode()
        except DataKeyError:
            refused += 1
    for attachment_id, storage_name in _attachments().items():
        try:
            content = read_stored(app.config["ATTACHMENT_DIR"], storage_name)
        except DataKeyError:
            refused += 1
            continue
        assert content is not None, f"attachment {attachment_id}: its file is missing"
        files[attachment_id] = content
    return opened, files, refused


def _flask(app: Flask, *args: str) -> str:
    """A `flask` command run on ``app`` (its own app context: the command would otherwise run
    on whichever app is current), as an operator runs it: its output."""
    with _on(app):
        result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _reports(app: Flask, years: list[int]) -> dict[str, str]:
    """The participation and activity reports as `flask report … --format csv` prints them."""
    return {
        f"{report} {year}": _flask(app, "report", report, "--year", str(year))
        for report in ("participation", "activity")
        for year in years
    }


def _counted(report_csv: str) -> int:
    """The sum of the numerators: the report counted something, so "the same" means something."""
    rows = csv.DictReader(io.StringIO(report_csv))
    return sum(int(row["numerator"]) for row in rows if (row.get("numerator") or "").isdigit())


def _fill_through_the_pages(app: Flask) -> int:
    """What families, an advocate and a chair write, through their pages: the referral's id."""
    client = PageClient(app.test_client())

    def signed_in(role: Role, user: StaffUser | None = None) -> PageClient:
        from tests.factories import make_staff

        page_client = PageClient(app.test_client())
        page_client.sign_in_as(user or make_staff(role))
        return page_client

    _family_answers_through_their_pages(client)
    referral_id, _ = _advocacy_through_the_advocates_pages(signed_in)
    _alert_acted_on_through_its_page(signed_in)
    _a_call_through_the_chairs_page(signed_in)
    _held_conference_with_feedback()
    return referral_id


def _script(script: str, url: str, files: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """One of the procedure's scripts, as an operator runs it."""
    environment = {**os.environ, "DATABASE_URL": url, "ATTACHMENT_DIR": str(files)}
    return subprocess.run(  # noqa: S603 - our script, fixed arguments
        [str(SCRIPTS / script), str(folder)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _run(script: str, url: str, files: Path, folder: Path) -> float:
    """The script run to its end: its time in seconds."""
    started = time.perf_counter()
    done = _script(script, url, files, folder)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started


def _restore_refused(url: str, tmp: Path, backup: Path) -> None:
    """restore.sh refuses a database already holding tables, and a damaged copy."""
    into_full = _script("restore.sh", url, tmp / "elsewhere", backup)
    assert (into_full.returncode, "restore into an empty one" in into_full.stderr) == (1, True)
    damaged = tmp / "damaged"
    shutil.copytree(backup, damaged)
    with (damaged / "database.dump").open("ab") as dump:
        dump.write(b"\0")
    refused = _script("restore.sh", url, tmp / "elsewhere", damaged)
    assert (refused.returncode, "FAILED" in refused.stderr + refused.stdout) == (1, True)
    assert not (tmp / "elsewhere").exists()


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def test_a_backup_restores_whole_with_the_keys_the_procedure_says_to_keep(tmp_path: Path) -> None:
    require_programs("pg_dump", "pg_restore", "psql", "tar", "sha256sum")
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    name = f"heard_backup_{os.getpid()}"
    with own_databases(f"{name}_source", f"{name}_restored") as (source_url, restored_url):
        source = _app(source_url, tmp_path / "source-files", [old])
        restored_apps: list[Flask] = []
        try:
            _check(source, restored_url, restored_apps, tmp_path, old, new)
        finally:
            _dispose(source, *restored_apps)


def _check(
    source: Flask, restored_url: str, restored_apps: list[Flask], tmp: Path, old: str, new: str
) -> None:
    years = [financial_year_of(date.today()) - 1, financial_year_of(date.today())]
    with _on(source):
        upgrade()
        referral_id = _fill_through_the_pages(source)
    assert re.search(r"[1-9][0-9]* conferences added", _flask(source, "demo", "--load-only"))
    with _on(source):
        values, files, refused = _open_all(source)
    reports = _reports(source, years)
    assert refused == 0
    assert len(files) >= 3  # two uploads and the demo's drawing
    assert set(SENTENCES.values()) & set(values.values()) >= {
        SENTENCES["views_answer"],
        SENTENCES["safeguarding_note"],
        SENTENCES["task_outcome"],
        SENTENCES["you_said_we_did"],
    }
    assert all(_counted(body) > 0 for body in reports.values()), reports

    backup = tmp / "backup"
    backup_seconds = _run(
        "backup.sh",
        source.config["SQLALCHEMY_DATABASE_URI"],
        Path(source.config["ATTACHMENT_DIR"]),
        backup,
    )

    # The key is rotated on the source after the backup, and the old key dropped there.
    source.config["DATA_ENCRYPTION_KEYS"] = [new, old]
    crypto.init_app(source)
    _flask(source, "keys", "rotate")
    source.config["DATA_ENCRYPTION_KEYS"] = [new]
    crypto.init_app(source)
    with _on(source):
        assert _open_all(source)[:2] == (values, files)  # the live copy needs the new key only

    restored_files = tmp / "restored-files"
    restore_seconds = _run("restore.sh", restored_url, restored_files, backup)
    _restore_refused(restored_url, tmp, backup)

    # With only the key the source holds now, nothing the backup sealed opens.
    only_new = _app(restored_url, restored_files, [new])
    restored_apps.append(only_new)
    with _on(only_new):
        lost_values, lost_files, refused_with_new = _open_all(only_new)
    assert (lost_values, lost_files) == ({}, {})
    assert refused_with_new == len(values) + len(files)
    with _on(only_new):
        refused_rotation = only_new.test_cli_runner().invoke(args=["keys", "rotate"])
    assert refused_rotation.exit_code == 1
    assert "put back the key it was sealed with" in refused_rotation.output

    # With the current key first and the key current at the backup after it, everything does.
    kept = _app(restored_url, restored_files, [new, old])
    restored_apps.append(kept)
    with _on(kept):
        assert _open_all(kept) == (values, files, 0)
        _pages_open(kept, referral_id)
    assert _reports(kept, years) == reports
    # ... and once `flask keys rotate` has run on the restored copy, the new key alone opens it.
    _flask(kept, "keys", "rotate")
    after = _app(restored_url, restored_files, [new])
    restored_apps.append(after)
    with _on(after):
        assert _open_all(after) == (values, files, 0)

    dump = backup / "database.dump"
    archive = backup / "attachments.tar.gz"
    print(  # noqa: T201 - the run's figures, in the test output
        f"\nbackup and restore: {len(values)} sealed values in "
        f"{sum(len(c) for c in _columns())} sealed columns, {len(files)} attachments, "
        f"{len(reports)} reports alike; with the new key alone {refused_with_new} would not open"
        f"\n  backup  {backup_seconds:.2f} s: database.dump {dump.stat().st_size / 1024:.0f} KiB, "
        f"attachments.tar.gz {archive.stat().st_size / 1024:.0f} KiB "
        f"(whole backup {_size(backup) / 1024:.0f} KiB)"
        f"\n  restore {restore_seconds:.2f} s into a new database and directory"
        f"\n  rerun: {RERUN}"
    )


def _columns() -> list[list[Any]]:
    return list(sealed_columns().values())


def _pages_open(app: Flask, referral_id: int) -> None:
    """The restored app serves: ready, and the advocate's page and files read as written."""
    client = PageClient(app.test_client())
    assert client.get("/readyz").status == 200
    record = db.session.scalars(
        select(AdvocateRecord).where(AdvocateRecord.referral_id == referral_id)
    ).one()
    advocate = PageClient(app.test_client())
    advocate.sign_in_as(record.referral.advocate)
    page = advocate.get(f"/advocacy/referrals/{referral_id}")
    assert page.status == 200
    for key in ("good_things", "worries", "place", "description"):
        assert SENTENCES[key] in page.text, key
    attachments = db.session.scalars(
        select(Attachment).where(Attachment.referral_id == referral_id)
    ).all()
    assert [advocate.get(f"/attachments/{a.id}").status for a in attachments] == [200, 200]
