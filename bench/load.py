"""Benchmark: the portal under a mixed load, driven by Locust (headless), against gunicorn on
PostgreSQL.

Three kinds of simulated people, each with their own cookies, in proportion 3 : 1 : 1:

- families: each journey a new family's own link: open it (GET, then Continue), Start, every
  question of the views form (GET the page, POST the answer), the check page, submit, the
  confirmation page;
- coordinators: sign in, the conference list (pages 1 and 2), three conference pages, sign out;
- chairs: sign in, the conference list, the packs of three of their own conferences, sign out.

Each person pauses between pages (``--think``: the mean, in seconds). Every request is checked:
an error is a status of 400 or more, a failed connection, or a page that is not what the step
expects (a redirect where a page was asked for, no form on it, a sign-in or a submission not
sent where it should go); the run fails on any error.
After the run, every submission that reached the confirmation page must be in the database.

    .venv/bin/python bench/load.py                  # 50 users for 2 minutes (make bench-load)
    .venv/bin/python bench/load.py --ci             # 10 users for 20 s (CI)
    .venv/bin/python bench/load.py --users 20 --duration 60 --think 0.5
    .venv/bin/python bench/load.py --database postgresql://postgres@127.0.0.1:5432/mine

gunicorn runs as bench/family_pages.py starts it (production configuration, its workers), with
every sign-in and link rate limit raised for the run (every simulated person comes from
127.0.0.1) and the second factor not asked (the accounts have none). The figures are measured
after the users have started and a short warm-up; errors are counted over the whole run. When
the time is up everyone finishes the journey they are on, so every family who began submits.
The load generator shares the machine's cores with gunicorn and PostgreSQL.

The database given is created when missing and emptied first (all tables dropped): never point
it at real data. The last line printed is the figures as JSON (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random  # which conference to open next: not a secret
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# Locust patches the standard library for gevent when it is imported: before the app's modules.
import gevent
from locust import FastHttpUser, between, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import summary  # noqa: E402
from bench.family_pages import (  # noqa: E402
    CSRF,
    WORKERS,
    answer_for,
    free_port,
    issue_family_links,
    server_log,
    start_gunicorn,
    stop,
)

DATABASE = "postgresql://postgres@127.0.0.1:5432/bench_load"
RAISED_LIMIT = "100000 per minute"
CONFERENCES_PER_PAGE = 25  # config.Config.CONFERENCES_PER_PAGE
JOURNEY_REQUESTS = 27  # a family's: 4 to open the link and start, 2 a question, 3 to finish
WARMUP_SECONDS = 5
DRAIN_SECONDS = 120  # at most, for everyone to finish the journey they are on
PASSWORD = "a long benchmark password"  # noqa: S105 - invented accounts in a throwaway database


class WrongPage(Exception):
    """The answer was not the page this step of the journey expects."""


class Visitor(FastHttpUser):
    """One person in one browser: pages are checked, each step waits a think time."""

    abstract = True
    wait_time = between(0.5, 1.5)

    def page(self, name: str, path: str, needs_form: bool = True) -> str:
        """GET a page; its body. A page a person fills in must carry a CSRF token."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as got:
            body = got.text or ""
            if got.status_code < 400 and got.status_code != 200:  # e.g. sent to sign in
                where = urlsplit(got.headers.get("Location") or "").path
                got.failure(WrongPage(f"answered {got.status_code} to {where or 'nowhere'}"))
            elif got.status_code == 200 and needs_form and not CSRF.search(body):
                got.failure(WrongPage("no form on the page"))
        gevent.sleep(self.wait_time())  # not self.wait(): a journey is never cut short
        return body

    def post(
        self, name: str, path: str, data: dict[str, str], then: str, exact: bool = False
    ) -> bool:
        """POST a form; success is a redirect to a path starting with ``then`` (or, when
        ``exact``, to ``then`` itself)."""
        accepted = False
        with self.client.post(
            path, name=name, data=data, allow_redirects=False, catch_response=True
        ) as got:
            if got.status_code < 400:
                where = urlsplit(got.headers.get("Location") or "").path
                arrived = where == then or (not exact and where.startswith(then))
                accepted = got.status_code in (302, 303) and arrived
                if not accepted:
                    got.failure(WrongPage(f"answered {got.status_code} to {where or 'nowhere'}"))
        gevent.sleep(self.wait_time())  # not self.wait(): a journey is never cut short
        return accepted

    def sign_in(self, email: str) -> None:
        page = self.page("staff: sign-in page", "/login")
        form = {"csrf_token": token(page), "email": email, "password": PASSWORD}
        self.post("staff: sign in", "/login", form, then="/", exact=True)  # not a 2nd step

    def sign_out(self, page: str) -> None:
        self.post("staff: sign out", "/logout", {"csrf_token": token(page)}, "/login", exact=True)
        self.client.cookiejar.clear()


