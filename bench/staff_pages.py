"""Benchmark: staff pages under load, against gunicorn on PostgreSQL with a year of history.

Seeds 10,000 conferences (a year back and six weeks ahead, each with 2 to 6 children and 3 to 7
adults, the older children referred to advocacy, most of them assigned) with bulk INSERT …
SELECT statements, then has 10 staff at once, each in their own thread, sign in through the real
sign-in with the second factor (a TOTP code, as the app on their phone would give) and load, as
fast as the pages come back:

- a coordinator: the conference list's first page and its last page, and a conference page;
- a coordinator who searched by case reference: the list of what matched;
- a chair: the pack of one of their own conferences;
- an advocacy manager: the referrals to assign;
- a participation officer: the participation report for this financial year.

For each page it prints the p95 inside the app (the ``duration_ms`` of the app's own access log
line, matched to each request by the X-Request-ID it sent) against the aim of 50 ms, the p95 the
client saw, the count of requests and of errors, and the machine's load average before and after.

    .venv/bin/python bench/staff_pages.py      # PostgreSQL on 127.0.0.1, database bench_staff
    .venv/bin/python bench/staff_pages.py --staff 10 --seconds 30 --conferences 10000

The load generator shares the machine's cores with gunicorn and PostgreSQL. The database given
is created when missing and emptied first (all tables dropped): never point it at real data. The
last line printed is the figures as JSON (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import json
import os
import random  # which conference to open next: not a secret
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import summary  # noqa: E402
from bench.family_pages import CSRF, free_port, server_log, start_gunicorn, stop  # noqa: E402

DATABASE = "postgresql://postgres@127.0.0.1:5432/bench_staff"
PASSWORD = "a long benchmark password"  # noqa: S105 - invented accounts in a throwaway database
AIM_MS = 50
CONFERENCES_PER_PAGE = 25  # config.Config.CONFERENCES_PER_PAGE
RAISED_LIMIT = "100000 per minute"
SEARCH = "CP-0042"  # matches 11 of 10,000 case references (CP-004200 to CP-004209, CP-000042)
ADVOCATES = 8  # besides the managers: the advocates referrals are assigned to
PAGES = (
    "conference list: first page",
    "conference list: last page",
    "conference list: search",
    "conference page",
    "pack",
    "advocacy referrals",
    "participation report",
)

# One statement each, in one transaction; setseed makes every run load the same.
# :chairs is the array of the bench chairs' ids, :advocates the advocates'.
LOAD = [
    "SELECT setseed(0.17)",
    # A year back and six weeks ahead; held before today (on the day), else scheduled.
    """
    INSERT INTO conference (id, case_reference, conference_type, starts_at, conference_date,
                            format, status, held_on, section_47_started_on, chair_id,
                            created_at, updated_at)
    SELECT i, 'CP-' || lpad(i::text, 6, '0'), kind,
           (day + time '10:00') AT TIME ZONE 'Europe/London', day, 'in_person',
           CASE WHEN day < current_date THEN 'held' ELSE 'scheduled' END,
           CASE WHEN day < current_date THEN day END,
           CASE WHEN kind = 'initial' THEN day - 12 END,
           (:chairs)[1 + i % cardinality(:chairs)], now(), now()
    FROM (
        SELECT i, current_date - 365 + floor(random() * (365 + 42))::int AS day,
               CASE WHEN random() < 0.25 THEN 'initial'
                    WHEN random() < 0.93 THEN 'review' ELSE 'transfer_in' END AS kind
        FROM generate_series(1, :conferences) AS i
    ) AS s
    """,
    """
    CREATE TEMPORARY TABLE bench_child ON COMMIT DROP AS
    SELECT row_number() OVER () AS id, c.id AS conference_id, c.conference_date, c.status,
           c.conference_date - floor(random() * 18 * 365.25)::int AS born, random() AS r
    FROM conference AS c CROSS JOIN LATERAL generate_series(1, 2 + (c.id * 7) % 5) AS n
    """,
    """
    INSERT INTO child (id, first_name, last_name, date_of_birth, created_at, updated_at)
    SELECT id, 'Child', 'Bench ' || id, born, now(), now() FROM bench_child
    """,
    """
    INSERT INTO conference_child (conference_id, child_id, added_at, participation_code)
    SELECT conference_id, id, now(),
           CASE WHEN status <> 'held' THEN NULL
                WHEN born > conference_date - interval '4 years' THEN 'CP0'
                WHEN r < 0.10 THEN 'CP1' WHEN r < 0.18 THEN 'CP2' WHEN r < 0.20 THEN 'CP3'
                WHEN r < 0.25 THEN 'CP4' WHEN r < 0.50 THEN 'CP5' WHEN r < 0.70 THEN 'CP6'
                ELSE 'CP7' END
    FROM bench_child
    """,
    # The children of the advocacy age on the day are referred; 80% assigned.
    """
    INSERT INTO advocacy_referral (conference_id, child_id, automatic, referred_at, advocate_id,
                                   assigned_at)
    SELECT conference_id, id, true, now(),
           CASE WHEN r < 0.8 THEN (:advocates)[1 + id % cardinality(:advocates)] END,
           CASE WHEN r < 0.8 THEN now() END
    FROM bench_child WHERE born <= conference_date - interval '10 years'
    """,
    """
    CREATE TEMPORARY TABLE bench_adult ON COMMIT DROP AS
    SELECT row_number() OVER () AS id, c.id AS conference_id, c.status, n,
           random() < 0.9 AS invited, random() AS came, random() < 0.4 AS heard
    FROM conference AS c CROSS JOIN LATERAL generate_series(1, 3 + (c.id * 3) % 5) AS n
    """,
    """
    INSERT INTO family_member (id, first_name, last_name, relationship, preferred_channel,
                               language, access_needs, created_at, updated_at)
    SELECT id, 'Adult', 'Bench ' || id,
           CASE n WHEN 1 THEN 'mother' WHEN 2 THEN 'father' WHEN 3 THEN 'carer'
                  WHEN 4 THEN 'other_family' ELSE 'parental_responsibility' END,
           'none', 'English', '', now(), now()
    FROM bench_adult
    """,
    """
    INSERT INTO conference_adult (conference_id, family_member_id, added_at, invited,
                                  not_invited_reason, attendance, views_heard)
    SELECT conference_id, id, now(), invited, CASE WHEN NOT invited THEN 'other' END,
           CASE WHEN invited AND status = 'held' THEN CASE WHEN came < 0.45 THEN 'whole'
                WHEN came < 0.55 THEN 'part' ELSE 'none' END END,
           CASE WHEN invited AND status = 'held' THEN came < 0.55 OR heard END
    FROM bench_adult
    """,
]
SEQUENCES = ("conference", "child", "family_member")


@dataclass
class Person:
    """One member of staff: five accounts, one for each kind of page they load."""

    coordinator: tuple[str, str]  # (email, TOTP secret)
    searcher: tuple[str, str]
    chair: tuple[str, str]
    manager: tuple[str, str]
    officer: tuple[str, str]
    chaired: list[int] = field(default_factory=list)  # the chair's conference ids


def financial_year(today: date) -> int:
    return today.year if today.month >= 4 else today.year - 1


def seed(database: str, staff: int, conferences: int) -> tuple[list[Person], dict]:
    """An empty, migrated database with the year loaded and analysed, and each person's
    accounts (production password hash, a second factor set up)."""
    import pyotp
    import sqlalchemy as sa
    from argon2 import PasswordHasher

    from bench.fresh import app_on_an_empty_database
    from portal.extensions import db
    from portal.models import Role, utcnow
    from tests.factories import make_staff

    password_hash = PasswordHasher().hash(PASSWORD)  # what production verifies, at its cost
    app = app_on_an_empty_database(database)
    with app.app_context():
        began = time.perf_counter()

        def account(role: Role, **fields: object) -> tuple[str, str]:
            secret = pyotp.random_base32()
            user = make_staff(
                role,
                password_hash=password_hash,
                totp_secret=secret,
                totp_enrolled_at=utcnow(),
                **fields,
            )
            return user.email, secret

        people = [
            Person(
                account(Role.COORDINATOR),
                account(Role.COORDINATOR),
                account(Role.CHAIR),
                account(Role.ADVOCATE, is_advocacy_manager=True),
                account(Role.PARTICIPATION_OFFICER),
            )
            for _ in range(staff)
        ]
        advocates = [make_staff(Role.ADVOCATE).id for _ in range(ADVOCATES)]
        from portal.models import StaffUser

        chair_ids = [
            db.session.scalar(sa.select(StaffUser.id).where(StaffUser.email == p.chair[0]))
            for p in people
        ]
        with db.engine.begin() as connection:
            for statement in LOAD:
                connection.execute(
                    sa.text(statement),
                    {"conferences": conferences, "chairs": chair_ids, "advocates": advocates},
                )
            for table in SEQUENCES:
                connection.execute(
                    sa.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")  # noqa: S608 - our table names
                )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
        for person, chair_id in zip(people, chair_ids, strict=True):
            person.chaired = list(
                db.session.scalars(
                    sa.text("SELECT id FROM conference WHERE chair_id = :id"), {"id": chair_id}
                )
            )
        counts = {
            name: db.session.scalar(sa.text(f"SELECT count(*) FROM {name}"))  # noqa: S608 - ours
            for name in ("conference", "conference_child", "conference_adult", "advocacy_referral")
        }
        counts["upcoming_referrals"] = db.session.scalar(
            sa.text(
                "SELECT count(*) FROM advocacy_referral JOIN conference "
                "ON conference.id = conference_id WHERE starts_at >= current_date"
            )
        )
        counts["seconds"] = round(time.perf_counter() - began, 1)
    return people, counts


class Browser:
    """One account's cookies; every request named, timed and tagged with an X-Request-ID that
    finds its line in the app's log."""

    def __init__(self, base: str, tag: str, results: Results) -> None:
        import requests

        self.session = requests.Session()
        self.base, self.tag, self.results = base, tag, results
        self.count = 0

    def request(self, page: str | None, method: str, path: str, **kwargs):
        self.count += 1
        request_id = f"{self.results.prefix}.{self.tag}.{self.count}"
        began = time.perf_counter()
        answer = self.session.request(
            method,
            self.base + path,
            headers={"X-Request-ID": request_id},
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        took = time.perf_counter() - began
        if page is not None:
            self.results.add(page, request_id, took, answer.status_code == 200)
        elif answer.status_code >= 400:
            self.results.add("sign-in and search", request_id, took, False)
        return answer

    def sign_in(self, email: str, secret: str) -> None:
        import pyotp

        page = self.request(None, "GET", "/login").text
        form = {"csrf_token": _token(page), "email": email, "password": PASSWORD}
        answer = self.request(None, "POST", "/login", data=form)
        if not answer.headers.get("Location", "").endswith("/login/code"):
            raise SystemExit(f"Sign-in did not ask for the code: {answer.status_code}")
        page = self.request(None, "GET", "/login/code").text
        code = {"csrf_token": _token(page), "code": pyotp.TOTP(secret).now()}
        answer = self.request(None, "POST", "/login/code", data=code)
        if answer.status_code != 302 or answer.headers.get("Location", "").endswith("/login"):
            raise SystemExit(f"The second factor was not accepted: {answer.status_code}")


def _token(page: str) -> str:
    found = CSRF.search(page)
    return found[1] if found else ""


@dataclass
class Results:
    """The client's side: each page's times, and the request ids to find in the app's log."""

    prefix: str = "warm"
    client: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    ids: dict[str, str] = field(default_factory=dict)  # request id -> page
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, request_id: str, seconds: float, ok: bool) -> None:
        with self.lock:
            if self.prefix == "warm":
                return
            if ok:
                self.client[page].append(seconds)
                self.ids[request_id] = page
            else:
                self.errors[page] += 1


