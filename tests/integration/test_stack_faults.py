"""The whole stack broken under load, short variants (bench/fault_kills.py --ci and
bench/fault_upgrade.py --ci), each in its own process: nginx with TLS, two gunicorn instances,
workers, PostgreSQL and Redis (bench/stack.py).

A web instance and a worker killed with kill -9 mid-batch: no answer or sending a family was
told of is lost, no text lost, and duplicates only from the batch the killed worker held (none,
since the worker that takes over asks Twilio's list first). A release rolled out while families
answer: the database migrated to the newest revision under the old code, then each instance
switched gracefully to the new code: nothing lost, no error page.

They run in the PostgreSQL pass, each on a database of its own beside the test database (the
runs empty theirs). Under CI a machine without nginx fails them (.ci/run installs it).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bench.stack import nginx_binary
from tests.proof import FAULTS

ROOT = Path(__file__).resolve().parents[2]
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
UNDER_CI = os.environ.get("CI") == "true"

pytestmark = pytest.mark.stack


def run_on_the_stack(script: str, tmp_path: Path, timeout: float) -> dict:
    """``bench/<script> --ci`` on a database of its own; its figures. On a timeout it gets
    SIGTERM, so it stops the stack it started before the test fails."""
    if not TEST_DATABASE_URL.startswith("postgresql"):
        pytest.skip("runs once, in the PostgreSQL pass (TEST_DATABASE_URL=postgresql://…)")
    if nginx_binary() is None:
        message = "nginx is not installed (apt-get install nginx): the stack runs need it"
        if UNDER_CI:
            pytest.fail(message)
        pytest.skip(message)
    url = make_url(TEST_DATABASE_URL)
    database = url.set(database=f"{url.database}_{script.removesuffix('.py')}")
    figures = tmp_path / "figures.json"
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    command = [sys.executable, str(ROOT / "bench" / script), "--ci", "--json", str(figures)]
    command += ["--database", database.render_as_string(hide_password=False)]
    process = subprocess.Popen(  # noqa: S603 - a fixed command line
        command,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
        pytest.fail(f"{script} --ci took over {timeout} s:\n{output[-4000:]}")
    assert process.returncode == 0, output[-4000:]
    result: dict = json.loads(figures.read_text())
    return result


def test_a_web_instance_and_a_worker_killed_under_load_lose_nothing(tmp_path: Path) -> None:
    figures = run_on_the_stack("fault_kills.py", tmp_path, timeout=240)
    FAULTS.append(
        f"fault, web instance and worker kill -9 under load: {figures['answers_confirmed']} "
        f"answers, {figures['answers_lost']} lost; {figures['texts_due']} texts, "
        f"{figures['texts_lost']} lost, {figures['duplicates']} duplicates (bound "
        f"{figures['duplicates_bound']}); {figures['errors_seen_while_web_killed']} errors "
        f"seen at the web kill"
    )
    assert figures["answers_confirmed"] > 0
    assert figures["answers_lost"] == 0
    assert figures["sendings_confirmed"] > 0
    assert figures["sendings_lost"] == 0
    assert figures["worker_held_a_batch"]
    assert figures["messages_held_by_killed_worker"] > 0
    assert figures["texts_lost"] == 0
    assert figures["texts_taken_at_least_once"] == figures["texts_due"]
    assert figures["duplicates"] <= figures["duplicates_bound"]
    assert figures["duplicates_outside_the_held_batch"] == 0
    assert figures["errors_seen_after_worker_killed"] == 0  # families never see a worker die
    assert figures["passed"]


def test_a_release_rolled_out_while_families_answer_loses_nothing(tmp_path: Path) -> None:
    figures = run_on_the_stack("fault_upgrade.py", tmp_path, timeout=240)
    FAULTS.append(
        f"upgrade under load ({figures['old_release']} → this code, {figures['database_before']} "
        f"→ {figures['database_after']}): {figures['answers_confirmed']} answers, "
        f"{figures['answers_lost']} lost; {figures['errors_while_web_0_switched']} + "
        f"{figures['errors_while_web_1_switched']} errors seen while the instances switched"
    )
    assert figures["database_before"] != figures["database_after"]  # migrated under the old code
    assert figures["answers_confirmed"] > 0
    assert figures["answers_lost"] == 0
    assert figures["sendings_lost"] == 0
    assert figures["server_errors_5xx"] == 0  # each instance drained before its switch
    assert figures["errors_outside_the_switches"] == 0
    assert figures["a_walk_on_the_new_release"] == "sent"
    assert figures["passed"]
