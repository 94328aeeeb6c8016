"""The activity report's plans, per-child timeliness and reasons for delay (issue 14, part 5),
counted by hand from a small year (April 2024 – March 2025), and the same figures on the page,
in ``flask report activity`` and in both exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import cast

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import Date, SQLColumnExpression, insert, literal, select

from portal.extensions import db
from portal.models import (
    Child,
    ChildPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    DelayReason,
    HarmCategory,
    PlanOutcome,
    Role,
)
from portal.plans.rules import whole_months
from portal.plans.services import rebuild_plans
from portal.reports.plan_counts import whole_months_sql
from portal.reports.quarters import age_at_least
from tests.factories import make_conference
from tests.pages import PageClient

INITIAL, REVIEW = ConferenceType.INITIAL, ConferenceType.REVIEW
STARTED = PlanOutcome.STARTED
CIN, LAC, OUT = (
    PlanOutcome.ENDED_CHILD_IN_NEED,
    PlanOutcome.ENDED_LOOKED_AFTER,
    PlanOutcome.TRANSFERRED,
)
NEGLECT, EMOTIONAL, PHYSICAL, SEXUAL = (
    HarmCategory.NEGLECT,
    HarmCategory.EMOTIONAL,
    HarmCategory.PHYSICAL,
    HarmCategory.SEXUAL,
)
QUARTERS = ("Q1", "Q2", "Q3", "Q4", "YEAR")
Figures = dict[tuple[str, str], tuple[str, str, str]]


def child(name: str) -> Child:
    made = Child(first_name=name, last_name="Tester", date_of_birth=date(2015, 1, 1))
    db.session.add(made)
    db.session.commit()
    return made


def held(
    day: str,
    kind: ConferenceType,
    *children: tuple[Child, PlanOutcome | None, HarmCategory | None, str | None],
    status: ConferenceStatus = ConferenceStatus.HELD,
    delay: DelayReason | None = None,
) -> Conference:
    """A conference on ``day`` with (child, outcome, category, the child's section 47 start)."""
    starts = [date.fromisoformat(s47) for _c, _o, _h, s47 in children if s47]
    made = make_conference(
        starts_at=datetime.combine(date.fromisoformat(day), time(12), UTC),
        conference_type=kind,
        status=status,
        section_47_started_on=starts[0] if starts else None,
        imported=kind == INITIAL and not starts,
        delay_reason=delay,
    )
    for who, outcome, category, s47 in children:
        db.session.add(
            ConferenceChild(
                conference_id=made.id,
                child_id=who.id,
                plan_outcome=outcome,
                harm_category=category,
                section_47_started_on=date.fromisoformat(s47) if s47 else None,
            )
        )
    db.session.commit()
    return made


@pytest.fixture
def plans_year() -> None:
    make_plans_year()


def make_plans_year() -> None:
    """Plans (ChildPlan rows from the held conferences), in 2024–25:
    A neglect 10 Apr 2024 – 9 Jul (child in need): 2 months, under 3
    B emotional 10 Apr 2024 – 10 Jul (looked after): 3 months
    C physical 30 Nov 2024 – 28 Feb 2025 (transferred): 3 months (the month-end rule)
    D sexual 1 Dec 2024 – 28 Feb 2025 (child in need): 2 months
    E neglect 10 Jan 2022 – 30 Jun 2024 (child in need): 29 months; again from 1 Oct 2024 (repeat)
    F emotional from 1 May 2023, open: longer than 10 months at every quarter's end
    G neglect 15 Jun 2023 – 15 Jun 2024 (looked after): 12 months
    H physical 1 Oct 2023 – 30 Sep 2024 (child in need): 11 months
    J no plan: initial 30 Nov 2024, review 1 Mar 2025 (due 28 Feb: late, the family asked)
    """
    a, b, c, d, e, f, g, h, j = (child(name) for name in "ABCDEFGHJ")
    s47 = "2024-03-20"
    held("2024-04-10", INITIAL, (a, STARTED, NEGLECT, s47), (b, STARTED, EMOTIONAL, s47))
    held("2024-07-09", REVIEW, (a, CIN, None, None))
    held("2024-07-10", REVIEW, (b, LAC, None, None))
    held("2024-11-30", INITIAL, (c, STARTED, PHYSICAL, "2024-11-11"), (j, None, None, "2024-11-11"))
    held("2025-02-28", REVIEW, (c, OUT, None, None), (d, CIN, None, None))
    held("2024-12-01", INITIAL, (d, STARTED, SEXUAL, "2024-11-20"))
    held("2022-01-10", INITIAL, (e, STARTED, NEGLECT, "2021-12-20"))
    held("2024-06-30", REVIEW, (e, CIN, None, None), delay=DelayReason.QUORACY)
    held("2024-10-01", INITIAL, (e, STARTED, NEGLECT, "2024-09-20"))
    held("2023-05-01", INITIAL, (f, STARTED, EMOTIONAL, "2023-04-20"))
    held("2023-06-15", INITIAL, (g, STARTED, NEGLECT, "2023-06-01"))
    held("2024-06-15", REVIEW, (g, LAC, None, None), delay=DelayReason.CHAIR_UNAVAILABLE)
    held("2023-10-01", INITIAL, (h, STARTED, PHYSICAL, "2023-09-20"))
    held("2024-09-30", REVIEW, (h, CIN, None, None))
    held("2025-03-01", REVIEW, (j, None, None, None), delay=DelayReason.FAMILY_REQUEST)
    # Not counted: a cancelled conference with a reason, and one held the year after
    held("2024-08-01", REVIEW, status=ConferenceStatus.CANCELLED, delay=DelayReason.OTHER)
    held("2025-04-02", REVIEW, delay=DelayReason.OTHER)
    rebuild_plans([x.id for x in (a, b, c, d, e, f, g, h, j)])
    db.session.commit()


def cli_figures(app: Flask, year: int = 2024) -> tuple[list[str], Figures]:
    result = app.test_cli_runner().invoke(
        args=["report", "activity", "--year", str(year), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    rows = list(csv.reader(lines))
    return lines, {(m, q): (n, d, p) for m, q, n, d, p in rows[1:]}


def by_quarter(figures: Figures, measure: str, part: int = 0) -> list[str]:
    return [figures[measure, quarter][part] for quarter in QUARTERS]


def test_the_cli_prints_one_table_with_the_header_asked_for(app: Flask, plans_year: None) -> None:
    lines, figures = cli_figures(app)
    assert lines[0] == "measure,quarter,numerator,denominator,percent"
    names = list(dict.fromkeys(key[0] for key in figures))
    for name in names:
        assert [quarter for m, quarter in figures if m == name] == list(QUARTERS)
    assert all(names)
    assert len(lines) == 1 + 5 * len(names)
    for required in (
        "meetings_initial", "meetings_review", "children_initial", "children_review",
        "initial_within_15_working_days", "reviews_in_timescale", "new_plans",
        "new_plans_repeat", "new_plans_neglect", "new_plans_emotional", "new_plans_physical",
        "new_plans_sexual", "plans_at_end", "plans_at_end_neglect", "plans_at_end_emotional",
        "plans_at_end_physical", "plans_at_end_sexual", "plans_ended",
        "plans_ended_child_in_need", "plans_ended_looked_after", "plans_ended_transferred",
        "plans_ended_under_3_months", "plans_ended_3_to_6_months", "plans_ended_6_to_12_months",
        "plans_ended_1_to_2_years", "plans_ended_2_years_or_more", "delay_quoracy",
    ):  # fmt: skip
        assert required in names, required
    # A count: no denominator, no percent. A rate: one decimal; empty when nothing to divide by.
    assert figures["meetings_review", "YEAR"] == ("7", "", "")  # C and D at one review
    assert figures["new_plans_repeat", "Q3"] == ("1", "3", "33.3")
    assert figures["new_plans_repeat", "Q2"] == ("0", "0", "")


def test_new_plans_by_category_and_a_repeat_plan(app: Flask, plans_year: None) -> None:
    _lines, figures = cli_figures(app)
    assert by_quarter(figures, "new_plans") == ["2", "0", "3", "0", "5"]
    # E's second plan: the first ended on 30 June 2024
    assert by_quarter(figures, "new_plans_repeat") == ["0", "0", "1", "0", "1"]
    assert by_quarter(figures, "new_plans_repeat", 1) == ["2", "0", "3", "0", "5"]
    assert by_quarter(figures, "new_plans_neglect") == ["1", "0", "1", "0", "2"]
    assert by_quarter(figures, "new_plans_emotional") == ["1", "0", "0", "0", "1"]
    assert by_quarter(figures, "new_plans_physical") == ["0", "0", "1", "0", "1"]
    assert by_quarter(figures, "new_plans_sexual") == ["0", "0", "1", "0", "1"]
    assert figures["new_plans_neglect", "YEAR"] == ("2", "5", "40.0")


def test_plans_open_at_each_quarters_end(app: Flask, plans_year: None) -> None:
    _lines, figures = cli_figures(app)
    # 30 June: A, B, F, H (E and G ended on or before the day); 30 September: F (H ended that
    # day); 31 December: C, D, E again, F; 31 March: E, F. The year's is 31 March's.
    assert by_quarter(figures, "plans_at_end") == ["4", "1", "4", "2", "2"]
    assert by_quarter(figures, "plans_at_end_neglect") == ["1", "0", "1", "1", "1"]
    assert by_quarter(figures, "plans_at_end_emotional") == ["2", "1", "1", "1", "1"]
    assert by_quarter(figures, "plans_at_end_physical") == ["1", "0", "1", "0", "0"]
    assert by_quarter(figures, "plans_at_end_sexual") == ["0", "0", "1", "0", "0"]
    assert figures["plans_at_end", "YEAR"][1:] == ("", "")  # a count
    # F alone has been open longer than 10 months at each end (H was 9 months on 30 June)
    assert by_quarter(figures, "plans_at_end_over_10_months") == ["1", "1", "1", "1", "1"]


def test_plans_ended_by_outcome_and_how_long_they_lasted(app: Flask, plans_year: None) -> None:
    _lines, figures = cli_figures(app)
    assert by_quarter(figures, "plans_ended") == ["2", "3", "0", "2", "7"]
    assert by_quarter(figures, "plans_ended_child_in_need") == ["1", "2", "0", "1", "4"]
    assert by_quarter(figures, "plans_ended_looked_after") == ["1", "1", "0", "0", "2"]
    assert by_quarter(figures, "plans_ended_transferred") == ["0", "0", "0", "1", "1"]
    assert figures["plans_ended_transferred", "YEAR"] == ("1", "7", "14.3")
    # A (10 Apr – 9 Jul) and D (1 Dec – 28 Feb) lasted 2 months; B (10 Apr – 10 Jul) and C
    # (30 Nov – 28 Feb: 3 months by the month-end rule) 3
    assert by_quarter(figures, "plans_ended_under_3_months") == ["0", "1", "0", "1", "2"]
    assert by_quarter(figures, "plans_ended_3_to_6_months") == ["0", "1", "0", "1", "2"]
    assert by_quarter(figures, "plans_ended_6_to_12_months") == ["0", "1", "0", "0", "1"]  # H
    assert by_quarter(figures, "plans_ended_1_to_2_years") == ["1", "0", "0", "0", "1"]  # G
    assert by_quarter(figures, "plans_ended_2_years_or_more") == ["1", "0", "0", "0", "1"]  # E


def test_whole_months_in_sql_are_the_rules_months(app: Flask) -> None:
    """Every month end, leap and not, against days around it: SQL says what rules.whole_months
    (relativedelta) says, on this database."""
    starts = [
        date(year, month, 1) + timedelta(days=offset)
        for year in (2023, 2024)
        for month in range(1, 13)
        for offset in (-3, -2, -1, 0, 14)
    ]
    pairs = [
        (start, start + timedelta(days=days))
        for start in starts
        for days in (0, 27, 28, 29, 30, 31, 58, 59, 60, 61, 89, 90, 91, 92, 365, 366, 730, 731)
    ]
    someone = child("Months")
    at = held("2024-04-10", REVIEW, (someone, None, None, None))
    db.session.execute(
        insert(ChildPlan),
        [
            {
                "child_id": someone.id,
                "category": NEGLECT,
                "started_on": start,
                "started_conference_id": at.id,
                "ended_on": end,
                "ended_conference_id": at.id,
                "end_outcome": CIN,
            }
            for start, end in pairs
        ],
    )
    found = db.session.execute(
        select(
            ChildPlan.started_on,
            ChildPlan.ended_on,
            whole_months_sql(
                ChildPlan.started_on, cast("SQLColumnExpression[date]", ChildPlan.ended_on)
            ),
        )
    ).all()
    assert len(found) == len(pairs)
    for start, end, months in found:
        assert months == whole_months(start, end), (start, end)
    assert whole_months(date(2024, 11, 30), date(2025, 2, 28)) == 3


@pytest.mark.parametrize(
    ("born", "on", "aged"),
    [
        ("2014-06-01", "2024-05-31", False),  # the day before the 10th birthday
        ("2014-06-01", "2024-06-01", True),  # the birthday itself
        ("2012-02-29", "2022-02-28", False),  # a leap-day birthday comes on 1 March ...
        ("2012-02-29", "2022-03-01", True),
        ("2014-02-28", "2024-02-29", True),  # ... and 28 February is before 29 February
        ("2014-03-01", "2024-02-29", False),
    ],
)
def test_aged_10_or_over_in_sql(app: Flask, born: str, on: str, aged: bool) -> None:
    """age_at_least compiles differently on PostgreSQL (for speed): the same answers."""
    query = select(
        age_at_least(
            literal(date.fromisoformat(born), Date), literal(date.fromisoformat(on), Date), 10
        ),
        age_at_least(
            literal(date.fromisoformat(born), Date), literal(date.fromisoformat(on), Date), 11
        ),
    )
    assert tuple(db.session.execute(query).one()) == (aged, False)


def test_reviews_in_timescale_by_the_due_date(app: Flask, plans_year: None) -> None:
    _lines, figures = cli_figures(app)
    # Q1: E (after 2022) and G (after June 2023) late. Q2: A (9 Jul) and B (10 Jul, the due day
    # itself) in time after 10 April, H late. Q4: C and D on 28 February (due 28 February and
    # 1 March) in time, J on 1 March late.
    assert by_quarter(figures, "reviews_in_timescale") == ["0", "2", "0", "2", "4"]
    assert by_quarter(figures, "reviews_in_timescale", 1) == ["2", "3", "0", "3", "8"]
    assert figures["reviews_in_timescale", "YEAR"][2] == "50.0"


def test_reasons_for_delay_by_quarter(app: Flask, plans_year: None) -> None:
    _lines, figures = cli_figures(app)
    assert by_quarter(figures, "delay_quoracy") == ["1", "0", "0", "0", "1"]
    assert by_quarter(figures, "delay_chair_unavailable") == ["1", "0", "0", "0", "1"]
    assert by_quarter(figures, "delay_family_request") == ["0", "0", "0", "1", "1"]
    assert by_quarter(figures, "delay_other") == ["0", "0", "0", "0", "0"]  # cancelled; next year
    assert by_quarter(figures, "delay_social_worker_unavailable") == ["0"] * 5
    assert by_quarter(figures, "delay_all") == ["2", "0", "0", "1", "3"]


def test_15_working_days_in_time_and_16_late_by_each_childs_own_start(app: Flask) -> None:
    """Siblings at one initial conference on Monday 24 June 2024: from Monday 3 June it is
    working day 15 (in time); from Friday 31 May, working day 16 (late)."""
    on_day_15, on_day_16, no_date = child("Siobhan"), child("Tadhg"), child("Una")
    held(
        "2024-06-24",
        INITIAL,
        (on_day_15, None, None, "2024-06-03"),
        (on_day_16, None, None, "2024-05-31"),
        (no_date, None, None, None),
    )
    _lines, figures = cli_figures(app)
    assert figures["initial_within_15_working_days", "Q1"] == ("1", "2", "50.0")
    assert figures["initial_no_section_47_date", "Q1"] == ("1", "", "")
    assert figures["children_initial", "Q1"] == ("3", "", "")
    assert figures["meetings_initial", "Q1"] == ("1", "", "")


def page_figures(page_client: PageClient, url: str) -> Figures:
    """Every figure on the page, by its row's measure, as the exports would write it."""
    page = page_client.get(url)
    assert page.status == 200
    found: Figures = {}
    for row in page.soup.select("tr[data-measure]"):
        cells = [" ".join(cell.get_text(" ").split()) for cell in row.find_all("td")]
        assert len(cells) == 5
        for quarter, text in zip(QUARTERS, cells, strict=True):
            if " of " in text:
                shown, fraction = text.split(" ", 1)
                numerator, denominator = fraction.split(" of ")
                percent = "" if shown == "–" else shown.rstrip("%")
                found[row["data-measure"], quarter] = (numerator, denominator, percent)
            else:
                found[row["data-measure"], quarter] = (text, "", "")
    return found


def test_the_page_the_cli_and_both_exports_agree(
    app: Flask, plans_year: None, signed_in: Callable[..., PageClient], tmp_path: Path
) -> None:
    officer = signed_in(Role.PARTICIPATION_OFFICER)
    on_page = page_figures(officer, "/reports/activity?year=2024")
    _lines, from_cli = cli_figures(app)
    text = officer.get("/reports/activity.csv?year=2024").response.get_data(as_text=True)
    from_csv = {(m, q): (n, d, p) for m, q, n, d, p in list(csv.reader(io.StringIO(text)))[1:]}
    xlsx = officer.get("/reports/activity.xlsx?year=2024").response.get_data()
    sheet = list(load_workbook(io.BytesIO(xlsx))["Activity"].iter_rows(values_only=True))
    from_xlsx = {  # numbers in XLSX; a percentage to one decimal place
        (m, q): (str(n), "" if d is None else str(d), "" if p is None else f"{p:.1f}")
        for m, q, n, d, p in sheet[1:]
    }
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["report", "activity", "--year", "2024", "--format", "xlsx"])
    assert refused.exit_code == 2
    assert "give --output FILE" in refused.output
    written = tmp_path / "activity.xlsx"
    args = ["report", "activity", "--year", "2024", "--format", "xlsx", "--output", str(written)]
    assert runner.invoke(args=args).exit_code == 0
    cli_sheet = list(load_workbook(written)["Activity"].iter_rows(values_only=True))
    assert cli_sheet == sheet
    assert len(on_page) == 5 * 59  # every measure, Q1–Q4 and the year
    assert on_page == from_cli == from_csv == from_xlsx
    assert on_page["plans_at_end", "Q3"] == ("4", "", "")


def test_the_page_shows_n_of_d_and_a_chart_of_the_trend(
    plans_year: None, signed_in: Callable[..., PageClient]
) -> None:
    page = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/activity?year=2024")
    row = page.soup.select_one('tr[data-measure="plans_ended_transferred"]')
    assert row is not None
    assert " ".join(row.get_text(" ").split()) == (
        "Transferred to another area 0.0% 0 of 2 0.0% 0 of 3 – 0 of 0 50.0% 1 of 2 14.3% 1 of 7"
    )
    charts = page.soup.select("svg.heard-chart[role=img]")
    assert len(charts) == 2
    for chart in charts:
        title = chart.find("title").get_text()
        assert title.endswith("April 2024 to March 2025")
        assert "The tables above give the figures" in chart.find("desc").get_text()
    plans_chart = charts[1].get_text(" ")
    # new plans, plans ended and plans open at the end, each quarter's figure above its bar
    assert "Plans started" in plans_chart
    assert "Plans ended" in plans_chart
    assert [t.get_text() for t in charts[1].select("text")][-4:] == ["Q1", "Q2", "Q3", "Q4"]
