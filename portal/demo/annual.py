"""The demo's annual report (issue 23): two earlier years of imported history beside the demo's
year (2025, demo/attendance-2025.csv), so the report for 2025 has a four-year trend; other
areas' figures for two measures, the child population, and the manager's sections written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import current_app

from portal.demo.accounts import staff_by_email
from portal.recording.codes import participation_min_age
from portal.reports.annual.comparators import ComparatorEntry, save_comparator, save_population
from portal.reports.annual.words import save_words
from portal.reports.importing.services import import_attendance
from portal.reports.sample_history import history_csv

REPORT_YEAR = 2025  # the demo's imported year: a full year
EARLIER_YEARS = {2023: 420, 2024: 520}  # conferences imported for each
SOURCE = "DfE, Characteristics of children in need (invented for the demo)"
COMPARATORS = {  # measure -> area -> figures for 2023, 2024, 2025
    "plans_at_end_per_10000": {
        "South East": ("37.9", "38.6", "39.2"),
        "Statistical neighbours": ("35.0", "36.4", "35.8"),
        "England": ("42.1", "41.4", "40.6"),
    },
    "new_plans_repeat": {
        "South East": ("22.8", "23.5", "22.9"),
        "England": ("23.3", "23.6", "23.8"),
    },
}
WORDS = {
    "introduction": (
        "This report summarises child protection conference activity in the demo council for "
        "the year. Every figure is counted from the conference records, including those "
        "imported from the previous case system."
    ),
    "worked_well": (
        "More children and young people took part in their conferences, most often by "
        "briefing an advocate.\n\nReviews were held on time in most cases."
    ),
    "worried_about": (
        "Too many initial conferences were held later than 15 working days after the "
        "section 47 enquiry started."
    ),
    "objectives": (
        "Hold every initial conference within 15 working days.\n\nOffer every child of "
        "advocacy age an advocate before their conference."
    ),
}


def add_annual_report_demo() -> int:
    """Returns how many conferences the earlier years' history added."""
    admin = staff_by_email("admin@heard.example")
    added = 0
    for year, conferences in EARLIER_YEARS.items():
        result = import_attendance(
            history_csv(year, conferences, seed=year).encode(), min_age=participation_min_age()
        )
        if result.errors:
            current_app.logger.warning("Demo history %s not imported: %s", year, result.errors[0])
        else:
            added += result.new and result.conferences
    for measure, areas in COMPARATORS.items():
        for area, figures in areas.items():
            for year, figure in zip((2023, 2024, 2025), figures, strict=True):
                entry = ComparatorEntry(
                    measure, year, area, Decimal(figure), SOURCE, date(year + 1, 10, 28)
                )
                save_comparator(entry, admin)
    for year, children in ((2023, 60_100), (2024, 60_800), (2025, 61_200)):
        source = "ONS mid-year population estimate (invented for the demo)"
        save_population(year, children, source, date(year + 1, 6, 25), admin)
    save_words(REPORT_YEAR, WORDS, admin)
    return added