def work(person: Person, base: str, results: Results, until: list[float], ready, last: int) -> None:
    """One member of staff: sign in to each account, then load the pages in turn until the
    time is up."""
    tag = person.coordinator[0].split("@")[0]
    coordinator = Browser(base, f"{tag}-c", results)
    searcher = Browser(base, f"{tag}-s", results)
    chair = Browser(base, f"{tag}-p", results)
    manager = Browser(base, f"{tag}-a", results)
    officer = Browser(base, f"{tag}-r", results)
    for browser, (email, secret) in (
        (coordinator, person.coordinator),
        (searcher, person.searcher),
        (chair, person.chair),
        (manager, person.manager),
        (officer, person.officer),
    ):
        browser.sign_in(email, secret)
    page = searcher.request(None, "GET", "/conferences/").text
    searcher.request(None, "POST", "/conferences/", data={"csrf_token": _token(page), "q": SEARCH})
    year = financial_year(date.today())
    ready.wait(timeout=300)
    while time.perf_counter() < until[0]:
        coordinator.request(PAGES[0], "GET", "/conferences/")
        coordinator.request(PAGES[1], "GET", f"/conferences/?page={last}")
        searcher.request(PAGES[2], "GET", "/conferences/")
        conference_id = random.choice(person.chaired)  # noqa: S311 - not a secret
        coordinator.request(PAGES[3], "GET", f"/conferences/{conference_id}")
        chair.request(PAGES[4], "GET", f"/conferences/{conference_id}/pack")
        manager.request(PAGES[5], "GET", "/advocacy/referrals")
        officer.request(PAGES[6], "GET", f"/reports/participation?year={year}")


