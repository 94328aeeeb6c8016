"""The participation report (issue 6): hand-computed figures on the page, in the exports and the
CLI, for financial year 2020 (1 April 2020 to 31 March 2021).

The fixture, and every figure it should give (A attended, H views heard):

Q1  review, 1 April 2020:   children CP1 (A H), CP4 (A), CP5 (H), CP7 (-), CP6 on the child's
                            4th birthday (H); not counted: CP0 the day before a 4th birthday,
                            CP0 unborn, CP2 aged 3 (counted only with the threshold at 3).
                            mother whole (A H); father none but heard (H); father not invited
                            (excluded); mother not invited (whereabouts unknown); a carer and
                            another person with parental responsibility who attended; a young
                            person's own contact who attended.
    review, 30 June 2020 (23:30 in London): child CP2 (A H); mother part (A H); father none (-).
Q2  initial, 1 July 2020:   children CP3 (A H), CP7 (-); mother none, heard (H).
Q3  nothing.
Q4  transfer-in, 31 March 2021 (23:30 in London): children CP1 (A H), CP2 (A H), CP6 (H);
                            father whole (A H); mother none (-).
Not in 2020: review 31 March 2020 (child CP1, mother whole: 2019's Q4); 31 March 2021 23:30 UTC,
which is 1 April 2021 in London (child CP1); a scheduled and a cancelled conference in Q1.

                        Q1        Q2       Q3   Q4        pooled year   mean of quarters
children attendance     3/6 50.0  1/2 50.0  –   2/3 66.7  6/11 54.5     55.6
children participation  4/6 66.7  1/2 50.0  –   3/3 100.0 8/11 72.7     72.2
mothers attendance      2/2 100.0 0/1 0.0   –   0/1 0.0   2/4 50.0      33.3
mothers participation   2/2 100.0 1/1 100.0 –   0/1 0.0   3/4 75.0      66.7
fathers attendance      0/2 0.0   –         –   1/1 100.0 1/3 33.3      50.0
fathers participation   1/2 50.0  –         –   1/1 100.0 2/3 66.7      75.0
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from portal.extensions import db
from portal.models import (
    Conference,
    ConferenceType,
    Relationship,
    Role,
)
from portal.reports.participation import participation_table
from portal.reports.quarters import financial_quarters, round_tenths
from portal.reports.quarters import percent_value as percent_of
from tests.helpers.participation_year import CP, WHOLE, adult, child, held

HEADER = "measure,quarter,numerator,denominator,percent"

POOLED_CSV = f"""{HEADER}
children_attendance,Q1,3,6,50.0
children_attendance,Q2,1,2,50.0
children_attendance,Q3,0,0,
children_attendance,Q4,2,3,66.7
children_attendance,YEAR,6,11,54.5
children_participation,Q1,4,6,66.7
children_participation,Q2,1,2,50.0
children_participation,Q3,0,0,
children_participation,Q4,3,3,100.0
children_participation,YEAR,8,11,72.7
mothers_attendance,Q1,2,2,100.0
mothers_attendance,Q2,0,1,0.0
mothers_attendance,Q3,0,0,
mothers_attendance,Q4,0,1,0.0
mothers_attendance,YEAR,2,4,50.0
mothers_participation,Q1,2,2,100.0
mothers_participation,Q2,1,1,100.0
mothers_participation,Q3,0,0,
mothers_participation,Q4,0,1,0.0
mothers_participation,YEAR,3,4,75.0
fathers_attendance,Q1,0,2,0.0
fathers_attendance,Q2,0,0,
fathers_attendance,Q3,0,0,
fathers_attendance,Q4,1,1,100.0
fathers_attendance,YEAR,1,3,33.3
fathers_participation,Q1,1,2,50.0
fathers_participation,Q2,0,0,
fathers_participation,Q3,0,0,
fathers_participation,Q4,1,1,100.0
fathers_participation,YEAR,2,3,66.7
"""

# The year's percentage as the mean of the quarters that have a denominator; its numerator and
# denominator stay the pooled sums.
MEAN_YEAR = {
    "children_attendance": "55.6",  # (50 + 50 + 66.67) / 3
    "children_participation": "72.2",  # (66.67 + 50 + 100) / 3
    "mothers_attendance": "33.3",  # (100 + 0 + 0) / 3
    "mothers_participation": "66.7",  # (100 + 100 + 0) / 3
    "fathers_attendance": "50.0",  # (0 + 100) / 2
    "fathers_participation": "75.0",  # (50 + 100) / 2
}


def expected_mean_csv() -> str:
    lines = []
    for line in POOLED_CSV.splitlines():
        measure, quarter, numerator, denominator, _percent = line.split(",")
        if quarter == "YEAR":
            line = ",".join((measure, quarter, numerator, denominator, MEAN_YEAR[measure]))
        lines.append(line)
    return "\n".join(lines) + "\n"


def figures(table) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(measure, quarter) -> (numerator, denominator, percent as text, "" when empty)."""
    return {
        (measure, quarter): (numerator, denominator, "" if percent is None else str(percent))
        for measure, quarter, numerator, denominator, percent in table.export_rows()
    }


