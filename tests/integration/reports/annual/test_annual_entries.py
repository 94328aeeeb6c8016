"""The annual report's entries (issue 23): other areas' figures by form and CSV (a bad file is
refused with its problems and writes nothing), the child population's rate per 10,000, the
manager's words kept as audited versions and shown escaped, and who may open what."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from sqlalchemy import select

from portal.extensions import db
from portal.models import AnnualText, AuditEvent, Comparator, RecordType, Role
from tests.pages import PageClient

GOOD = (
    "measure,year,area,value,source,source_date\n"
    "plans_at_end_per_10000,2020,England,41.4,DfE Characteristics of children in need,2021-10-28\n"
    "new_plans_repeat,2020,South East,21.5,DfE Characteristics of children in need,2021-10-28\n"
)


def _upload(client: PageClient, body: bytes) -> object:
    page = client.get("/reports/annual/comparators")
    return client.post(
        "/reports/annual/comparators/import",
        {
            "csrf_token": page.csrf_token(),
            "file-file": (BytesIO(body), "figures.csv"),
        },
        content_type="multipart/form-data",
    )


def test_a_bad_file_is_refused_with_each_problem_and_nothing_written(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in(Role.ADMIN)
    bad = GOOD + "new_plans,20x0,England,-3,,2099-01-01\n"
    page = _upload(client, bad.encode())
    assert page.status == 400  # type: ignore[attr-defined]
    text = page.text  # type: ignore[attr-defined]
    assert "Nothing was imported" in text
    assert "line 4, column year" in text
    assert "line 4, column value" in text
    assert "line 4, column source_date" in text
    assert db.session.scalars(select(Comparator)).all() == []
    wrong_header = _upload(client, b"measure,year\nnew_plans,2020\n")
    assert wrong_header.status == 400  # type: ignore[attr-defined]
    assert "missing: area, value, source, source_date" in wrong_header.text  # type: ignore[attr-defined]


def test_a_control_character_in_a_cell_is_its_lines_problem_and_nothing_written(
    signed_in: Callable[..., PageClient],
) -> None:
    """A NUL the database cannot take, a vertical tab the Word file cannot: refused as the forms
    refuse them, each named by its line and column, not a 500 now or later."""
    client = signed_in(Role.ADMIN)
    bad = (
        GOOD
        + "new_plans_repeat,2020,North\x00East,20.1,DfE,2021-10-28\n"
        + "new_plans_repeat,2020,North West,20.2,DfE\x0bstatistics,2021-10-28\n"
    )
    page = _upload(client, bad.encode())
    assert page.status == 400  # type: ignore[attr-defined]
    text = page.text  # type: ignore[attr-defined]
    assert "Nothing was imported" in text
    assert "line 4, column area: a character we cannot keep: remove it" in text
    assert "line 5, column source: a character we cannot keep: remove it" in text
    assert "line 4, column source" not in text
    assert "line 5, column area" not in text
    assert db.session.scalars(select(Comparator)).all() == []


def test_a_good_file_and_the_population_show_in_their_own_table(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in(Role.ADMIN)
    assert _upload(client, GOOD.encode()).status == 302  # type: ignore[attr-defined]
    saved = client.submit(
        "/reports/annual/population",
        {
            "population-year": "2020",
            "population-children": "61200",
            "population-source": "ONS mid-year estimate",
            "population-source_date": "2021-06-25",
        },
        on="/reports/annual/comparators",
    )
    assert saved.status == 302
    page = client.get("/reports/annual?year=2020")
    table = page.soup.select_one('table[data-table="comparators"]')
    assert table is not None
    assert "England" in table.get_text()
    assert "41.4" in table.get_text()
    assert "DfE Characteristics of children in need" in table.get_text()
    per = page.soup.select_one('table[data-table="per-10000"]')
    assert per is not None
    assert "61200" in per.get_text()
    events = db.session.scalars(select(AuditEvent.record_type)).all()
    assert events.count(RecordType.COMPARATOR.value) == 2


def test_the_manager_s_words_are_versions_audited_and_escaped(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in(Role.PARTICIPATION_OFFICER)
    url = "/reports/annual/words?year=2020"
    first = client.submit(url, {"introduction": "Our <b>year</b>.", "objectives": ""})
    assert first.status == 302
    client.submit(url, {"introduction": "Our second year.\n\nMore."})
    versions = db.session.scalars(select(AnnualText).order_by(AnnualText.id)).all()
    assert [v.body for v in versions] == ["Our <b>year</b>.", "Our second year.\n\nMore."]
    page = client.get("/reports/annual?year=2020")
    assert "<b>year</b>" not in page.response.get_data(as_text=True)
    assert [p.get_text() for p in page.soup.select("#words-introduction p")] == [
        "Our second year.",
        "More.",
    ]
    assert db.session.scalars(select(AuditEvent.record_type)).all().count("annual_text") == 2


def test_only_admins_enter_figures_and_a_bad_year_is_a_400(
    signed_in: Callable[..., PageClient],
) -> None:
    officer = signed_in(Role.PARTICIPATION_OFFICER)
    assert officer.get("/reports/annual/comparators").status == 403
    assert officer.get("/reports/annual?year=20x0").status == 400
    assert signed_in(Role.CHAIR).get("/reports/annual?year=2020").status == 403


def test_one_figure_by_the_form_and_a_wrong_one_is_a_400_with_its_message(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in(Role.ADMIN)
    values = {
        "one-measure": "new_plans_repeat",
        "one-area": "England",
        "one-year": "2020",
        "one-value": "11 %",
        "one-source": "DfE",
        "one-source_date": "2021-10-28",
    }
    url, on = "/reports/annual/comparators", "/reports/annual/comparators"
    wrong = client.submit(url, values, on=on)
    assert wrong.status == 400
    assert "Enter the figure as a number from 0, like 24.4" in wrong.text
    assert db.session.scalars(select(Comparator)).all() == []
    assert client.submit(url, values | {"one-value": "11"}, on=on).status == 302
    again = client.submit(url, values | {"one-value": "11.04"}, on=on)
    assert again.status == 302
    (saved,) = db.session.scalars(select(Comparator)).all()  # replaced, not added
    assert (saved.measure, saved.year, str(saved.value)) == ("new_plans_repeat", 2020, "11.0")
    page = client.get("/reports/annual?year=2020")
    row = page.soup.select_one('table[data-table="comparators"] tbody tr')
    assert row is not None
    assert "11.0%" in row.get_text()