def token(page: str) -> str:
    found = CSRF.search(page)
    return found[1] if found else ""


class Family(Visitor):
    weight = 3
    links: itertools.count  # set by run(): the next family's token, one journey each
    tokens: list[str]
    submitted = 0

    @task
    def answer_the_views_form(self) -> None:
        from portal.family_forms.questions import PARENT_VIEWS

        number = next(Family.links)
        if number >= len(Family.tokens):
            raise WrongPage("every family link has been used: seed more")
        link = f"/r/{Family.tokens[number]}"
        page = self.page("family: link", link)
        self.post("family: continue", link, {"csrf_token": token(page)}, then="/your-say/")
        page = self.page("family: start page", "/your-say/")
        self.post("family: start", "/your-say/start", {"csrf_token": token(page)}, "/your-say/q/")
        for step, question in enumerate(PARENT_VIEWS.questions):
            path = f"/your-say/q/{question.id}"
            page = self.page("family: question", path)
            self.post("family: answer", path, answer_for(question, step, token(page)), "/your-say/")
        page = self.page("family: check answers", "/your-say/check")
        submit = {"csrf_token": token(page)}
        if self.post("family: submit", "/your-say/check", submit, "/your-say/done", exact=True):
            Family.submitted += 1  # confirmed to the family: it must be in the database
        self.page("family: confirmation", "/your-say/done")
        self.client.cookiejar.clear()  # the next journey is another family's phone


class Coordinator(Visitor):
    weight = 1
    accounts: itertools.cycle  # set by run(): emails, taken in turn
    conference_ids: list[int]

    @task
    def browse_conferences(self) -> None:
        self.sign_in(next(Coordinator.accounts))
        page = self.page("coordinator: conference list", "/conferences/")
        if len(Coordinator.conference_ids) > CONFERENCES_PER_PAGE:
            self.page("coordinator: conference list", "/conferences/?page=2")
        for conference_id in random.sample(Coordinator.conference_ids, 3):
            page = self.page("coordinator: conference page", f"/conferences/{conference_id}")
        self.sign_out(page)


class Chair(Visitor):
    weight = 1
    accounts: itertools.cycle  # set by run(): (email, the ids of the conferences they chair)

    @task
    def read_packs(self) -> None:
        email, conference_ids = next(Chair.accounts)
        self.sign_in(email)
        page = self.page("chair: conference list", "/conferences/")
        for conference_id in random.sample(conference_ids, min(3, len(conference_ids))):
            self.page("chair: pack", f"/conferences/{conference_id}/pack", needs_form=False)
        self.sign_out(page)


USERS = (Family, Coordinator, Chair)


def seed(database: str, users: int, seconds: float, think: float) -> dict:
    """An empty, migrated database: the chairs' conferences, each with a child and a family
    member holding a live views link (enough links for every family journey the run can make),
    and staff accounts with the production password hash."""
    from argon2 import PasswordHasher

    from bench.fresh import app_on_an_empty_database
    from portal.extensions import db
    from portal.models import Conference, Role
    from tests.factories import make_staff

    share = sum(user.weight for user in USERS)
    families = math.ceil(users * Family.weight / share)
    staff = max(2, math.ceil(users * Coordinator.weight / share))
    # Links for every journey the run can make: a journey's pauses add up to close to their
    # mean (27 draws), so 0.8 of it is a safe shortest; the extra minute covers the start-up,
    # the warm-up and the journeys finished after the window.
    shortest_journey = max(2.0, JOURNEY_REQUESTS * think * 0.8)
    links = families * (math.ceil((seconds + 60) / shortest_journey) + 1)
    password_hash = PasswordHasher().hash(PASSWORD)  # what production verifies, at its cost
    with app_on_an_empty_database(database).app_context():
        chairs = [make_staff(Role.CHAIR, password_hash=password_hash) for _ in range(2 * staff)]
        coordinators = [
            make_staff(Role.COORDINATOR, password_hash=password_hash) for _ in range(2 * staff)
        ]
        tokens = issue_family_links(links, chairs)
        chaired = {chair.email: [] for chair in chairs}
        for conference in db.session.scalars(db.select(Conference)):
            chaired[conference.chair.email].append(conference.id)
        return {
            "tokens": tokens,
            "coordinators": [user.email for user in coordinators],
            "chairs": list(chaired.items()),
            "conference_ids": [id for ids in chaired.values() for id in ids],
        }