def as_csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def xlsx_as_text(sheet) -> list[list[str]]:
    """The sheet's cells as the CSV writes them: the percentage (a number) to one decimal."""
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True)):
        *first, percent = ("" if value is None else value for value in row)
        if number and percent != "":
            percent = f"{percent:.1f}"
        rows.append([str(value) for value in (*first, percent)])
    return rows


# --- The counting -------------------------------------------------------------------------------


def test_financial_quarters_run_april_to_march() -> None:
    assert [(q.label, q.start, q.end) for q in financial_quarters(2020)] == [
        ("Q1", date(2020, 4, 1), date(2020, 6, 30)),
        ("Q2", date(2020, 7, 1), date(2020, 9, 30)),
        ("Q3", date(2020, 10, 1), date(2020, 12, 31)),
        ("Q4", date(2021, 1, 1), date(2021, 3, 31)),
    ]


def test_percentages_round_half_up_to_one_decimal_place() -> None:
    assert percent_of(1, 16) == Decimal("6.3")  # 6.25: float formatting would give 6.2
    assert round_tenths(Fraction(1225, 100)) == Decimal("12.3")
    assert percent_of(1, 3) == Decimal("33.3")
    assert percent_of(2, 3) == Decimal("66.7")
    assert percent_of(3, 3) == Decimal("100.0")
    assert str(percent_of(0, 5)) == "0.0"
    assert percent_of(0, 0) is None


def test_the_table_pooled_matches_the_hand_count(app, year_2020) -> None:
    table = participation_table(2020, min_child_age=4, method="pooled")
    got = figures(table)
    for measure, quarter, numerator, denominator, percent in as_csv_rows(POOLED_CSV)[1:]:
        assert got[measure, quarter] == (int(numerator), int(denominator), percent)
    assert len(got) == 30


def test_the_year_as_the_mean_of_the_quarters(app, year_2020) -> None:
    table = participation_table(2020, min_child_age=4, method="mean-of-quarters")
    got = figures(table)
    for measure, percent in MEAN_YEAR.items():
        assert got[measure, "YEAR"][2] == percent
    assert got["children_attendance", "YEAR"][:2] == (6, 11)  # the pooled sums, for reference
    assert got["fathers_attendance", "Q2"] == (0, 0, "")  # quarters are the same either way


def test_min_child_age_moves_the_threshold(app, year_2020) -> None:
    at_5 = figures(participation_table(2020, min_child_age=5))
    # The child whose 4th birthday is the conference day (CP6: heard) drops out
    assert at_5["children_attendance", "Q1"] == (3, 5, "60.0")
    assert at_5["children_participation", "Q1"] == (3, 5, "60.0")
    at_3 = figures(participation_table(2020, min_child_age=3))
    # The 3-year-old (CP2: attended and heard) comes in; the CP0 child and the unborn never do
    assert at_3["children_attendance", "Q1"] == (4, 7, "57.1")
    assert at_3["children_participation", "Q1"] == (5, 7, "71.4")
    assert at_3["mothers_attendance", "Q1"] == (2, 2, "100.0")  # adults are not affected


