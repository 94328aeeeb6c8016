"""The activity report's part of bench/report.py: plans, section 47 dates and reasons for delay
loaded beside the participation year, and the activity page, its CLI and its bare SQL timed.

Loaded after bench/report.py's LOAD, in the same transaction (setseed there makes it repeat):

- each child at an initial conference gets that day less 5 to 20 days as their own section 47
  start (so some are late);
- 80% of the children at held initial conferences start a plan there (neglect 60%, emotional
  30%, physical 7%, sexual 3%); 55% of those end 2 to 20 months later (child in need 70%, looked
  after 25%, transferred 5%), many after the year;
- each child at a held review has a plan started 3 to 36 months before it, 35% of which end at
  that review: so plans open at each quarter's end, and ended in the year, of every length;
- 8% of held conferences have a reason for delay.

The plans' started and ended conference ids point at the child's one conference here: the
report reads only their dates, category and outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

YEAR = 2024
URL = f"/reports/activity?year={YEAR}"

PLAN_LOAD = [
    """
    UPDATE conference_child AS cc SET section_47_started_on = c.section_47_started_on
                                                             - floor(random() * 8)::int
    FROM conference AS c
    WHERE c.id = cc.conference_id AND c.conference_type = 'initial'
    """,
    """
    UPDATE conference SET delay_reason =
        (ARRAY['quoracy', 'chair_unavailable', 'social_worker_unavailable', 'family_request',
               'other'])[1 + floor(random() * 5)::int]
    WHERE status = 'held' AND random() < 0.08
    """,
    """
    CREATE TEMPORARY TABLE bench_plan ON COMMIT DROP AS
    SELECT cc.child_id, c.id AS conference_id, c.conference_type AS kind,
           CASE WHEN c.conference_type = 'review'
                THEN c.conference_date - (90 + floor(random() * 990))::int
                ELSE c.conference_date END AS started_on,
           c.conference_date AS held_on, random() AS r_end, random() AS r_how,
           random() AS r_category, (60 + floor(random() * 550))::int AS lasted
    FROM conference_child AS cc JOIN conference AS c ON c.id = cc.conference_id
    WHERE c.status = 'held' AND c.conference_type IN ('initial', 'review')
      AND (c.conference_type = 'review' OR random() < 0.8)
    """,
    """
    INSERT INTO child_plan (child_id, category, started_on, started_conference_id, ended_on,
                            ended_conference_id, end_outcome)
    SELECT child_id,
           CASE WHEN r_category < 0.6 THEN 'neglect' WHEN r_category < 0.9 THEN 'emotional'
                 WHEN r_category < 0.97 THEN 'physical' ELSE 'sexual' END,
           started_on, conference_id, ended,
           CASE WHEN ended IS NOT NULL THEN conference_id END,
           CASE WHEN ended IS NULL THEN NULL WHEN r_how < 0.7 THEN 'ended_child_in_need'
                 WHEN r_how < 0.95 THEN 'ended_looked_after' ELSE 'transferred' END
    FROM (
        SELECT *, CASE WHEN kind = 'review' AND r_end < 0.35 THEN held_on
                       WHEN kind = 'initial' AND r_end < 0.55 THEN held_on + lasted END AS ended
        FROM bench_plan
    ) AS p
    """,
]


@dataclass(frozen=True)
class ActivityTimings:
    page: float
    cli: float
    sql: float
    statements: int
    plans: int
    lines: int  # the CLI's CSV

    @property
    def ratio(self) -> float:
        return self.page / self.sql

    @property
    def met(self) -> bool:
        return self.page < 1 and self.ratio <= 1.5


def is_report_statement(statement: str) -> bool:
    """The activity report's own queries (not the sign-in's, the audit's or the session's)."""
    return (
        statement.startswith("SET LOCAL ")  # the page's settings for its queries, run bare too
        or "GROUP BY" in statement
        or "min(conference.conference_date)" in statement
        or ("count(*)" in statement and "plan_outcome" in statement)
    )


def time_activity(app, runs: int, median_seconds, statements_sent_by) -> ActivityTimings:
    """The page, the CLI's path and the page's own statements run bare, timed in turns."""
    import sqlalchemy as sa

    from portal.extensions import db
    from portal.models import Role
    from portal.reports.activity import activity_file
    from tests.factories import make_staff
    from tests.pages import PageClient

    with app.app_context():
        officer = make_staff(Role.PARTICIPATION_OFFICER)
        client = app.test_client()
        PageClient(client).sign_in_as(officer)
        reports = statements_sent_by(client, URL, is_report_statement)

        def view() -> None:
            assert client.get(URL).status_code == 200

        def cli() -> None:
            activity_file(YEAR, "csv")
            db.session.remove()

        def bare_sql() -> None:
            connection = db.engine.raw_connection()
            try:
                with connection.cursor() as cursor:
                    for statement, parameters in reports:
                        cursor.execute(statement, parameters or None)
                        if cursor.description is not None:  # not the SET
                            cursor.fetchall()
            finally:
                connection.close()

        medians = median_seconds({"page": view, "cli": cli, "sql": bare_sql}, runs)
        csv_text = activity_file(YEAR, "csv")
        assert isinstance(csv_text, str)
        return ActivityTimings(
            page=medians["page"],
            cli=medians["cli"],
            sql=medians["sql"],
            statements=len(reports),
            plans=db.session.execute(sa.text("SELECT count(*) FROM child_plan")).scalar_one(),
            lines=len(csv_text.splitlines()),
        )


def print_activity(timings: ActivityTimings, runs: int) -> None:
    print(
        f"Activity report (/reports/activity?year={YEAR}), {timings.plans:,} plans, "
        f"median of {runs} runs:"
    )
    print(
        f"  (b) bare SQL, the page's {timings.statements} report statements: "
        f"{timings.sql * 1000:8.1f} ms"
    )
    print(f"  (a) the page, end to end (Flask view):        {timings.page * 1000:8.1f} ms")
    print(
        f"      the CLI's path (flask report activity): {timings.cli * 1000:8.1f} ms "
        f"({timings.lines} CSV lines)"
    )
    verdict = "met" if timings.met else "NOT met"
    print(f"  page / bare SQL: {timings.ratio:.2f}  (aim: under 1 s and at most 1.50: {verdict})")
