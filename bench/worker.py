"""Benchmark: the outbox worker sending 10,000 queued texts through the real Twilio SDK (or,
with --provider notify, GOV.UK Notify's client) to a fake on 127.0.0.1 that answers each
request after 50 ms.

Prints messages per second and how many were sent, lost and duplicated.

    .venv/bin/python bench/worker.py                       # SQLite file in a temp folder
    .venv/bin/python bench/worker.py --provider notify
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import summary  # noqa: E402

PROVIDER_NAMES = {
    "twilio": ("the Twilio SDK", "a fake Twilio"),
    "notify": ("Notify's client", "a fake Notify"),
}


def run(
    messages: int = 10_000,
    concurrency: int = 32,
    latency: float = 0.05,
    database: str | None = None,
    provider: str = "twilio",
) -> dict:
    """Queue ``messages`` texts, drain the outbox, print and return the figures."""
    args = argparse.Namespace(
        messages=messages,
        concurrency=concurrency,
        latency=latency,
        database=database,
        provider=provider,
    )
    database = args.database or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import sqlalchemy as sa

    from bench.fresh import app_on_an_empty_database
    from portal.extensions import db
    from portal.messaging.providers import build_providers
    from portal.messaging.worker import drain
    from portal.models import Channel, Message, MessageKind, MessageStatus
    from tests.factories import add_contactable_member, make_conference

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

    with _fake(args.provider) as fake:
        fake.delay_seconds = args.latency
        providers = build_providers(_settings(args.provider, fake))
        started = time.perf_counter()
        result = drain(app, providers, "bench", concurrency=args.concurrency)
        elapsed = time.perf_counter() - started
        bodies = Counter(fake.sent_bodies())

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
    print(
        f"provider: {args.provider}, database: {database.split(':')[0]}, on {os.cpu_count()} cores"
    )
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
        + (f" --provider {args.provider}" if args.provider != "twilio" else "")
        + (f" --database {args.database}" if args.database else "")
    )
    print(f"rerun: {command}")
    rate = args.messages / elapsed
    client, fake_name = PROVIDER_NAMES[args.provider]
    return summary.report(
        "worker" if args.provider == "twilio" else f"worker-{args.provider}",
        f"{args.messages:,} texts through {client} to {fake_name} answering in "
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


def _fake(provider: str) -> Any:
    """The fake API the provider's real client is pointed at."""
    from tests.fakes.notify_server import FakeNotify
    from tests.fakes.twilio_server import FakeTwilio

    return FakeNotify() if provider == "notify" else FakeTwilio()


def _settings(provider: str, fake: Any) -> dict[str, Any]:
    if provider == "notify":
        return {
            "SMS_PROVIDER": "notify",
            "NOTIFY_API_KEY": fake.api_key,
            "NOTIFY_SMS_TEMPLATE_ID": fake.template_ids["sms"],
            "NOTIFY_BASE_URL": fake.base_url,
        }
    return {
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "TWILIO_FROM_NUMBER": "+447700900001",
        "TWILIO_API_BASE_URL": fake.base_url,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32, help="sends in flight at once")
    parser.add_argument("--latency", type=float, default=0.05, help="the fake's answer time, s")
    parser.add_argument("--provider", choices=sorted(PROVIDER_NAMES), default="twilio")
    parser.add_argument("--database", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    result = run(args.messages, args.concurrency, args.latency, args.database, args.provider)
    summary.print_last_line(result)
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