def test_conference_type_filter(app, year_2020) -> None:
    reviews = figures(
        participation_table(2020, min_child_age=4, conference_type=ConferenceType.REVIEW)
    )
    assert reviews["children_attendance", "Q1"] == (3, 6, "50.0")
    assert reviews["children_attendance", "Q2"] == (0, 0, "")
    assert reviews["children_attendance", "YEAR"] == (3, 6, "50.0")
    assert reviews["fathers_participation", "YEAR"] == (1, 2, "50.0")
    initial = figures(
        participation_table(2020, min_child_age=4, conference_type=ConferenceType.INITIAL)
    )
    assert initial["children_participation", "YEAR"] == (1, 2, "50.0")
    assert initial["mothers_participation", "YEAR"] == (1, 1, "100.0")
    assert initial["fathers_attendance", "YEAR"] == (0, 0, "")
    transfer = figures(
        participation_table(2020, min_child_age=4, conference_type=ConferenceType.TRANSFER_IN)
    )
    assert transfer["children_attendance", "Q4"] == (2, 3, "66.7")
    assert transfer["mothers_attendance", "Q4"] == (0, 1, "0.0")


def test_the_year_before_counts_its_own_march(app, year_2020) -> None:
    got = figures(participation_table(2019, min_child_age=4))
    assert got["children_attendance", "Q4"] == (1, 1, "100.0")
    assert got["mothers_participation", "Q4"] == (1, 1, "100.0")
    assert got["children_attendance", "YEAR"] == (1, 1, "100.0")
    following = figures(participation_table(2021, min_child_age=4))
    assert following["children_attendance", "Q1"] == (1, 1, "100.0")  # 1 April 2021 in London


def test_two_aggregate_queries_whatever_the_number_of_rows(app, year_2020) -> None:
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        participation_table(2020, min_child_age=4)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 2
    assert all("GROUP BY" in statement for statement in statements)


def test_an_empty_year_is_all_dashes(app) -> None:
    table = participation_table(2030, min_child_age=4)
    assert {row[2:] for row in table.export_rows()} == {(0, 0, None)}


# --- The page -----------------------------------------------------------------------------------


def cell_texts(page, caption_starts: str) -> dict[str, list[str]]:
    """Each row of the table with that caption: its header, then each cell's text."""
    for table in page.soup.select("table"):
        if table.caption.get_text(" ", strip=True).startswith(caption_starts):
            return {
                row.th.get_text(" ", strip=True): [
                    " ".join(td.get_text(" ").split()) for td in row.select("td")
                ]
                for row in table.select("tbody tr")
            }
    raise AssertionError(f"No table captioned {caption_starts!r}")


def test_the_page_shows_each_figure_with_its_numbers(signed_in, year_2020) -> None:
    page = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/participation?year=2020")
    assert page.status == 200
    assert page.h1 == "Participation"
    rows = cell_texts(page, "Participation, 2020 to 2021")
    assert rows["Children's attendance"] == [
        "50.0% (3 of 6)",
        "50.0% (1 of 2)",
        "– no one to count",
        "66.7% (2 of 3)",
        "54.5% (6 of 11)",
    ]
    assert rows["Fathers' participation"] == [
        "50.0% (1 of 2)",
        "– no one to count",
        "– no one to count",
        "100.0% (1 of 1)",
        "66.7% (2 of 3)",
    ]
    assert rows["Mothers' attendance"][1] == "0.0% (0 of 1)"
    # The year before, beside it, with the same settings
    before = cell_texts(page, "Participation, 2019 to 2020 (the year before)")
    assert before["Children's attendance"][3] == "100.0% (1 of 1)"
    # The settings in use are on the page
    text = page.text
    assert "Children counted from the age of 4 (the service's usual age)" in text
    assert "Pooled" in text
    assert "(the service's usual way)" in text
    # Accessible table: a caption, column and row headers, a labelled scrolling region
    table = page.soup.select_one(".heard-table-scroll table")
    region = page.soup.select_one(".heard-table-scroll")
    assert region["role"] == "region"
    assert region["tabindex"] == "0"
    assert region["aria-label"]
    assert len(table.select("thead th[scope=col]")) == 6
    assert len(table.select("tbody th[scope=row]")) == 6
    # No names or case references for the participation officer
    for conference in db.session.scalars(sa.select(Conference)):
        assert conference.case_reference not in text
    assert "Sam" not in text
    assert "Tester" not in text


