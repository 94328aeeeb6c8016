"""`make run` in a fresh clone (issue 24): one command serves the portal and sends its messages.

The clone is of the commit checked out here (HEAD: commit before running this locally). Its own
`make run` runs, every target of it (pip checks the requirements, the catalogues compile, the
migrations run, the demo loads), on the virtualenv this test runs in, linked into the clone so
that nothing is installed; a SQLite file and a port of its own. A coordinator sends a link from
the page, the worker marks it sent, and a Ctrl-C (SIGINT to the foreground process group, as a
terminal sends it) leaves no process behind.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from bs4 import BeautifulSoup

from portal.demo.featured import FEATURED
from tests.helpers.processes import MARKER, kill_marked, left, marked

ROOT = Path(__file__).resolve().parents[2]
# Settings of the test run the clone's development settings must not inherit
NOT_PASSED_ON = {"DATABASE_URL", "HEARD_CONFIG", "PORT", "PUBLIC_BASE_URL", "MFLAGS"}


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A fresh clone of HEAD, with this virtualenv as its .venv."""
    if sys.prefix == sys.base_prefix:
        pytest.fail("run the tests in the project's virtualenv: the clone links it as .venv")
    head = _git("rev-parse", "HEAD", cwd=ROOT)
    directory = tmp_path / "heard"
    _git("clone", "--quiet", "--no-checkout", str(ROOT), str(directory), cwd=tmp_path)
    _git("checkout", "--quiet", "--detach", head, cwd=directory)
    (directory / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    return directory


@pytest.fixture
def mark() -> Iterator[str]:
    """The marker every process of the run inherits; whatever is left is killed at the end."""
    mark = uuid.uuid4().hex
    yield mark
    kill_marked(mark)


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(  # noqa: S603 - a fixed command line
        ["git", *args],  # noqa: S607 - git from PATH, as a developer runs it
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(log: Path, text: str, runner: subprocess.Popen[bytes], seconds: float) -> str:
    """The runner's output once ``text`` is in it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        output = log.read_text(errors="replace")
        if text in output:
            return output
        if runner.poll() is not None:
            pytest.fail(f"make run stopped (exit {runner.returncode}):\n{output[-4000:]}")
        time.sleep(0.2)
    pytest.fail(f"{text!r} not printed within {seconds} s:\n{log.read_text()[-4000:]}")


def _csrf(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").select_one("input[name=csrf_token]")
    assert field is not None
    return str(field["value"])


def _send_daniel_a_new_link(base: str, conference_id: int) -> int:
    """As the demo coordinator, on the conference's "Messages and links" page, as the README's
    first step says; the family member's id."""
    browser = requests.Session()
    sign_in = browser.get(f"{base}/login", timeout=10)
    details = {"email": "coordinator@heard.example", "password": "heard-demo-coordinator"}
    home = browser.post(f"{base}/login", {"csrf_token": _csrf(sign_in.text), **details}, timeout=10)
    assert urlsplit(home.url).path == "/worklist", home.url  # signed in: their worklist
    page = browser.get(f"{base}/conferences/{conference_id}/messages", timeout=10)
    soup = BeautifulSoup(page.text, "html.parser")
    card = next(
        card
        for card in soup.select(".govuk-summary-card")
        if card.h2 is not None and card.h2.get_text().startswith("Daniel Marsden")
    )
    form = card.select_one("form:has(input[name=form][value=views])")
    assert form is not None, "no button to send Daniel Marsden his views link"
    sent = browser.post(
        base + str(form["action"]), {"csrf_token": _csrf(page.text), "form": "views"}, timeout=10
    )
    assert "A new link for Daniel Marsden is on its way" in sent.text
    found = re.search(r"/messages/(\d+)/send$", str(form["action"]))
    assert found is not None
    return int(found.group(1))


def _statuses(database: Path, member_id: int, after_id: int) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT status FROM message WHERE family_member_id = ? AND id > ?",
            (member_id, after_id),
        ).fetchall()
    return [status for (status,) in rows]


def _newest_message_id(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT coalesce(max(id), 0) FROM message").fetchone()[0])


def _conference_id(database: Path, reference: str) -> int:
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT id FROM conference WHERE case_reference = ?", (reference,)
        ).fetchone()
    assert row is not None, reference
    return int(row[0])


def test_make_run_serves_and_sends_and_ctrl_c_leaves_no_process(
    clone: Path, mark: str, tmp_path: Path
) -> None:
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("runs once, in the SQLite pass: make run uses a SQLite file of its own")
    port, database, log = _free_port(), tmp_path / "run.sqlite3", tmp_path / "run.log"
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in NOT_PASSED_ON and not name.startswith("MAKE")  # not `make test`'s flags
    }
    environment |= {"DATABASE_URL": f"sqlite:///{database}", MARKER: mark}
    with log.open("wb") as output:
        runner = subprocess.Popen(  # noqa: S603 - a fixed command line
            ["make", "run", f"PORT={port}"],  # noqa: S607 - make from PATH, as a developer runs it
            cwd=clone,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own foreground group, as in a terminal
        )
    try:
        base = f"http://127.0.0.1:{port}"
        printed = _wait_for(log, "Try the family pages with these links", runner, seconds=150)
        # The accounts and links come once the server answers: the last thing to read
        assert printed.index(f"Running on {base}") < printed.index(f"Sign in at {base}/login")
        assert re.search(rf"demo\.1 +\| +Parent's views +DEMO-\d+ +{base}/r/\S+", printed)
        assert requests.get(f"{base}/healthz", timeout=5).status_code == 200
        _wait_for(log, "Worker ", runner, seconds=10)

        conference_id = _conference_id(database, FEATURED[0])
        before = _newest_message_id(database)
        member_id = _send_daniel_a_new_link(base, conference_id)
        asked = time.monotonic()
        while not set(_statuses(database, member_id, before)) & {"sent", "delivered"}:
            assert time.monotonic() - asked < 10, _statuses(database, member_id, before)
            time.sleep(0.2)

        running = marked(mark)
        commands = " ".join(running.values())
        for process in ("honcho start", "flask run", "flask worker", "flask demo-links"):
            assert process in commands, running  # what the check below looks for is there
        os.killpg(runner.pid, signal.SIGINT)  # Ctrl-C
        try:
            runner.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"make run still runs 30 s after Ctrl-C: {marked(mark)}")
        assert left(mark, running) == {}  # at once: honcho and make wait for their children
        stopped = log.read_text()
        for process in ("web", "worker", "demo"):
            assert re.search(rf"system +\| {process}\.1 stopped", stopped), stopped[-2000:]
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
