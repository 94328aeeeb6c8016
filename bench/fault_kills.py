"""Fault: a web instance and a worker killed (kill -9) while families answer and texts go out.

The whole stack as a council runs it (bench/stack.py): nginx with TLS in front of two gunicorn
instances, two ``flask worker``s beside them, PostgreSQL and Redis. Families walk their views
form through nginx (bench/stack_load.py). Meanwhile a stream of texts falls due (--rate a
second, as a coordinator's links and the day's reminders do), and the workers send them
through the real Twilio SDK to a fake Twilio on 127.0.0.1 (tests/fakes/twilio_server.py,
--latency per answer), which counts what it takes. At --web-kill-at seconds the first instance
is killed with kill -9 and started again --down-seconds later; at --worker-kill-at a worker
is killed with kill -9 while it holds a batch (the run waits for either to have one in flight)
and started again. Its claim runs out after SENDING_LEASE_SECONDS (--lease) and the other
worker takes the batch over.

Figures: every answer and every sending confirmed to a family is in the database (0 lost);
every text is taken by the fake at least once (0 lost); the duplicates, which can only come
from the batch the killed worker held (the bound: the messages still "sending" under its
claim once it is dead); the errors people saw around each kill, and the time to recover.
Twilio's message list lets the worker that takes over see what was taken already
(portal/messaging/worker.py); --provider-cannot-list makes the fake answer 404 to the list,
as before the worker asked: the duplicates that then come.

    .venv/bin/python bench/fault_kills.py             # 75 s, 12 people, kills at 30 s and 45 s
    .venv/bin/python bench/fault_kills.py --ci        # the short variant: 30 s, kills at 8 and 16
    .venv/bin/python bench/fault_kills.py --provider-cannot-list
    .venv/bin/python bench/fault_kills.py --database postgresql://postgres@127.0.0.1:5432/x

The database (default bench_kill on 127.0.0.1:5432) is emptied first. Needs nginx and Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fault_database_restart import print_figures  # noqa: E402
from bench.summary import machine  # noqa: E402

NAME = "A web instance and a worker killed under load"
DATABASE = "postgresql://postgres@127.0.0.1:5432/bench_kill"
SENDER = "+447700900001"
CI_SETTINGS = {"seconds": 30.0, "people": 6, "web_kill_at": 8.0, "worker_kill_at": 16.0}


def _seed(database: str, links: int, texts: int):
    """``links`` people with a views link to walk (their text sent already) and ``texts`` more
    whose text is waiting (each to a number of its own). Returns (app, tokens, text ids)."""
    import sqlalchemy as sa

    from bench.fresh import app_on_an_empty_database
    from bench.seed import DRAMA_RANGE, issue_views_links
    from portal.extensions import db
    from portal.link_tokens import token_for
    from portal.models import Message, MessageStatus, utcnow

    if texts > DRAMA_RANGE:
        raise ValueError(f"at most {DRAMA_RANGE} texts: each has a number of its own")
    app = app_on_an_empty_database(database)
    with app.app_context():
        invitations = issue_views_links(links + texts)
        tokens = [token_for(i.token_salt) for i in invitations[:links]]
        walked = [i.id for i in invitations[:links]]
        db.session.execute(
            sa.update(Message)
            .where(Message.invitation_id.in_(walked))
            .values(status=MessageStatus.SENT, sent_at=utcnow())
        )
        db.session.execute(
            sa.update(Message)
            .where(Message.invitation_id.not_in(walked))
            .values(next_attempt_at=utcnow() + timedelta(days=1))  # due once the load starts
        )
        ids = list(
            db.session.scalars(
                sa.select(Message.id)
                .where(Message.invitation_id.not_in(walked))
                .order_by(Message.id)
            )
        )
        db.session.commit()
    return app, tokens, ids


def _make_due(engine, ids: list[int], rate: float) -> None:
    """The texts fall due from now, ``rate`` a second."""
    import sqlalchemy as sa

    from portal.models import utcnow

    now = utcnow()
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE message SET next_attempt_at = :due WHERE id = :id"),
            [{"id": i, "due": now + timedelta(seconds=n / rate)} for n, i in enumerate(ids)],
        )


def _claimed_by(engine, pid: int) -> list[tuple[int, str]]:
    """The messages a worker (by its process id) holds: "sending" under its claim."""
    import sqlalchemy as sa

    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT id, to_address FROM message WHERE status = 'sending' "
                "AND claimed_by LIKE :claim"
            ),
            {"claim": f"{socket.gethostname()}:{pid}:%"},
        )
        return [tuple(row) for row in rows]


def _unsent(engine, ids: list[int]) -> int:
    import sqlalchemy as sa

    with engine.connect() as connection:
        return connection.scalar(
            sa.text("SELECT count(*) FROM message WHERE id = ANY(:ids) AND status != 'sent'"),
            {"ids": ids},
        )


async def _wait(condition, within: float, every: float = 0.2) -> bool:
    deadline = time.perf_counter() + within
    while time.perf_counter() < deadline:
        if await asyncio.to_thread(condition):
            return True
        await asyncio.sleep(every)
    return False


async def _load(stack, engine, tokens, text_ids, settings) -> dict:
    from bench.stack import https_context
    from bench.stack_load import person

    walks: list = []
    fault: dict = {}
    links = iter(tokens)
    began = time.perf_counter()
    until = began + settings["seconds"]
    context = https_context(stack)
    await asyncio.to_thread(_make_due, engine, text_ids, settings["rate"])

    async def kill_web() -> None:
        await asyncio.sleep(settings["web_kill_at"])
        fault["web_at"] = time.perf_counter()
        await asyncio.to_thread(stack.kill_web, 0)
        await asyncio.sleep(settings["down_seconds"])
        await asyncio.to_thread(stack.start_web, 0)
        fault["web_back"] = time.perf_counter()

    async def kill_worker() -> None:
        await asyncio.sleep(settings["worker_kill_at"])
        pids = [worker.popen.pid for worker in stack.workers]
        busy: list[int] = []  # the worker to kill: the first seen holding enough

        def holding(at_least: int) -> bool:
            busy[:] = [n for n, pid in enumerate(pids) if len(_claimed_by(engine, pid)) >= at_least]
            return bool(busy)

        # Kill a worker the moment it holds a batch (claimed and out at the provider): a few
        # messages if one comes within 10 s, else any. Whichever worker it is: one draining
        # texts as they fall due can leave the other nothing to claim for a while.
        fault["worker_busy"] = await _wait(lambda: holding(3), 10, every=0.05) or await _wait(
            lambda: holding(1), 20, every=0.05
        )
        number = busy[0] if busy else 0
        await asyncio.to_thread(stack.kill_worker, number)
        fault["worker_at"] = time.perf_counter()
        fault["held"] = await asyncio.to_thread(_claimed_by, engine, pids[number])
        await asyncio.sleep(settings["down_seconds"])
        await asyncio.to_thread(stack.start_worker, number)
        held = [i for i, _ in fault["held"]]
        limit = settings["lease"] + 60
        fault["held_sent"] = await _wait(lambda: _unsent(engine, held) == 0, limit)
        fault["held_sent_at"] = time.perf_counter()

    people = [
        person(n, stack.https_url, context, links, until, settings["retries"], walks)
        for n in range(settings["people"])
    ]
    await asyncio.gather(kill_web(), kill_worker(), *people)
    # Then every text, however long the last of them take.
    fault["all_sent"] = await _wait(lambda: _unsent(engine, text_ids) == 0, 90, every=0.5)
    return {
        "walks": walks,
        "fault": fault,
        "began": began,
        "elapsed": time.perf_counter() - began,
        "links_left": sum(1 for _ in links),
    }


def run(
    seconds: float = 75.0,
    people: int = 12,
    web_kill_at: float = 30.0,
    worker_kill_at: float = 45.0,
    down_seconds: float = 5.0,
    rate: float = 10.0,
    latency: float = 0.5,
    lease: int = 10,
    provider_lists: bool = True,
    database: str = DATABASE,
    retries: int = 2,
) -> dict:
    """The whole run; its figures (a flat dict, ``passed`` last)."""
    import sqlalchemy as sa

    from bench.stack import Stack
    from bench.stack_load import links_for, lost
    from tests.fakes.twilio_server import FakeTwilio

    settings = {
        **{"seconds": seconds, "people": people, "web_kill_at": web_kill_at},
        **{"worker_kill_at": worker_kill_at, "down_seconds": down_seconds, "rate": rate},
        **{"lease": lease, "retries": retries},
    }
    database = database.replace("postgresql://", "postgresql+psycopg://", 1)
    saved_environment = dict(os.environ)
    texts = int(rate * (seconds + 10))  # due all through the load
    try:
        app, tokens, text_ids = _seed(database, links_for(people, seconds), texts)
        engine = sa.create_engine(database)
        with FakeTwilio() as twilio:
            twilio.delay_seconds, twilio.listing = latency, provider_lists
            environment = {
                "SMS_PROVIDER": "twilio",
                "TWILIO_ACCOUNT_SID": twilio.account_sid,
                "TWILIO_AUTH_TOKEN": twilio.auth_token,
                "TWILIO_FROM_NUMBER": SENDER,
                "TWILIO_API_BASE_URL": twilio.base_url,
                "SENDING_LEASE_SECONDS": str(lease),
                "WORKER_POLL_SECONDS": "0.5",
                "SEND_FROM_HOUR": "0",
                "SEND_UNTIL_HOUR": "24",
                # Every family here comes from 127.0.0.1: the per-address limit is not the test.
                "LINK_RATE_LIMIT": "100000 per minute",
            }
            with Stack(
                database, workers=2, secret_key=app.config["SECRET_KEY"], settings=environment
            ) as stack:
                load = asyncio.run(_load(stack, engine, tokens, text_ids, settings))
                logs = {name: stack.log(name) for name in ("worker-0", "worker-1")}
            taken = Counter(r.form.get("To") for r in twilio.requests if r.answered == 201)
        with engine.connect() as connection:
            numbers = dict(
                connection.execute(
                    sa.text("SELECT id, to_address FROM message WHERE id = ANY(:ids)"),
                    {"ids": text_ids},
                ).all()
            )
        data = lost(database, load["walks"])
        engine.dispose()
    finally:
        os.environ.clear()
        os.environ.update(saved_environment)
    return _figures(settings, load, data, numbers, taken, provider_lists, logs)


def _figures(settings, load, data, numbers, taken, provider_lists, logs) -> dict:
    from bench.stack_load import errors_between

    fault, walks = load["fault"], load["walks"]
    web = errors_between(walks, fault["web_at"], fault["worker_at"])
    worker = errors_between(walks, fault["worker_at"], float("inf"))
    before = errors_between(walks, 0, fault["web_at"])
    held_numbers = {to for _, to in fault["held"]}
    duplicates = sum(taken[to] - 1 for to in numbers.values() if taken[to] > 1)
    duplicates_held = sum(taken[to] - 1 for to in held_numbers if taken[to] > 1)
    recovered_after = (web["last_error_at"] or fault["web_at"]) - fault["web_at"]
    figures = {
        "name": NAME,
        "people": settings["people"],
        "seconds": round(load["elapsed"], 1),
        "twilio_lists_sent_messages": provider_lists,
        **data,
        "errors_before_the_kills": before["errors"],
        "web_killed_at_seconds": round(fault["web_at"] - load["began"], 1),
        "web_back_after_seconds": round(fault["web_back"] - fault["web_at"], 1),
        "errors_seen_while_web_killed": web["errors"],
        "their_kinds": web["kinds"],
        "posts_among_them": web["posts"],
        "seconds_from_web_kill_to_last_error": round(recovered_after, 1),
        "worker_killed_at_seconds": round(fault["worker_at"] - load["began"], 1),
        "worker_held_a_batch": fault["worker_busy"],
        "messages_held_by_killed_worker": len(fault["held"]),
        "errors_seen_after_worker_killed": worker["errors"],
        "seconds_until_its_batch_was_sent": round(fault["held_sent_at"] - fault["worker_at"], 1),
        "lease_seconds": settings["lease"],
        "texts_due": len(numbers),
        "texts_taken_at_least_once": sum(1 for to in numbers.values() if taken[to] >= 1),
        "texts_lost": sum(1 for to in numbers.values() if taken[to] == 0),
        "duplicates": duplicates,
        "duplicates_bound": len(fault["held"]),
        "duplicates_outside_the_held_batch": duplicates - duplicates_held,
        "not_sent_again_after_asking_twilio": sum(
            log.count("not sent again") for log in logs.values()
        ),
        "links_ran_out": load["links_left"] == 0,
        "machine": machine(),  # a shared machine: the load average says how busy
    }
    figures["passed"] = (
        data["answers_lost"] == 0
        and data["sendings_lost"] == 0
        and figures["texts_lost"] == 0
        and fault["all_sent"]
        and fault["worker_busy"]
        and len(fault["held"]) > 0
        and duplicates <= len(fault["held"])
        and figures["duplicates_outside_the_held_batch"] == 0
        and before["errors"] == 0
        and worker["errors"] == 0
        and not figures["links_ran_out"]
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=75.0)
    parser.add_argument("--people", type=int, default=12)
    parser.add_argument("--web-kill-at", type=float, default=30.0)
    parser.add_argument("--worker-kill-at", type=float, default=45.0)
    parser.add_argument("--down-seconds", type=float, default=5.0, help="before each restart")
    parser.add_argument("--rate", type=float, default=10.0, help="texts falling due a second")
    parser.add_argument("--latency", type=float, default=0.5, help="fake Twilio's answer, s")
    parser.add_argument("--lease", type=int, default=10, help="SENDING_LEASE_SECONDS")
    parser.add_argument("--provider-cannot-list", action="store_true")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--ci", action="store_true", help="the short variant")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.ci:
        for key, value in CI_SETTINGS.items():
            setattr(args, key, value)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = run(
        args.seconds,
        args.people,
        args.web_kill_at,
        args.worker_kill_at,
        args.down_seconds,
        args.rate,
        args.latency,
        args.lease,
        not args.provider_cannot_list,
        args.database,
    )
    print_figures(figures, " ".join([".venv/bin/python", *sys.argv]))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    sys.exit(0 if figures["passed"] else 1)


if __name__ == "__main__":
    main()
