"""Benchmark: the participation and activity reports on a year of 1,000,000 person-conference rows
(PostgreSQL).

Bulk-loads one financial year (April 2024 to March 2025) inside PostgreSQL with INSERT … SELECT
over generate_series: about 111,000 conferences with 2 to 6 children and 3 to 7 adults each
(about 4 and 5), realistic participation codes, ages, invitations and attendance; and for the
activity report, each child's section 47 date, plans and reasons for delay
(bench/report_activity.py). Then, in the same run, times

  (a) the report end to end: GET /reports/participation?year=2024 through Flask's test client,
      signed in as a participation officer (every query, the table, the chart, the page), and
      the CLI's path (``flask report participation``: the table as CSV);
  (b) the bare SQL: the very statements the page sent, captured as it ran, executed directly on
      a psycopg cursor with the same parameters, rows fetched.

and the same (a) and (b) for the activity report (GET /reports/activity?year=2024, and
``flask report activity``'s CSV). Prints the medians, the ratios (aim, for each page: under 1 s,
at most 1.5 times its own bare SQL), the rows loaded and the load time, and the machine.

    .venv/bin/python bench/report.py        # PostgreSQL on 127.0.0.1, database bench_report
    .venv/bin/python bench/report.py --runs 11 --conferences 111112
    .venv/bin/python bench/report.py --database postgresql://postgres@127.0.0.1:5432/mine

The database given is created when missing and EMPTIED first (all tables dropped): never point
it at real data. The last line printed is the figures as JSON (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import summary  # noqa: E402
from bench.report_activity import PLAN_LOAD, print_activity, time_activity  # noqa: E402

DATABASE = "postgresql://postgres@127.0.0.1:5432/bench_report"

YEAR = 2024

# One statement each, run in order in one transaction. setseed makes every run load the same.
LOAD = [
    "SELECT setseed(0.42)",
    # Conferences: a date anywhere in the year; 95% held (on the day, as recording and the
    # import set held_on), 3% cancelled, 2% still scheduled; 25% initial, 70% review, 5%
    # transfer-in.
    """
    INSERT INTO conference (id, case_reference, conference_type, starts_at, conference_date,
                            format, status, held_on, section_47_started_on, created_at,
                            updated_at)
    SELECT i, 'BENCH-' || i, kind,
           (day + time '10:00') AT TIME ZONE 'Europe/London', day, 'in_person',
           CASE WHEN r < 0.95 THEN 'held' WHEN r < 0.98 THEN 'cancelled' ELSE 'scheduled' END,
           CASE WHEN r < 0.95 THEN day END,
           CASE WHEN kind = 'initial' THEN day - 12 END, now(), now()
    FROM (
        SELECT i, date '2024-04-01' + floor(random() * 365)::int AS day, random() AS r,
               CASE WHEN random() < 0.25 THEN 'initial'
                    WHEN random() < 0.93 THEN 'review' ELSE 'transfer_in' END AS kind
        FROM generate_series(1, :conferences) AS i
    ) AS s
    """,
    # Children: 2 to 6 a conference; 5% unborn; ages 0 to 17; CP0 under 4, else a code drawn
    # from a distribution like a council's (more views than attendance).
    """
    CREATE TEMPORARY TABLE bench_child ON COMMIT DROP AS
    SELECT row_number() OVER () AS id, c.id AS conference_id, c.conference_date,
           CASE WHEN random() < 0.05 THEN NULL
                ELSE c.conference_date - floor(random() * 18 * 365.25)::int END AS born,
           random() AS r
    FROM conference AS c CROSS JOIN LATERAL generate_series(1, 2 + (c.id * 7) % 5) AS n
    """,
    """
    INSERT INTO child (id, first_name, last_name, date_of_birth, expected_date_of_birth,
                       created_at, updated_at)
    SELECT id, 'Child', 'Bench', born,
           CASE WHEN born IS NULL THEN conference_date + 60 END, now(), now()
    FROM bench_child
    """,
    """
    INSERT INTO conference_child (conference_id, child_id, added_at, participation_code)
    SELECT conference_id, id, now(),
           CASE WHEN born IS NULL OR born > conference_date - interval '4 years' THEN 'CP0'
                WHEN r < 0.10 THEN 'CP1' WHEN r < 0.18 THEN 'CP2' WHEN r < 0.20 THEN 'CP3'
                WHEN r < 0.25 THEN 'CP4' WHEN r < 0.50 THEN 'CP5' WHEN r < 0.70 THEN 'CP6'
                ELSE 'CP7' END
    FROM bench_child
    """,
    # Adults: 3 to 7 a conference; the first a mother, the second a father, the rest carers,
    # other family or others with parental responsibility. 90% invited (of the rest: excluded,
    # whereabouts unknown, another reason); whole 45%, part 10%, none 45%; heard by another
    # route 40% of the time.
    """
    CREATE TEMPORARY TABLE bench_adult ON COMMIT DROP AS
    SELECT row_number() OVER () AS id, c.id AS conference_id, n,
           random() < 0.9 AS invited, random() AS why, random() AS came, random() < 0.4 AS heard
    FROM conference AS c CROSS JOIN LATERAL generate_series(1, 3 + (c.id * 3) % 5) AS n
    """,
    """
    INSERT INTO family_member (id, first_name, last_name, relationship, preferred_channel,
                               language, access_needs, created_at, updated_at)
    SELECT id, 'Adult', 'Bench',
           CASE n WHEN 1 THEN 'mother' WHEN 2 THEN 'father' WHEN 3 THEN 'carer'
                  WHEN 4 THEN 'other_family' ELSE 'parental_responsibility' END,
           'none', 'English', '', now(), now()
    FROM bench_adult
    """,
    """
    INSERT INTO conference_adult (conference_id, family_member_id, added_at, invited,
                                  not_invited_reason, attendance, views_heard)
    SELECT conference_id, id, now(), invited,
           CASE WHEN NOT invited THEN CASE WHEN why < 0.3 THEN 'excluded'
                WHEN why < 0.8 THEN 'whereabouts_unknown' ELSE 'other' END END,
           CASE WHEN invited THEN CASE WHEN came < 0.45 THEN 'whole'
                WHEN came < 0.55 THEN 'part' ELSE 'none' END END,
           CASE WHEN invited THEN came < 0.55 OR heard END
    FROM bench_adult
    """,
]
SEQUENCES = ("conference", "child", "family_member")


def load(database: str, conferences: int):
    """An empty, migrated database with the year loaded and analysed: (app, rows, seconds)."""
    import sqlalchemy as sa

    from bench.fresh import app_on_an_empty_database
    from portal.extensions import db

    app = app_on_an_empty_database(database)
    with app.app_context():
        began = time.perf_counter()
        with db.engine.begin() as connection:
            for statement in LOAD + PLAN_LOAD:
                connection.execute(sa.text(statement), {"conferences": conferences})
            for table in SEQUENCES:
                connection.execute(
                    sa.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")  # noqa: S608 - our table names
                )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
        seconds = time.perf_counter() - began
        rows = db.session.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM conference_child) + "
                "(SELECT count(*) FROM conference_adult)"
            )
        ).scalar_one()
    return app, rows, seconds


def median_seconds(actions: dict[str, object], runs: int) -> dict[str, float]:
    """Each action once to warm up (compiled templates, pages in PostgreSQL's buffers), then
    ``runs`` rounds taking turns, so a busy moment on the machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for action in actions.values():
        action()
    for _ in range(runs):
        for name, action in actions.items():
            began = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - began)
    return {name: statistics.median(values) for name, values in times.items()}


