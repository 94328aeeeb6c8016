"""Fault: the SMS provider down for a minute in the middle of a reminder run.

The run: M people were sent their views link three days ago and have not answered, so their
reminder is due now. ``flask worker`` (the real one, in its own process) runs the schedule,
which queues the M reminders, and sends them through the real Twilio SDK to a fake Twilio on
127.0.0.1 (tests/fakes/twilio_server.py, 50 ms per answer). Once a quarter of them are
through, the fake goes down for --outage-seconds: it answers every request 503 (Twilio 20503)
or 500, or refuses connections and drops open ones (--failure). The worker keeps running with
its retry policy (exponential backoff with jitter from RETRY_BASE_SECONDS, up to
MESSAGE_MAX_ATTEMPTS tries). Afterwards each of the M people must have had their reminder
accepted by the fake; nothing may be marked failed for good. Duplicates are counted.

RETRY_BASE_SECONDS is shortened for the run (default: the outage / 30, so 2 s for a 60 s
outage; production's is 30 s): with 8 attempts a message is failed for good only after at
least 63.5 × the base of failures (127 s at 2 s; 32 minutes at production's 30 s).

    .venv/bin/python bench/fault_sms_outage.py                 # 60 s outage, 503 then refused
    .venv/bin/python bench/fault_sms_outage.py --ci            # 5 s outages, the CI variant
    .venv/bin/python bench/fault_sms_outage.py --failure 500 --outage-seconds 120 --messages 800
    .venv/bin/python bench/fault_sms_outage.py --database postgresql://postgres@127.0.0.1:5432/x

The database given is emptied first (all tables dropped); by default a new SQLite file.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fault_database_restart import print_figures  # noqa: E402

NAME = "SMS provider down during a reminder run"
FAILURES = {
    "503": "every send answered 503 (Twilio 20503)",
    "500": "every send answered 500 (Twilio 20500)",
    "refuse": "connections refused, open ones dropped",
}
CI_SETTINGS = {"outage_seconds": 5.0, "messages": 60}
SECRET_KEY = "fault-run-only-secret-key-not-for-use-anywhere-else"  # noqa: S105 - invented
SENDER = "+447700900001"


def _queue_a_reminder_run(database: str, messages: int):
    """An empty, migrated database with ``messages`` people whose views link went out three
    days ago, unanswered: each one's reminder is due. Returns the app on it."""
    import sqlalchemy as sa

    from bench.fresh import app_on_an_empty_database
    from bench.seed import issue_views_links
    from portal.extensions import db
    from portal.models import Invitation, Message, MessageStatus, utcnow

    app = app_on_an_empty_database(database)
    with app.app_context():
        issue_views_links(messages)
        three_days_ago = utcnow() - timedelta(days=3)
        db.session.execute(sa.update(Invitation).values(sent_at=three_days_ago))
        db.session.execute(
            sa.update(Message).values(status=MessageStatus.SENT, sent_at=three_days_ago)
        )
        db.session.commit()
    return app


_SQLITE_TEMPLATES: dict[int, Path] = {}  # messages -> a migrated file with that reminder run


def _sqlite_with_a_reminder_run(path: Path, messages: int):
    """A new SQLite file ready for the run: migrated and seeded once per process, then copied
    (a second run, say with another kind of failure, starts at once). Returns the app on it."""
    from portal import create_app

    template = _SQLITE_TEMPLATES.get(messages)
    if template is None or not template.exists():
        template = Path(tempfile.mkdtemp(prefix="heard-fault-sms-")) / "template.sqlite3"
        _queue_a_reminder_run(f"sqlite:///{template}", messages)
        _SQLITE_TEMPLATES[messages] = template
        atexit.register(shutil.rmtree, template.parent, ignore_errors=True)
    shutil.copyfile(template, path)
    os.environ.update({"DATABASE_URL": f"sqlite:///{path}", "HEARD_CONFIG": "test"})
    return create_app("test")


