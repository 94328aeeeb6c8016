"""deploy/ as written matches what runs: the systemd units are valid and start the commands the
stack test starts (tests/integration/test_stack.py runs nginx and gunicorn from these files),
and nginx's body limit is the app's."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask

import config
from bench.stack import GUNICORN_CONFIG, NGINX_TEMPLATE, ROOT

UNITS = sorted((ROOT / "deploy" / "systemd").iterdir())


def exec_start(unit: Path) -> list[str]:
    found = re.search(r"^ExecStart=(.+)$", unit.read_text(), re.MULTILINE)
    assert found, unit.name
    return found[1].split()


def test_the_units_start_the_commands_the_stack_runs(app: Flask) -> None:
    commands = {unit.name: exec_start(unit) for unit in UNITS if unit.suffix == ".service"}
    web = commands["heard-web@.service"]
    assert web[0].endswith("/.venv/bin/gunicorn")
    assert web[1:] == ["--config", str(GUNICORN_CONFIG.relative_to(ROOT)), "wsgi:app"]
    assert commands["heard-worker.service"][1:] == ["worker"]
    assert commands["heard-retention.service"][1:] == ["retention", "run"]
    assert "worker" in app.cli.commands
    assert "run" in app.cli.commands["retention"].commands  # type: ignore[attr-defined]
    timer = (ROOT / "deploy" / "systemd" / "heard-retention.timer").read_text()
    assert "OnCalendar=" in timer


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_the_units_are_valid_systemd(tmp_path: Path) -> None:
    """systemd's own check, with /srv/heard (where the units expect the checkout) made this
    checkout, so the commands it names exist."""
    for unit in UNITS:
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/heard", str(ROOT)))
    checked = subprocess.run(  # noqa: S603 - fixed arguments
        [shutil.which("systemd-analyze") or "systemd-analyze", "verify"]
        + [str(tmp_path / unit.name) for unit in UNITS],
        capture_output=True,
        text=True,
        check=False,
    )
    # An unknown key or a bad value is a warning, not a failure: any line about our units
    problems = [line for line in (checked.stdout + checked.stderr).splitlines() if "heard" in line]
    assert problems == []


def test_the_units_may_write_where_the_docs_keep_attachments() -> None:
    """The units make the disk read-only but for ReadWritePaths: the ATTACHMENT_DIR the docs
    and scripts give for the live service must be under one of them in every service."""
    given = {
        found
        for path in ("docs/operations.md", "scripts/backup.sh", "scripts/restore.sh")
        for found in re.findall(r"ATTACHMENT_DIR=(/srv/heard/[\w/.-]*)", (ROOT / path).read_text())
    }
    assert given == {"/srv/heard/attachments"}
    for unit in UNITS:
        if unit.suffix != ".service":
            continue
        text = unit.read_text()
        assert "ProtectSystem=strict" in text, unit.name
        found = re.search(r"^ReadWritePaths=(.+)$", text, re.MULTILINE)
        writable = found[1].split() if found else []
        for directory in given:
            assert any(f"{directory}/".startswith(f"{path}/") for path in writable), unit.name


def test_nginx_refuses_exactly_what_the_app_would() -> None:
    found = re.search(r"client_max_body_size (\d+)m;", NGINX_TEMPLATE.read_text())
    assert found
    assert int(found[1]) * 1024 * 1024 == config.Config.MAX_CONTENT_LENGTH