def test_the_page_uses_the_settings_and_can_override_them(app, signed_in, year_2020) -> None:
    reader = signed_in(Role.PARTICIPATION_OFFICER)
    app.config["PARTICIPATION_YEAR_METHOD"] = "mean-of-quarters"
    try:
        page = reader.get("/reports/participation?year=2020")
    finally:
        app.config["PARTICIPATION_YEAR_METHOD"] = "pooled"
    rows = cell_texts(page, "Participation, 2020 to 2021")
    assert rows["Children's attendance"][4] == "55.6% (6 of 11)"
    assert "the numbers beside it are the whole year's totals" in page.text.lower()

    page = reader.get(
        "/reports/participation?year=2020&method=mean-of-quarters&min_child_age=5&type=review"
    )
    rows = cell_texts(page, "Participation, 2020 to 2021")
    # Reviews only, from age 5: Q1 loses the child who turned 4 that day
    assert rows["Children's participation"] == [
        "60.0% (3 of 5)",
        "– no one to count",
        "– no one to count",
        "– no one to count",
        "60.0% (3 of 5)",
    ]
    assert "chosen here; the service's usual age is 4" in page.text
    assert "chosen here; the service's usual way is Pooled" in page.text
    # The form keeps what was asked, and the export links carry it
    assert page.soup.select_one("#type option[selected]")["value"] == "review"
    assert "min_child_age=5" in page.link("Participation 2020 to 2021 as CSV")


def test_the_page_defaults_to_this_financial_year(signed_in) -> None:
    from portal.reports.quarters import current_financial_year

    year = current_financial_year()
    page = signed_in(Role.ADMIN).get("/reports/participation")
    assert page.status == 200
    assert f"Participation, {year} to {year + 1}" in page.text
    assert page.soup.select_one("#year option[selected]")["value"] == str(year)


def test_the_chart_is_an_image_whose_text_alternative_is_the_table(signed_in, year_2020) -> None:
    page = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/participation?year=2020")
    charts = page.soup.select("svg.heard-chart")
    assert len(charts) == 3
    for chart in charts:
        assert chart["role"] == "img"
        title_id, desc_id = chart["aria-labelledby"].split()
        assert chart.find(id=title_id).name == "title"
        assert "The table above gives the figures" in chart.find(id=desc_id).get_text()
        assert not chart.find("script")
    children = charts[0]
    labels = [text.get_text() for text in children.find_all("text")]
    assert "54.5" in labels
    assert "72.7" in labels
    assert "–" in labels  # Q3: nothing to draw
    # Attendance solid, participation striped: not told apart by colour alone
    fills = {rect["fill"] for rect in children.select("rect[height]") if rect.get("y") != "8"}
    assert "#1d70b8" in fills
    assert "url(#chart-children-stripes)" in fills


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "Select a financial year"),
        ("year=99999", "Select a financial year"),
        ("year=1999", "Select a financial year"),
        ("year=2020&type=weekly", "Select a conference type from the list"),
        ("year=2020&method=median", "Select how to work out the year's percentage"),
        ("year=2020&min_child_age=four", "Enter the age as a whole number"),
        ("year=2020&min_child_age=-1", "Enter the age as a whole number"),
        ("year=2020&min_child_age=19", "Enter the age as a whole number"),
        ("year=2020&min_child_age=" + "9" * 5000, "Enter the age as a whole number"),
        ("year=2020&min_child_age=%C2%B2", "Enter the age as a whole number"),  # "²"
        ("year=%C2%B2", "Select a financial year"),  # "²": a digit to Python, not to int()
        ("year=" + "9" * 5000, "Select a financial year"),  # too long for int()
        ("year=020", "Select a financial year"),
        # Below the setting (4): those children were stored as CP0, with no code to count
        ("year=2020&min_child_age=3", "The age cannot be below 4, the service's usual age"),
        ("year=2020&min_child_age=0", "The age cannot be below 4, the service's usual age"),
    ],
)
def test_bad_query_values_get_a_message_and_400(signed_in, query, message) -> None:
    reader = signed_in(Role.PARTICIPATION_OFFICER)
    page = reader.get(f"/reports/participation?{query}")
    assert page.status == 400
    assert page.title.startswith("Error:")
    assert any(error.startswith(message) for error in page.error_summary), page.error_summary
    assert not page.soup.select("table")
    for fmt in ("csv", "xlsx"):
        export = reader.get(f"/reports/participation.{fmt}?{query}")
        assert export.status == 400
        assert any(error.startswith(message) for error in export.error_summary)