def _start_worker(database: str, twilio, retry_base: float, log: Path) -> subprocess.Popen:
    environment = os.environ | {
        "HEARD_CONFIG": "test",
        "DATABASE_URL": database,
        "SECRET_KEY": SECRET_KEY,
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_FROM_NUMBER": SENDER,
        "TWILIO_API_BASE_URL": twilio.base_url,
        "RETRY_BASE_SECONDS": str(retry_base),
        "WORKER_POLL_SECONDS": "0.5",
        # Reminders go out only in sending hours: for the run, every hour is one.
        "SEND_FROM_HOUR": "0",
        "SEND_UNTIL_HOUR": "24",
    }
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603 - a fixed command line
            [sys.executable, "-m", "flask", "worker"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def _accepted_by_number(twilio) -> Counter:
    return Counter(r.form.get("To") for r in twilio.requests if r.answered == 201)


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@dataclass
class Outage:
    """What the fake saw, and when, over one run with an outage in it."""

    under_way: bool  # a quarter of the reminders were through before the outage
    accepted_before: int
    refused: int  # sends the fake refused while down
    down_seconds: float
    accepted: Counter  # reminders accepted by the fake, by number
    seconds_after: float  # from the fake coming back to the last reminder accepted
    whole_run_seconds: float


def run(
    outage_seconds: float = 60.0,
    failure: str = "503",
    messages: int = 400,
    retry_base: float | None = None,
    latency: float = 0.05,
    database: str | None = None,
) -> dict:
    """One outage during one reminder run; its figures (a flat dict, ``passed`` last). The
    process's environment is left as it was found."""
    from bench.seed import DRAMA_RANGE
    from config import Config
    from tests.fakes.twilio_server import FakeTwilio

    if failure not in FAILURES:
        raise ValueError(f"failure must be one of {', '.join(FAILURES)}")
    if messages > DRAMA_RANGE:
        raise ValueError(f"at most {DRAMA_RANGE} messages: each person has a number of their own")
    retry_base = retry_base or max(0.1, outage_seconds / 30)
    max_attempts = Config.MESSAGE_MAX_ATTEMPTS
    folder = Path(tempfile.mkdtemp(prefix="heard-fault-sms-"))
    if database:
        database = database.replace("postgresql://", "postgresql+psycopg://", 1)
    saved_environment = dict(os.environ)
    os.environ["SECRET_KEY"] = SECRET_KEY  # the links in the reminders open, as in real life
    try:
        if database:
            app = _queue_a_reminder_run(database, messages)
        else:
            app = _sqlite_with_a_reminder_run(folder / "outage.sqlite3", messages)
            database = app.config["SQLALCHEMY_DATABASE_URI"]
        with FakeTwilio() as twilio:
            twilio.delay_seconds = latency
            worker = _start_worker(database, twilio, retry_base, folder / "worker.log")
            try:
                # The longest a message can wait for its next try after the outage, and then some.
                longest_wait = retry_base * 2 ** (max_attempts - 1) + 15
                outage = _outage(twilio, messages, failure, outage_seconds, longest_wait)
            finally:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
        rows = _reminders(app)
    finally:
        os.environ.clear()
        os.environ.update(saved_environment)

    figures = _figures(rows, outage, messages, failure, retry_base, max_attempts)
    figures["worker_log"] = str(folder / "worker.log")
    figures["passed"] = (
        outage.under_way
        and len(rows) == messages
        and figures["delivered"] == messages
        and figures["failed_for_good"] == 0
        and figures["lost"] == 0
        and figures["failed_tries_recorded_by_the_worker"] > 0
    )
    if figures["passed"]:  # the database and the worker's log are kept only to look into a failure
        shutil.rmtree(folder, ignore_errors=True)
        figures["worker_log"] = "removed: the run passed"
    return figures


def _outage(twilio, messages: int, failure: str, outage_seconds: float, longest_wait: float):
    """Once a quarter of the reminders are through, take the fake down for ``outage_seconds``,
    then wait (``longest_wait`` at most) for every reminder to be accepted."""
    began = time.perf_counter()
    under_way = _wait_for(lambda: len(_accepted_by_number(twilio)) >= max(1, messages // 4), 120)
    accepted_before = len(_accepted_by_number(twilio))
    requests_before = len(twilio.requests)
    twilio.go_down(None if failure == "refuse" else int(failure))
    down_at = time.perf_counter()
    time.sleep(outage_seconds)
    twilio.come_back()
    up_at = time.perf_counter()
    refused = sum(1 for r in twilio.requests[requests_before:] if r.answered != 201)
    _wait_for(lambda: len(_accepted_by_number(twilio)) >= messages, longest_wait)
    finished = time.perf_counter()
    return Outage(
        under_way=under_way,
        accepted_before=accepted_before,
        refused=refused,
        down_seconds=up_at - down_at,
        accepted=_accepted_by_number(twilio),
        seconds_after=finished - up_at,
        whole_run_seconds=finished - began,
    )


def _reminders(app) -> list:
    """Each reminder in the outbox: (to_address, status, attempts)."""
    import sqlalchemy as sa

    from portal.extensions import db
    from portal.models import Message, MessageKind

    with app.app_context():
        rows = db.session.execute(
            sa.select(Message.to_address, Message.status, Message.attempts).where(
                Message.kind == MessageKind.VIEWS_REMINDER
            )
        ).all()
        db.session.remove()
        db.engine.dispose()
    return rows


def _figures(
    rows: list, outage: Outage, messages: int, failure: str, retry_base: float, max_attempts: int
) -> dict:
    """The run's figures from the outbox's rows and what the fake accepted."""
    from portal.models import MessageStatus

    accepted = outage.accepted
    statuses = Counter(row.status for row in rows)
    queued = {row.to_address for row in rows if row.status == MessageStatus.QUEUED}
    reminded = {row.to_address for row in rows}
    return {
        "name": NAME,
        "failure": FAILURES[failure],
        "reminders_queued_by_the_schedule": len(rows),
        "outage_seconds": round(outage.down_seconds, 1),
        "retry_base_seconds": round(retry_base, 2),
        "max_attempts": max_attempts,
        "accepted_before_the_outage": outage.accepted_before,
        "sends_the_fake_refused_during_the_outage": outage.refused,
        # Every try the outbox counted, less those the fake accepted: refused connections too.
        "failed_tries_recorded_by_the_worker": sum(row.attempts for row in rows)
        - sum(accepted.values()),
        "delivered": len(reminded & accepted.keys()),
        "still_queued_for_a_retry": len(queued - accepted.keys()),
        "failed_for_good": statuses.get(MessageStatus.FAILED, 0),
        # Lost: neither accepted by the provider nor waiting in the outbox for a retry.
        "lost": len(reminded - accepted.keys() - queued) + max(0, messages - len(rows)),
        "duplicates": sum(count - 1 for count in accepted.values()),
        "most_attempts_for_one_message": max((row.attempts for row in rows), default=0),
        "seconds_to_deliver_the_rest_after_the_outage": round(outage.seconds_after, 1),
        "whole_run_seconds": round(outage.whole_run_seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage-seconds", type=float, default=60.0)
    parser.add_argument(
        "--failure",
        action="append",
        choices=sorted(FAILURES),
        help="how the provider fails (repeat for several runs; default: 503, then refuse)",
    )
    parser.add_argument("--messages", type=int, default=400, help="reminders in the run")
    parser.add_argument("--retry-base", type=float, help="RETRY_BASE_SECONDS (default: outage/30)")
    parser.add_argument("--latency", type=float, default=0.05, help="fake Twilio's answer time, s")
    parser.add_argument("--database", help="database URL (default: a new SQLite file)")
    parser.add_argument("--ci", action="store_true", help="the short variant: 5 s, 60 messages")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.ci:
        args.outage_seconds = CI_SETTINGS["outage_seconds"]
        args.messages = CI_SETTINGS["messages"]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    runs = []
    for failure in args.failure or ["503", "refuse"]:
        figures = run(
            args.outage_seconds,
            failure,
            args.messages,
            args.retry_base,
            args.latency,
            args.database,
        )
        print_figures(figures, " ".join([".venv/bin/python", *sys.argv]))
        runs.append(figures)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))
    sys.exit(0 if all(figures["passed"] for figures in runs) else 1)


if __name__ == "__main__":
    main()
