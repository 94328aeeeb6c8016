"""Benchmark: family pages under load, against gunicorn (2 workers) on PostgreSQL.

20 people at once, each through their own link: GET a question page, POST its answer (which
saves it and redirects), next question, round and round. Then, in the same run, a bare Flask
app under the same gunicorn doing the same single INSERT per POST, for comparison.

Prints p50/p95/p99 latency and requests per second for the portal's GETs and POSTs, and the
bare app's requests per second.

    .venv/bin/python bench/family_pages.py              # PostgreSQL on 127.0.0.1, database test
    .venv/bin/python bench/family_pages.py --users 20 --seconds 20 --think 0
    .venv/bin/python bench/family_pages.py --database postgresql://postgres@127.0.0.1:5432/test

--think is each person's pause between requests, in seconds (0: as fast as they can). The load
generator runs on the same machine and shares its cores with gunicorn and PostgreSQL.
The database given is emptied first (all tables dropped): never point it at real data.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random  # think times, not secrets
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass
class Timings:
    seconds: dict[str, list[float]] = field(default_factory=lambda: {"GET": [], "POST": []})
    errors: int = 0

    def report(self, label: str, elapsed: float) -> str:
        lines = []
        everything = self.seconds["GET"] + self.seconds["POST"]
        for name, values in (*self.seconds.items(), ("all", everything)):
            if not values:
                continue
            cuts = statistics.quantiles(values, n=100)
            lines.append(
                f"  {label} {name:<4} {len(values):>6} requests {len(values) / elapsed:7.1f}/s   "
                f"p50 {cuts[49] * 1000:6.1f} ms  p95 {cuts[94] * 1000:6.1f} ms  "
                f"p99 {cuts[98] * 1000:6.1f} ms"
            )
        lines.append(f"  {label} errors (non-2xx/3xx or refused): {self.errors}")
        return "\n".join(lines)


def pause() -> float:
    return random.uniform(0.5, 1.5)  # noqa: S311 - a think time, not a secret


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database: str, users: int) -> list[str]:
    """An empty, migrated database with one live views link per person: their tokens."""
    import sqlalchemy as sa

    from bench.fresh import app_on_an_empty_database
    from portal.extensions import db
    from portal.invitations.services import issue_invitation
    from portal.invitations.tokens import token_for
    from portal.models import FormKind
    from tests.factories import add_contactable_member, make_conference

    with app_on_an_empty_database(database).app_context():
        tokens = []
        for _ in range(users):
            conference = make_conference()
            invitation = issue_invitation(
                conference, add_contactable_member(conference), FormKind.VIEWS
            )
            db.session.commit()
            tokens.append(token_for(invitation.token_salt))
        db.session.execute(sa.text("CREATE TABLE bench_row (id serial PRIMARY KEY, body text)"))
        db.session.commit()
    return tokens


def start_gunicorn(app: str, port: int, database: str) -> subprocess.Popen:
    env = os.environ | {
        "HEARD_CONFIG": "production",
        "DATABASE_URL": database,
        "SECRET_KEY": "bench-only-secret-key-not-for-use-anywhere-else",
        "FORCE_HTTPS": "false",
        "SESSION_COOKIE_SECURE": "false",
        "LINK_RATE_LIMIT": "100000 per minute",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, arguments fixed here
        [GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"gunicorn did not start: {app}")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=20)


async def timed(session, timings: Timings, method: str, url: str, **kwargs) -> str:
    began = time.perf_counter()
    async with session.request(method, url, allow_redirects=False, **kwargs) as answer:
        body = await answer.text()
        took = time.perf_counter() - began
    if answer.status >= 400:
        timings.errors += 1
    else:
        timings.seconds[method].append(took)
    return body


async def open_link(session, token: str) -> None:
    """What a person does once: open their link, press Continue, then Start."""
    setup = Timings()
    page = await timed(session, setup, "GET", f"/r/{token}")
    await timed(session, setup, "POST", f"/r/{token}", data={"csrf_token": CSRF.search(page)[1]})
    page = await timed(session, setup, "GET", "/your-say/")
    await timed(
        session, setup, "POST", "/your-say/start", data={"csrf_token": CSRF.search(page)[1]}
    )


async def answer_questions(session, until: float, think: float, timings: Timings) -> None:
    """GET a question, POST its answer (saved; redirected on), round and round."""
    from portal.family_forms.questions import PARENT_VIEWS

    answers = {
        "choice": lambda q: next(v for v, _ in q.options if v != q.concern_choice),
        "choices": lambda q: q.options[0][0],
    }
    questions = PARENT_VIEWS.questions
    step = 0
    if think:  # people arrive at different moments, not all on the same millisecond
        await asyncio.sleep(pause() * think)
    while time.perf_counter() < until:
        question = questions[step % len(questions)]
        page = await timed(session, timings, "GET", f"/your-say/q/{question.id}")
        data = {"csrf_token": CSRF.search(page)[1], "text": f"Answer {step} — zażółć 💬"}
        if question.kind in answers:
            data[question.kind] = answers[question.kind](question)
        if think:
            await asyncio.sleep(pause() * think)
        await timed(session, timings, "POST", f"/your-say/q/{question.id}", data=data)
        if think:
            await asyncio.sleep(pause() * think)
        step += 1


async def insert_rows(session, until: float, think: float, timings: Timings) -> None:
    step = 0
    if think:
        await asyncio.sleep(pause() * think)
    while time.perf_counter() < until:
        await timed(session, timings, "POST", "/insert", data={"text": f"Answer {step}"})
        if think:
            await asyncio.sleep(pause() * think)
        step += 1


async def run_load(base, tokens, load, args) -> tuple[Timings, float]:
    """Each person opens their link first; then a warm-up without pauses (each gunicorn worker
    compiles its templates on first use), and only then the measured run."""
    import aiohttp

    sessions = [
        aiohttp.ClientSession(base_url=base, cookie_jar=aiohttp.CookieJar(unsafe=True))
        for _ in tokens
    ]
    try:
        if load is answer_questions:
            await asyncio.gather(*(open_link(s, t) for s, t in zip(sessions, tokens, strict=True)))
        until = time.perf_counter() + args.warmup
        await asyncio.gather(*(load(s, until, 0, Timings()) for s in sessions))
        timings = Timings()
        began = time.perf_counter()
        until = began + args.seconds
        await asyncio.gather(*(load(s, until, args.think, timings) for s in sessions))
        return timings, time.perf_counter() - began
    finally:
        await asyncio.gather(*(s.close() for s in sessions))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between requests, s")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of load not measured")
    args = parser.parse_args()
    database = args.database.replace("postgresql://", "postgresql+psycopg://", 1)

    tokens = prepare(database, args.users)
    print(
        f"Family pages: {args.users} people at once, {args.seconds:.0f} s measured after "
        f"{args.warmup:.0f} s warm-up for each app, think time {args.think} s, gunicorn "
        f"--workers 2, {os.cpu_count()} cores, PostgreSQL"
    )

    def measure(app: str, load, label: str, title: str) -> tuple[Timings, float]:
        port = free_port()
        server = start_gunicorn(app, port, database)
        try:
            timings, elapsed = asyncio.run(run_load(f"http://127.0.0.1:{port}", tokens, load, args))
        finally:
            stop(server)
        print(title)
        print(timings.report(label, elapsed))
        return timings, elapsed

    portal_timings, elapsed = measure(
        "wsgi:app",
        answer_questions,
        "portal",
        "Portal (GET a question page; POST an answer: validate, save, redirect):",
    )
    bare_timings, bare_elapsed = measure(
        "bench.bare_app:app", insert_rows, "bare", "Bare Flask (POST: one INSERT, redirect):"
    )

    portal_rate = len(portal_timings.seconds["POST"]) + len(portal_timings.seconds["GET"])
    bare_rate = len(bare_timings.seconds["POST"])
    ratio = (portal_rate / elapsed) / (bare_rate / bare_elapsed)
    if args.think:
        print("Requests/s compared only with --think 0: with pauses both apps wait on people.")
    else:
        print(f"Portal requests/s over bare Flask requests/s: {ratio:.2f} (aim: at least 0.50)")
    print("Rerun: .venv/bin/python bench/family_pages.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
