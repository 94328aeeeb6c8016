"""Benchmark: the outbox worker sending 10,000 queued texts through the real Twilio SDK to a
fake Twilio on 127.0.0.1 that answers each request after 50 ms.

Prints messages per second and how many were sent, lost and duplicated.

    .venv/bin/python bench/worker.py                       # SQLite file in a temp folder
    .venv/bin/python bench/worker.py --database postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/worker.py --messages 2000 --concurrency 16 --latency 0.05

The database given is emptied first (all tables dropped): never point it at real data.
The last line printed is the figures as JSON (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import summary  # noqa: E402


def run(
    messages: int = 10_000,
    concurrency: int = 32,
    latency: float = 0.05,
    database: str | None = None,
) -> dict:
    """Queue ``messages`` texts, drain the outbox, print and return the figures."""
    args = argparse.Namespace(
        messages=messages, concurrency=concurrency, latency=latency, database=database
    )
    database = args.database or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import sqlalchemy as sa

    from bench.fresh import app_on_an_empty_database
    from portal.extensions import db
    from portal.messaging.providers import build_providers
    from portal.messaging.worker import drain
    from portal.models import Channel, Message, MessageKind, MessageStatus
    from tests.factories import add_contactable_member, make_conference
    from tests.fakes.twilio_server import FakeTwilio

    app = app_on_an_empty_database(database)
    with app.app_context():
        member = add_contactable_member(make_conference())
        now = datetime.now(UTC)
        db.session.execute(
            sa.insert(Message),
            [
                {
                    "family_member_id": member.id,
                    "kind": MessageKind.RATING_THANKS,
                    "channel": Channel.SMS,
                    "to_address": member.mobile,
                    "body_text": f"Benchmark message {number}",
                    "next_attempt_at": now,
                }
                for number in range(args.messages)
            ],
        )
        db.session.commit()

    with FakeTwilio() as twilio:
        twilio.delay_seconds = args.latency
        providers = build_providers(
            {
                "SMS_PROVIDER": "twilio",
                "TWILIO_ACCOUNT_SID": twilio.account_sid,
                "TWILIO_AUTH_TOKEN": twilio.auth_token,
                "TWILIO_FROM_NUMBER": "+447700900001",
                "TWILIO_API_BASE_URL": twilio.base_url,
            }
        )
        started = time.perf_counter()
        result = drain(app, providers, "bench", concurrency=args.concurrency)
        elapsed = time.perf_counter() - started
        bodies = Counter(twilio.sent_bodies())

    with app.app_context():
        statuses = Counter(db.session.scalars(sa.select(Message.status)))
        waiting = db.session.scalars(
            sa.select(Message.body_text).where(Message.status == MessageStatus.QUEUED)
        ).all()
    expected = {f"Benchmark message {n}" for n in range(args.messages)}
    # Lost: neither accepted by the provider nor waiting in the outbox for a retry.
    lost = len(expected - bodies.keys() - set(waiting))
    duplicated = sum(count - 1 for count in bodies.values())
    recorded_sent = statuses[MessageStatus.SENT]
    print(f"database: {database.split(':')[0]}, on {os.cpu_count()} cores")
    latency_ms = args.latency * 1000
    print(f"messages: {args.messages}, threads: {args.concurrency}, latency: {latency_ms:.0f} ms")
    print(f"time: {elapsed:.1f} s, rate: {args.messages / elapsed:.0f} messages/s")
    print(
        f"sent (provider accepted): {len(bodies)}, recorded sent: {recorded_sent}, "
        f"waiting to retry: {len(waiting)}, failed: {result.failed}"
    )
    print(f"lost: {lost}, duplicated: {duplicated}")
    command = (
        f".venv/bin/python bench/worker.py --messages {args.messages} "
        f"--concurrency {args.concurrency} --latency {args.latency}"
        + (f" --database {args.database}" if args.database else "")
    )
    print(f"rerun: {command}")
    rate = args.messages / elapsed
    return summary.report(
        "worker",
        f"{args.messages:,} texts through the Twilio SDK to a fake Twilio answering in "
        f"{latency_ms:.0f} ms ({database.split(':')[0]}, {args.concurrency} threads)",
        f"{rate:.0f} messages/s, {elapsed:.1f} s; lost {lost}, duplicated {duplicated}",
        "0 lost, 0 duplicated",
        lost == 0 and duplicated == 0,
        command,
        messages_per_second=round(rate, 1),
        seconds=round(elapsed, 1),
        lost=lost,
        duplicated=duplicated,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32, help="sends in flight at once")
    parser.add_argument("--latency", type=float, default=0.05, help="fake Twilio's answer time, s")
    parser.add_argument("--database", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    result = run(args.messages, args.concurrency, args.latency, args.database)
    summary.print_last_line(result)
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