# --- Exports and the command line ---------------------------------------------------------------


def test_csv_export_matches_the_hand_count(signed_in, year_2020) -> None:
    export = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/participation.csv?year=2020")
    assert export.status == 200
    assert export.response.mimetype == "text/csv"
    assert (
        'filename="heard-participation-2020-2021.csv"'
        in export.response.headers["Content-Disposition"]
    )
    assert export.response.get_data(as_text=True) == POOLED_CSV


def test_xlsx_export_opens_and_matches(signed_in, year_2020) -> None:
    export = signed_in(Role.ADMIN).get(
        "/reports/participation.xlsx?year=2020&method=mean-of-quarters"
    )
    assert export.status == 200
    sheet = load_workbook(io.BytesIO(export.response.get_data())).active
    assert xlsx_as_text(sheet) == as_csv_rows(expected_mean_csv())
    # Numbers, not text, so a spreadsheet can work with them
    first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert first == ("children_attendance", "Q1", 3, 6, 50.0)
    assert sheet.title == "Participation 2020 to 2021"


def test_cli_prints_the_same_csv(app, year_2020, tmp_path) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "participation", "--year", "2020", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output == POOLED_CSV
    assert len(result.output.splitlines()) == 31

    mean = runner.invoke(
        args=["report", "participation", "--year", "2020", "--method", "mean-of-quarters"]
    )
    assert mean.output == expected_mean_csv()

    older = runner.invoke(
        args=[
            "report",
            "participation",
            "--year",
            "2020",
            "--min-child-age",
            "5",
            "--type",
            "review",
        ]
    )
    assert "children_attendance,Q1,3,5,60.0" in older.output.splitlines()
    assert "children_attendance,YEAR,3,5,60.0" in older.output.splitlines()

    target = tmp_path / "participation.xlsx"
    written = runner.invoke(
        args=[
            "report",
            "participation",
            "--year",
            "2020",
            "--format",
            "xlsx",
            "--output",
            str(target),
        ]
    )
    assert written.exit_code == 0, written.output
    sheet = load_workbook(target).active
    assert xlsx_as_text(sheet) == as_csv_rows(POOLED_CSV)

    assert (
        runner.invoke(
            args=["report", "participation", "--year", "2020", "--format", "xlsx"]
        ).exit_code
        != 0
    )
    assert runner.invoke(args=["report", "participation", "--year", "abc"]).exit_code == 2
    assert (
        runner.invoke(
            args=["report", "participation", "--year", "2020", "--method", "median"]
        ).exit_code
        == 2
    )


