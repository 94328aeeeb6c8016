"""The fault runs' short variants (bench/fault_*.py --ci), each in its own process.

PostgreSQL restarted while families send their answers: no success page without its row, and
the app answers again without a restart. The SMS provider down during a reminder run: no
reminder lost. Each runs once per `make test`: the database restart in the PostgreSQL pass (it
starts a private, throwaway PostgreSQL of its own, never the shared one), the SMS outage in the
SQLite pass. Under CI a machine without PostgreSQL's server binaries fails the run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bench.private_postgres import postgres_binaries
from tests.proof import FAULTS

ROOT = Path(__file__).resolve().parents[2]
POSTGRESQL_PASS = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
UNDER_CI = os.environ.get("CI") == "true"

pytestmark = pytest.mark.faults


def run_fault(script: str, tmp_path: Path, timeout: float) -> dict | list:
    """``bench/<script> --ci``; its figures. On a timeout it gets SIGTERM, so it stops what it
    started (gunicorn, the worker, the private cluster) before the test fails."""
    figures = tmp_path / "figures.json"
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    process = subprocess.Popen(  # noqa: S603 - a fixed command line
        [sys.executable, str(ROOT / "bench" / script), "--ci", "--json", str(figures)],
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
    return json.loads(figures.read_text())


def test_a_database_restart_under_load_loses_no_answer_a_family_was_told_was_sent(tmp_path):
    if not POSTGRESQL_PASS:
        pytest.skip("runs once, in the PostgreSQL pass (TEST_DATABASE_URL=postgresql://…)")
    if postgres_binaries() is None:
        message = "PostgreSQL's server binaries (initdb, pg_ctl) are missing: set PG_BIN"
        if UNDER_CI:
            pytest.fail(message)
        pytest.skip(message)

    figures = run_fault("fault_database_restart.py", tmp_path, timeout=240)
    FAULTS.append(
        f"fault, PostgreSQL restarted under load: {figures['successes']} success pages, "
        f"{figures['failures_seen_by_users']} error pages, "
        f"{figures['successes_missing_from_database']} successes missing from the database, "
        f"recovered in {figures['seconds_to_recover']} s"
    )

    assert figures["successes_missing_from_database"] == 0
    assert figures["error_pages_500"] == 0  # a lost connection is the 503 page, never the 500
    assert figures["walks_in_flight_at_restart"] > 0  # the restart hit people mid-form
    assert figures["successes_after_restart"] > 0  # and the same gunicorn served them after
    assert figures["after_restart"] == "/readyz 200, new walk: sent"
    assert figures["passed"]


def test_an_sms_outage_during_a_reminder_run_loses_no_reminder(tmp_path):
    if POSTGRESQL_PASS:
        pytest.skip("runs once, in the SQLite pass")

    runs = run_fault("fault_sms_outage.py", tmp_path, timeout=240)
    FAULTS.extend(
        f"fault, SMS provider down {run['outage_seconds']} s ({run['failure']}): "
        f"{run['delivered']} of {run['reminders_queued_by_the_schedule']} reminders delivered, "
        f"{run['lost']} lost, {run['duplicates']} duplicates"
        for run in runs
    )

    assert {run["failure"] for run in runs} == {
        "every send answered 503 (Twilio 20503)",
        "connections refused, open ones dropped",
    }
    for run in runs:
        assert run["failed_tries_recorded_by_the_worker"] > 0  # the outage was felt
        assert run["lost"] == 0
        assert run["failed_for_good"] == 0
        assert run["delivered"] == run["reminders_queued_by_the_schedule"] == 60
        assert run["passed"]