def inside_the_app(log_path: str, ids: dict[str, str]) -> dict[str, list[float]]:
    """Each page's durations from the app's access log lines, matched by request id."""
    durations: dict[str, list[float]] = defaultdict(list)
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            if '"duration_ms"' not in line:
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            page = ids.get(entry.get("request_id", ""))
            if page is not None and entry.get("duration_ms") is not None:
                durations[page].append(entry["duration_ms"] / 1000)
    return durations


def p95_ms(values: list[float]) -> float | None:
    if len(values) < 2:
        return None
    return round(statistics.quantiles(values, n=100)[94] * 1000, 1)


def raised_limits() -> dict[str, str]:
    """Every rate limit setting raised for the run (every person comes from 127.0.0.1)."""
    from config import Config

    return {name: RAISED_LIMIT for name in dir(Config) if name.endswith("_RATE_LIMIT")}


def run(
    database: str = DATABASE,
    staff: int = 10,
    seconds: float = 30,
    warmup: float = 5,
    conferences: int = 10_000,
) -> dict:
    """Seed, start gunicorn, load the pages from ``staff`` threads; print and return the
    figures (bench/summary.py)."""
    began = time.perf_counter()
    database = database.replace("postgresql://", "postgresql+psycopg://", 1)
    print(f"Seeding {database.rsplit('/', 1)[-1]} with {conferences:,} conferences …", flush=True)
    people, counts = seed(database, staff, conferences)
    print(
        f"Seeded {counts['conference']:,} conferences, {counts['conference_child']:,} children "
        f"and {counts['conference_adult']:,} adults at them, {counts['advocacy_referral']:,} "
        f"referrals ({counts['upcoming_referrals']:,} for conferences to come), "
        f"{5 * staff + ADVOCATES} staff, in {counts['seconds']} s",
        flush=True,
    )
    log = server_log("staff")
    port = free_port()
    # The app logs at INFO (an access line a request) in production; 2 workers as on 2 cores.
    server = start_gunicorn("wsgi:app", port, database, raised_limits(), log)
    results = Results()
    until = [time.perf_counter() + 3600]
    ready = threading.Barrier(staff + 1)
    last = -(-counts["conference"] // CONFERENCES_PER_PAGE)
    base = f"http://127.0.0.1:{port}"
    threads = [
        threading.Thread(target=work, args=(p, base, results, until, ready, last), daemon=True)
        for p in people
    ]
    try:
        for thread in threads:
            thread.start()
        ready.wait(timeout=300)  # everyone signed in (broken if one could not)
        time.sleep(warmup)
        load_before = os.getloadavg()
        results.prefix = "bench"
        measured_from = time.perf_counter()
        until[0] = measured_from + seconds
        for thread in threads:
            thread.join(timeout=seconds + 60)
        measured = time.perf_counter() - measured_from
        load_after = os.getloadavg()
    finally:
        stop(server)
    log.close()
    app_times = inside_the_app(log.name, results.ids)
    rows = []
    for page in PAGES:
        client = results.client.get(page, [])
        rows.append(
            {
                "page": page,
                "requests": len(client),
                "errors": results.errors.get(page, 0),
                "app_p95_ms": p95_ms(app_times.get(page, [])),
                "app_p50_ms": round(statistics.median(app_times[page]) * 1000, 1)
                if app_times.get(page)
                else None,
                "client_p95_ms": p95_ms(client),
            }
        )
    errors = sum(results.errors.values())
    requests_made = sum(row["requests"] for row in rows)
    met = [row["app_p95_ms"] is not None and row["app_p95_ms"] < AIM_MS for row in rows]
    print_table(rows, staff, measured, warmup, load_before, load_after, errors)
    print(f"gunicorn's log (a JSON line a request): {log.name}")
    command = summary.rerun("bench/staff_pages.py")
    print(f"Rerun: {command}")
    slowest = max(rows, key=lambda row: row["app_p95_ms"] or 1e9)
    return summary.report(
        "staff pages",
        f"{staff} staff at once for {measured:.0f} s on {counts['conference']:,} conferences "
        "(gunicorn, PostgreSQL): conference list, search, conference page, pack, referrals, "
        "participation report",
        "p95 in the app: "
        + ", ".join(
            f"{row['page']} {row['app_p95_ms']} ms ({'met' if ok else 'over ' + str(AIM_MS)})"
            for row, ok in zip(rows, met, strict=True)
        )
        + f"; {requests_made} requests, {errors} errors; load average "
        f"{load_before[0]:.2f} → {load_after[0]:.2f}",
        f"p95 under {AIM_MS} ms inside the app for each page, 0 errors",
        all(met) and errors == 0,
        command,
        pages=rows,
        slowest_page=slowest["page"],
        requests=requests_made,
        errors=errors,
        load_before=round(load_before[0], 2),
        load_after=round(load_after[0], 2),
        seeded=counts,
        wall_seconds=round(time.perf_counter() - began, 1),
    )


def print_table(rows, staff, measured, warmup, load_before, load_after, errors) -> None:
    print(
        f"Staff pages: {staff} staff at once, each in a thread loading the pages in turn as fast "
        f"as they come back, {measured:.0f} s measured after {warmup:.0f} s warm-up; gunicorn "
        f"on PostgreSQL, {os.cpu_count()} cores"
    )
    print(
        f"Load average {', '.join(f'{v:.2f}' for v in load_before)} when measuring began, "
        f"{', '.join(f'{v:.2f}' for v in load_after)} at the end (the load generator shares the "
        "cores; other work on the machine makes the times noisy)"
    )
    line = "  {:<30} {:>8} {:>7} {:>13} {:>13} {:>14}  {}"
    print(
        line.format("page", "requests", "errors", "app p50 ms", "app p95 ms", "client p95 ms", "")
    )
    for row in rows:
        p95 = row["app_p95_ms"]
        verdict = f"aim < {AIM_MS} ms: " + (
            "met" if p95 is not None and p95 < AIM_MS else "NOT met"
        )
        print(
            line.format(
                row["page"],
                row["requests"],
                row["errors"],
                str(row["app_p50_ms"]),
                str(p95),
                str(row["client_p95_ms"]),
                verdict,
            )
        )
    print(f"Errors (a status other than 200 on a page, or 400+ signing in): {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--staff", type=int, default=10, help="staff at once (threads)")
    parser.add_argument("--seconds", type=float, default=30, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of load not measured")
    parser.add_argument("--conferences", type=int, default=10_000)
    args = parser.parse_args()
    result = run(args.database, args.staff, args.seconds, args.warmup, args.conferences)
    summary.print_last_line(result)
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