def test_page_csv_and_cli_agree(app, signed_in, year_2020) -> None:
    query = "year=2020&type=review&min_child_age=5&method=mean-of-quarters"
    page = signed_in(Role.PARTICIPATION_OFFICER).get(f"/reports/participation?{query}")
    rows = cell_texts(page, "Participation, 2020 to 2021")
    export = signed_in(Role.PARTICIPATION_OFFICER).get(f"/reports/participation.csv?{query}")
    cli = app.test_cli_runner().invoke(
        args=[
            "report",
            "participation",
            "--year",
            "2020",
            "--type",
            "review",
            "--min-child-age",
            "5",
            "--method",
            "mean-of-quarters",
        ]
    )
    assert cli.output == export.response.get_data(as_text=True)
    labels = {
        "Children's attendance": "children_attendance",
        "Children's participation": "children_participation",
        "Mothers' attendance": "mothers_attendance",
        "Mothers' participation": "mothers_participation",
        "Fathers' attendance": "fathers_attendance",
        "Fathers' participation": "fathers_participation",
    }
    from_csv = {(m, q): (n, d, p) for m, q, n, d, p in as_csv_rows(cli.output)[1:]}
    for label, cells in rows.items():
        for quarter, text in zip(("Q1", "Q2", "Q3", "Q4", "YEAR"), cells, strict=True):
            numerator, denominator, percent = from_csv[labels[label], quarter]
            if percent:
                assert text == f"{percent}% ({numerator} of {denominator})"
            else:
                assert text.startswith("–")
    # Q1 from age 5 (the child who turned 4 that day left out), reviews only: 3 of 5 attended
    assert from_csv["children_attendance", "Q1"] == ("3", "5", "60.0")


def test_an_age_below_the_setting_is_refused_by_the_command(app, year_2020) -> None:
    runner = app.test_cli_runner()
    below = runner.invoke(
        args=["report", "participation", "--year", "2020", "--min-child-age", "3"]
    )
    assert below.exit_code == 2
    assert "cannot be below 4" in below.output
    assert "recorded as CP0 and have no code to count" in below.output
    assert "children_attendance" not in below.output
    app.config["PARTICIPATION_MIN_AGE"] = 3
    try:
        # With the setting at 3 the same value is the setting itself: allowed
        at_3 = runner.invoke(
            args=["report", "participation", "--year", "2020", "--min-child-age", "3"]
        )
    finally:
        app.config["PARTICIPATION_MIN_AGE"] = 4
    assert at_3.exit_code == 0, at_3.output
    assert "children_attendance,Q1,4,7,57.1" in at_3.output.splitlines()
    raised = runner.invoke(
        args=["report", "participation", "--year", "2020", "--min-child-age", "5"]
    )
    assert raised.exit_code == 0, raised.output
    assert "children_attendance,Q1,3,5,60.0" in raised.output.splitlines()


def test_the_quarter_and_the_age_are_on_the_day_held(signed_in) -> None:
    """Recording derives CP0 on the day the conference was held: the report counts on that day
    too. Scheduled for Wednesday 30 June 2021 (Q1) and held on Thursday 1 July (Q2); the child
    was born on 1 July 2017, so 3 on the scheduled day and 4 on the day held."""
    moved = held(date(2021, 6, 30))
    moved.held_on = date(2021, 7, 1)
    db.session.commit()
    assert moved.conference_date == date(2021, 6, 30)
    child(moved, CP.CP5, born=date(2017, 7, 1))  # heard, not attended
    child(moved, CP.CP1)  # born 2010: attended and heard
    adult(moved, Relationship.MOTHER, attendance=WHOLE, views_heard=True)

    got = figures(participation_table(2021, min_child_age=4))
    assert got["children_attendance", "Q1"] == (0, 0, "")
    assert got["children_attendance", "Q2"] == (1, 2, "50.0")
    assert got["children_participation", "Q2"] == (2, 2, "100.0")
    assert got["mothers_attendance", "Q1"] == (0, 0, "")
    assert got["mothers_attendance", "Q2"] == (1, 1, "100.0")
    assert got["children_participation", "YEAR"] == (2, 2, "100.0")
    page = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/participation?year=2021")
    assert cell_texts(page, "Participation, 2021 to 2022")["Children's participation"][:2] == [
        "– no one to count",
        "100.0% (2 of 2)",
    ]


def test_a_conference_held_in_the_next_year_counts_there(app) -> None:
    """Scheduled for 31 March 2021 (2020's Q4), held on 1 April 2021: 2021's Q1."""
    moved = held(date(2021, 3, 31))
    moved.held_on = date(2021, 4, 1)
    db.session.commit()
    child(moved, CP.CP1)
    assert figures(participation_table(2020, min_child_age=4))["children_attendance", "YEAR"] == (
        0,
        0,
        "",
    )
    assert figures(participation_table(2021, min_child_age=4))["children_attendance", "Q1"] == (
        1,
        1,
        "100.0",
    )