def submissions_saved(database: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(database)
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.text("SELECT count(*) FROM form_response WHERE submitted_at IS NOT NULL")
            ).scalar_one()
    finally:
        engine.dispose()


def raised_limits() -> dict[str, str]:
    """Every rate limit setting (LOGIN_RATE_LIMIT, LINK_RATE_LIMIT, …) raised for the run."""
    from config import Config

    return {name: RAISED_LIMIT for name in dir(Config) if name.endswith("_RATE_LIMIT")}


@dataclass
class Figures:
    """One page's figures (or all pages'), taken when the measured window closes."""

    name: str
    count: int
    p50: int
    p95: int
    p99: int
    failures: int

    @classmethod
    def of(cls, entry, name: str | None = None) -> Figures:
        cut = entry.get_response_time_percentile
        return cls(
            name or entry.name,
            entry.num_requests,
            cut(0.5),
            cut(0.95),
            cut(0.99),
            entry.num_failures,
        )


@dataclass
class Window:
    """The measured window: its figures, and the machine's load around it."""

    seconds: float
    pages: list[Figures]
    total: Figures
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    drained: float  # seconds for everyone to finish the journey they were on


def run(
    database: str = DATABASE,
    users: int = 50,
    duration: float = 120,
    think: float = 1.0,
    ci: bool = False,
) -> dict:
    """Seed, start gunicorn, run Locust headless, print the figures and return them."""
    began = time.perf_counter()
    database = database.replace("postgresql://", "postgresql+psycopg://", 1)
    print(f"Seeding {database.rsplit('/', 1)[-1]} …", flush=True)
    seeded = seed(database, users, duration, think)
    print(
        f"Seeded {len(seeded['tokens'])} conferences with a family link each, "
        f"{len(seeded['chairs'])} chairs, {len(seeded['coordinators'])} coordinators "
        f"in {time.perf_counter() - began:.0f} s",
        flush=True,
    )
    cast(seeded, think)

    limits = raised_limits()
    settings = limits | {"TWO_FACTOR_REQUIRED": "false"}
    port = free_port()
    log = server_log("load")
    server = start_gunicorn("wsgi:app", port, database, settings, log)
    errors: Counter[str] = Counter()
    try:
        window = measure(port, users, duration, errors)
    finally:
        stop(server)
    saved = submissions_saved(database)
    lost = max(0, Family.submitted - saved)
    if lost:
        errors["family: submissions confirmed but not in the database"] += lost
    if Family.submitted == 0:
        errors["family: no journey reached the confirmation page"] += 1

    print_figures(window, users, think, limits, saved, errors)
    log.close()
    server_errors = Path(log.name).read_text(encoding="utf-8").count('"status": 5')
    print(f"gunicorn's log: {log.name} ({server_errors} answers with a 5xx status)")
    command = summary.rerun("bench/load.py")
    print(f"Rerun: {command}")
    total, measured = window.total, window.seconds
    rate = total.count / measured
    error_count = sum(errors.values())
    return summary.report(
        "load",
        f"{users} users for {measured:.0f} s: families submitting, coordinators browsing, "
        "chairs opening packs (Locust, gunicorn, PostgreSQL)",
        f"{error_count} errors, {rate:.0f} req/s, p50 {total.p50} ms, p95 {total.p95} ms, "
        f"p99 {total.p99} ms, {saved} forms submitted",
        "0 errors; every confirmed submission in the database",
        error_count == 0,
        command,
        users=users,
        seconds=round(measured, 1),
        requests=total.count,
        requests_per_second=round(rate, 1),
        p50_ms=total.p50,
        p95_ms=total.p95,
        p99_ms=total.p99,
        errors=error_count,
        submitted=saved,
        ci=ci,
        wall_seconds=round(time.perf_counter() - began, 1),
    )


def cast(seeded: dict, think: float) -> None:
    """Give each kind of person the links and accounts they take turns with, and their pauses."""
    Family.tokens, Family.links, Family.submitted = seeded["tokens"], itertools.count(), 0
    Coordinator.accounts = itertools.cycle(seeded["coordinators"])
    Coordinator.conference_ids = seeded["conference_ids"]
    Chair.accounts = itertools.cycle(seeded["chairs"])
    for user in USERS:
        user.wait_time = between(think * 0.5, think * 1.5)


