"""The demo's annual report (issue 23): 2025 a full year of imported history, its trend from
the imported years before it, other areas' figures for two measures, and the manager's words."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from portal.demo.annual import REPORT_YEAR
from portal.models import Role
from tests.pages import PageClient


def test_the_demo_s_annual_report_is_complete(
    app: Flask, signed_in: Callable[..., PageClient]
) -> None:
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    page = signed_in(Role.PARTICIPATION_OFFICER).get(f"/reports/annual?year={REPORT_YEAR}")
    assert page.status == 200
    trend = page.soup.select_one('table[data-table="trend"]')
    assert trend is not None
    held = next(r for r in trend.select("tbody tr") if "Conferences held" in r.get_text())
    figures = [cell.get_text(strip=True) for cell in held.select("td")]
    assert figures[0] == "–"  # 2022: nothing on record
    assert all(figure.isdigit() and int(figure) > 0 for figure in figures[1:])
    comparators = page.soup.select_one('table[data-table="comparators"]')
    assert comparators is not None
    measures = {row.th.get_text().split(":")[0] for row in comparators.select("tbody tr")}
    assert len(measures) == 2
    for section in ("introduction", "worked_well", "worried_about", "objectives"):
        assert page.soup.select(f"#words-{section} p"), section
    per = page.soup.select_one('table[data-table="per-10000"]')
    assert per is not None
