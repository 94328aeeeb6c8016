"""Benchmark: family pages under load, against gunicorn (2 workers) on PostgreSQL.

20 people at once, each through their own link: GET a question page, POST its answer (which
saves it and redirects), next question, round and round. Then, in the same run and under the
same gunicorn, two yardsticks:
- the GOV.UK yardstick (bench/govuk_app.py): a bare Flask app rendering the same GOV.UK question
  page with the same macros, and doing one INSERT per POST; what any such page costs;
- bare Flask (bench/bare_app.py): the INSERT alone.

Prints p50/p95/p99 latency and requests per second for each, and the portal's requests per
second as a ratio of each yardstick's.

    .venv/bin/python bench/family_pages.py      # PostgreSQL on 127.0.0.1, database bench_pages
    .venv/bin/python bench/family_pages.py --users 20 --seconds 20 --think 0
    .venv/bin/python bench/family_pages.py --database postgresql://postgres@127.0.0.1:5432/mine

--think is each person's pause between requests, in seconds (0: as fast as they can). The load
generator runs on the same machine and shares its cores with gunicorn and PostgreSQL.
The database given is created when missing and emptied first (all tables dropped): never point
it at real data. The last line printed is the figures as JSON (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import random  # think times, not secrets
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import summary  # noqa: E402

DATABASE = "postgresql://postgres@127.0.0.1:5432/bench_pages"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WORKERS = 2  # gunicorn workers: one per core of the machine the figures were measured on
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


def issue_family_links(count: int, chairs: list | None = None) -> list[str]:
    """``count`` conferences, each with one family member holding a live views link (chaired in
    turn by ``chairs`` when given): their tokens. Inside an app context."""
    from datetime import UTC, datetime

    from portal.extensions import db
    from portal.invitations.services import issue_invitation
    from portal.link_tokens import token_for
    from portal.models import FormKind, Role
    from tests.factories import add_child, add_family_member, make_conference, make_staff

    coordinator = make_staff(Role.COORDINATOR)  # who confirmed each contact route safe
    tokens = []
    for number in range(count):
        conference = make_conference(chairs[number % len(chairs)] if chairs else None)
        if chairs:  # a pack has a child as well as the adult who answers
            add_child(conference)
        member = add_family_member(
            conference,
            contact_confirmed_safe_at=datetime.now(UTC),
            contact_confirmed_safe_by_id=coordinator.id,
        )
        invitation = issue_invitation(conference, member, FormKind.VIEWS)
        db.session.commit()
        tokens.append(token_for(invitation.token_salt))
    return tokens


def prepare(database: str, users: int) -> list[str]:
    """An empty, migrated database with one live views link per person: their tokens."""
    import sqlalchemy as sa

    from bench.fresh import app_on_an_empty_database
    from portal.extensions import db

    with app_on_an_empty_database(database).app_context():
        tokens = issue_family_links(users)
        db.session.execute(sa.text("CREATE TABLE bench_row (id serial PRIMARY KEY, body text)"))
        db.session.commit()
    return tokens


def start_gunicorn(
    app: str, port: int, database: str, settings: dict[str, str] | None = None, log=None
) -> subprocess.Popen:
    """gunicorn (WORKERS workers) in production configuration on ``database``, with the test
    data key (the benchmark's data is invented) and ``settings`` added to its environment; its
    output (the app's log: a line a request) to the open file ``log`` when given. Its rate limits
    count in Redis (``REDIS_URL``, else the local one), as production requires, under a key
    prefix of the run's own."""
    from config import TEST_DATA_KEY

    env = os.environ | {
        "HEARD_CONFIG": "production",
        "DATABASE_URL": database,
        "SECRET_KEY": "bench-only-secret-key-not-for-use-anywhere-else",
        "DATA_ENCRYPTION_KEYS": TEST_DATA_KEY,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "RATELIMIT_KEY_PREFIX": f"bench-{secrets.token_hex(6)}",
        "FORCE_HTTPS": "false",
        "SESSION_COOKIE_SECURE": "false",
        "LINK_RATE_LIMIT": "100000 per minute",
        "PYTHONPATH": str(ROOT),
        **(settings or {}),
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, arguments fixed here
        [
            GUNICORN,
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    # Up once a worker answers: the port is open as soon as the master binds it, and the
    # workers then still take seconds to import the app (they boot together).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse()  # any answer will do (the bare app has no /healthz)
            return server
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    server.kill()
    raise SystemExit(f"gunicorn did not start: {app}")


def server_log(name: str):
    """A file for gunicorn's output (the app logs a line a request): kept out of the figures."""
    return tempfile.NamedTemporaryFile(  # noqa: SIM115 - open for the whole run, kept after it
        "w", prefix=f"bench-{name}-", suffix=".log", delete=False
    )


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


def answer_for(question, step: int, csrf_token: str) -> dict[str, str]:
    """A family's answer to ``question`` as its form posts it: some text, and for a choice the
    first option that raises no concern (so the form goes on to the next question)."""
    data = {"csrf_token": csrf_token, "text": f"Answer {step} — zażółć 💬"}
    if question.kind == "choice":
        data["choice"] = next(v for v, _ in question.options if v != question.concern_choice)
    elif question.kind == "choices":
        data["choices"] = question.options[0][0]
    return data


async def answer_questions(session, until: float, think: float, timings: Timings) -> None:
    """GET a question, POST its answer (saved; redirected on), round and round."""
    from portal.family_forms.questions import PARENT_VIEWS

    questions = PARENT_VIEWS.questions
    step = 0
    if think:  # people arrive at different moments, not all on the same millisecond
        await asyncio.sleep(pause() * think)
    while time.perf_counter() < until:
        question = questions[step % len(questions)]
        page = await timed(session, timings, "GET", f"/your-say/q/{question.id}")
        data = answer_for(question, step, CSRF.search(page)[1])
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


async def govuk_pages(session, until: float, think: float, timings: Timings) -> None:
    """The GOV.UK yardstick's round: GET its question page, POST an answer (one INSERT)."""
    step = 0
    if think:
        await asyncio.sleep(pause() * think)
    while time.perf_counter() < until:
        await timed(session, timings, "GET", "/q")
        if think:
            await asyncio.sleep(pause() * think)
        await timed(
            session, timings, "POST", "/q", data={"choice": "yes", "text": f"Answer {step}"}
        )
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


def run(
    database: str = DATABASE,
    users: int = 20,
    seconds: float = 20,
    think: float = 0.0,
    warmup: float = 5,
) -> dict:
    """The portal's family pages, then the bare app, under the same load: prints both, returns
    the figures (bench/summary.py)."""
    args = argparse.Namespace(users=users, seconds=seconds, think=think, warmup=warmup)
    database = database.replace("postgresql://", "postgresql+psycopg://", 1)

    tokens = prepare(database, users)
    print(
        f"Family pages: {users} people at once, {seconds:.0f} s measured after "
        f"{warmup:.0f} s warm-up for each app, think time {think} s, gunicorn "
        f"--workers {WORKERS}, {os.cpu_count()} cores, PostgreSQL"
    )

    log = server_log("pages")

    def measure(app: str, load, label: str, title: str) -> tuple[Timings, float]:
        port = free_port()
        server = start_gunicorn(app, port, database, log=log)
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
    govuk_timings, govuk_elapsed = measure(
        "bench.govuk_app:app",
        govuk_pages,
        "govuk",
        "GOV.UK yardstick (GET the same GOV.UK question page; POST: one INSERT, redirect):",
    )
    bare_timings, bare_elapsed = measure(
        "bench.bare_app:app", insert_rows, "bare", "Bare Flask (POST: one INSERT, redirect):"
    )

    def per_second(timings: Timings, seconds: float) -> float:
        return (len(timings.seconds["POST"]) + len(timings.seconds["GET"])) / seconds

    portal_rate = per_second(portal_timings, elapsed)
    to_govuk = portal_rate / per_second(govuk_timings, govuk_elapsed)
    to_bare = portal_rate / per_second(bare_timings, bare_elapsed)
    everything = portal_timings.seconds["GET"] + portal_timings.seconds["POST"]
    p95 = round(statistics.quantiles(everything, n=100)[94] * 1000, 1)
    if think:
        print("Requests/s compared only with --think 0: with pauses the apps wait on people.")
    else:
        print(f"Portal requests/s over the GOV.UK yardstick's: {to_govuk:.2f} (aim: at least 0.85)")
        print(f"Portal requests/s over bare Flask's: {to_bare:.2f}")
        print(f"Portal p95, GETs and POSTs together: {p95} ms (aim: under 100 ms)")
    load_average = os.getloadavg()[0]
    print(f"Load average (1 min) at the end: {load_average:.2f}")
    command = summary.rerun("bench/family_pages.py")
    print(f"gunicorn's log: {log.name}")
    print("Rerun: " + command)

    def p95_ms(values: list[float]) -> float:
        return round(statistics.quantiles(values, n=100)[94] * 1000, 1)

    errors = portal_timings.errors + govuk_timings.errors + bare_timings.errors
    get_p95 = p95_ms(portal_timings.seconds["GET"])
    post_p95 = p95_ms(portal_timings.seconds["POST"])
    return summary.report(
        "family pages",
        f"{users} families answering as fast as they can, gunicorn on PostgreSQL, "
        "against a bare GOV.UK page and a bare Flask INSERT",
        f"{portal_rate:.0f} req/s: {to_govuk:.2f} of the GOV.UK yardstick, {to_bare:.2f} of bare "
        f"Flask; p95 {p95} ms (GET {get_p95}, POST {post_p95}); {errors} errors",
        "at least 0.85 of the GOV.UK yardstick's requests/s and p95 under 100 ms (--think 0), "
        "0 errors",
        errors == 0 and (bool(think) or (to_govuk >= 0.85 and p95 < 100)),
        command,
        requests_per_second=round(portal_rate, 1),
        get_p95_ms=get_p95,
        post_p95_ms=post_p95,
        p95_ms=p95,
        ratio_to_govuk=round(to_govuk, 2),
        ratio_to_bare=round(to_bare, 2),
        errors=errors,
        load_average=round(load_average, 2),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between requests, s")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of load not measured")
    args = parser.parse_args()
    result = run(args.database, args.users, args.seconds, args.think, args.warmup)
    summary.print_last_line(result)
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