def measure(port: int, users: int, duration: float, errors: Counter[str]) -> Window:
    """Start the users, warm up, measure for ``duration`` seconds, then let everyone finish.
    Errors are counted into ``errors`` from the start."""

    def count_error(name: str, exception: BaseException | None, **_: object) -> None:
        if exception is not None:
            errors[f"{name}: {type(exception).__name__}: {str(exception)[:120]}"] += 1

    def count_user_error(user_instance: object, exception: BaseException, **_: object) -> None:
        errors[f"{type(user_instance).__name__} stopped: {exception}"] += 1

    # When the window closes, each person finishes the journey they are on (a family submits):
    # what they were told was saved is then checked in the database.
    environment = Environment(
        user_classes=list(USERS), host=f"http://127.0.0.1:{port}", stop_timeout=DRAIN_SECONDS
    )
    environment.events.request.add_listener(count_error)
    environment.events.user_error.add_listener(count_user_error)
    runner = environment.create_local_runner()
    try:
        runner.start(users, spawn_rate=max(1, users / 5))
        while runner.user_count < users:
            gevent.sleep(0.2)
        gevent.sleep(WARMUP_SECONDS)
        environment.stats.reset_all()  # measured from here; errors still count from the start
        load_before = os.getloadavg()
        measured_from = time.perf_counter()
        gevent.sleep(duration)
        measured = time.perf_counter() - measured_from
        load_after = os.getloadavg()
        stats = environment.stats
        pages = [Figures.of(e) for e in sorted(stats.entries.values(), key=lambda e: e.name)]
        total = Figures.of(stats.total, "all")
        draining_from = time.perf_counter()
        runner.stop()
        drained = time.perf_counter() - draining_from
    finally:
        runner.quit()
    return Window(measured, pages, total, load_before, load_after, drained)


def print_figures(
    window: Window,
    users: int,
    think: float,
    limits: dict[str, str],
    saved: int,
    errors: Counter[str],
) -> None:
    measured, total = window.seconds, window.total
    line = "  {:<32} {:>7} {:>8} {:>8} {:>8} {:>7}"
    print(
        f"Load: {users} users (families, coordinators, chairs 3 : 1 : 1), {measured:.0f} s "
        f"measured after start-up and {WARMUP_SECONDS} s warm-up, think time {think} s (mean); "
        f"gunicorn --workers {WORKERS} on PostgreSQL"
    )
    print(
        f"Machine: {os.cpu_count()} cores; load average {window.load_before[0]:.2f} when "
        f"measuring began, {window.load_after[0]:.2f} at the end (the load generator shares "
        "the cores)"
    )
    print(
        "Raised for the run, as every user comes from 127.0.0.1: "
        + ", ".join(sorted(limits))
        + f" = {RAISED_LIMIT}; second factor not asked (TWO_FACTOR_REQUIRED=false)"
    )
    print(line.format("page", "count", "p50 ms", "p95 ms", "p99 ms", "errors"))
    for row in [*(page for page in window.pages if page.count), total]:
        print(line.format(row.name, row.count, row.p50, row.p95, row.p99, row.failures))
    print(f"Requests per second: {total.count / measured:.1f}")
    print(
        f"Family submissions confirmed: {Family.submitted}, in the database: {saved} (journeys "
        f"begun: {min(next(Family.links), len(Family.tokens))}; after the window, "
        f"{window.drained:.0f} s to let everyone finish the journey they were on)"
    )
    print(f"Errors over the whole run (target 0): {sum(errors.values())}")
    for kind, count in errors.most_common():
        print(f"  {count:>5} × {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--users", type=int, help="people at once (50; 10 with --ci)")
    parser.add_argument("--duration", type=float, help="seconds measured (120; 20 with --ci)")
    parser.add_argument("--think", type=float, help="mean pause between pages, s (1; 0.3 --ci)")
    parser.add_argument("--ci", action="store_true", help="a short run: 10 users for 20 s")
    args = parser.parse_args()
    users = args.users or (10 if args.ci else 50)
    duration = args.duration or (20 if args.ci else 120)
    think = args.think if args.think is not None else (0.3 if args.ci else 1.0)
    result = run(args.database, users, duration, think, args.ci)
    summary.print_last_line(result)
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