@dataclass(frozen=True)
class Timings:
    """Medians in seconds, and what they were taken on."""

    page: float
    cli: float
    sql: float
    statements: int  # the report statements the page sent, timed bare
    version: str  # PostgreSQL's
    table: list[str]  # the CLI's CSV, line by line

    @property
    def ratio(self) -> float:
        return self.page / self.sql

    @property
    def met(self) -> bool:
        return self.page < 1 and self.ratio <= 1.5


def run(database: str = DATABASE, conferences: int = 111_111, runs: int = 9) -> dict:
    """Load the year, time the page, the CLI and the bare SQL; print and return the figures."""
    args = argparse.Namespace(database=database, conferences=conferences, runs=runs)
    database = args.database.replace("postgresql://", "postgresql+psycopg://", 1)

    print(f"Emptying {args.database} and loading financial year {YEAR} …", flush=True)
    app, rows, load_seconds = load(database, args.conferences)
    timings = time_the_report(app, args.runs)
    print_figures(timings, rows, args.conferences, load_seconds, args.runs)
    activity = time_activity(app, args.runs, median_seconds, statements_sent_by)
    print_activity(activity, args.runs)
    command = summary.rerun("bench/report.py")
    print(f"Rerun: {command}  (or make bench-report)")
    return summary.report(
        "report",
        f"the participation and activity pages on {rows:,} person-conference rows "
        f"(PostgreSQL), median of {args.runs}, each against its bare SQL",
        f"participation {timings.page * 1000:.0f} ms (bare SQL {timings.sql * 1000:.0f} ms, "
        f"ratio {timings.ratio:.2f}); activity {activity.page * 1000:.0f} ms (bare SQL "
        f"{activity.sql * 1000:.0f} ms, ratio {activity.ratio:.2f})",
        "each page under 1 s and at most 1.5 times its bare SQL",
        timings.met and activity.met,
        command,
        activity_page_ms=round(activity.page * 1000, 1),
        activity_sql_ms=round(activity.sql * 1000, 1),
        activity_cli_ms=round(activity.cli * 1000, 1),
        activity_ratio=round(activity.ratio, 2),
        plans=activity.plans,
        rows=rows,
        page_ms=round(timings.page * 1000, 1),
        sql_ms=round(timings.sql * 1000, 1),
        cli_ms=round(timings.cli * 1000, 1),
        ratio=round(timings.ratio, 2),
        load_seconds=round(load_seconds, 1),
    )


def time_the_report(app, runs: int) -> Timings:
    """The page, the CLI's path and the page's own report statements run bare, timed in turns."""
    import sqlalchemy as sa

    from portal.extensions import db
    from portal.models import Role
    from portal.reports.participation import participation_file
    from tests.factories import make_staff
    from tests.pages import PageClient

    url = f"/reports/participation?year={YEAR}"
    with app.app_context():
        officer = make_staff(Role.PARTICIPATION_OFFICER)
        client = app.test_client()
        PageClient(client).sign_in_as(officer)  # the session the server checks, as the tests do
        reports = statements_sent_by(
            client, url, lambda s: "GROUP BY" in s or "min(coalesce(conference" in s
        )

        def view() -> None:
            answer = client.get(url)
            assert answer.status_code == 200

        def cli() -> None:
            participation_file(YEAR, fmt="csv")
            db.session.remove()

        def bare_sql() -> None:
            connection = db.engine.raw_connection()
            try:
                with connection.cursor() as cursor:
                    for statement, parameters in reports:
                        cursor.execute(statement, parameters or None)
                        cursor.fetchall()
            finally:
                connection.close()

        medians = median_seconds({"page": view, "cli": cli, "sql": bare_sql}, runs)
        return Timings(
            page=medians["page"],
            cli=medians["cli"],
            sql=medians["sql"],
            statements=len(reports),
            version=db.session.execute(sa.text("SHOW server_version")).scalar_one(),
            table=participation_file(YEAR, fmt="csv").splitlines(),
        )


def statements_sent_by(client, url: str, is_report) -> list[tuple[str, object]]:
    """The report statements (with their parameters) the page sends, captured as it runs:
    those ``is_report`` (a test of the SQL text) keeps."""
    import sqlalchemy as sa

    from portal.extensions import db

    sent: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    page = client.get(url)
    sa.event.remove(db.engine, "before_cursor_execute", capture)
    assert page.status_code == 200, page.status_code
    return [(s, p) for s, p in sent if is_report(s)]


def print_figures(
    timings: Timings, rows: int, conferences: int, load_seconds: float, runs: int
) -> None:
    print(
        f"Loaded {rows:,} person-conference rows ({conferences:,} conferences) "
        f"in {load_seconds:.1f} s (INSERT … SELECT generate_series, then VACUUM ANALYZE)"
    )
    load_average = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"Machine: {os.cpu_count()} cores (nproc), PostgreSQL {timings.version}, load average "
        f"{load_average} at the end (other work on the machine makes the times noisy)"
    )
    table = timings.table
    print(f"Year {YEAR} pooled, children from 4: {table[5]} / {table[15]} / {table[25]}")
    print(f"Median of {runs} runs taking turns, after one warm-up each:")
    print(
        f"  (b) bare SQL, the page's {timings.statements} report statements: "
        f"{timings.sql * 1000:8.1f} ms"
    )
    print(f"  (a) the page, end to end (Flask view):        {timings.page * 1000:8.1f} ms")
    print(f"      the CLI's path (table as CSV):            {timings.cli * 1000:8.1f} ms")
    verdict = "met" if timings.met else "NOT met"
    print(f"  page / bare SQL: {timings.ratio:.2f}  (aim: under 1 s and at most 1.50: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--conferences", type=int, default=111_111, help="about 9 rows each")
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (median shown)")
    args = parser.parse_args()
    result = run(args.database, args.conferences, args.runs)
    summary.print_last_line(result)
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
