"""A year of invented conference history as an import file (``flask import attendance``).

Deterministic: the same arguments give the same file, byte for byte. Families come back for
reviews, so the same child is at several conferences (with the same date of birth) and turns
4 during the year now and then. The rates are roughly those of design.md: children's
attendance about 10% and participation about 87% (of children 4 and over), mothers' attendance
about 86%, fathers' about 57%. Everything is made up; references only, no names.

    python -m portal.reports.sample_history --year 2025 > demo/attendance-2025.csv
    python -m portal.reports.sample_history --year 2025 --conferences 23000 > big.csv
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta

from portal.models.people import whole_years
from portal.reports.importing.rows import COLUMNS

MIN_AGE = 4  # the default PARTICIPATION_MIN_AGE: younger children's codes are left blank
DEMO_CONFERENCES = 700


@dataclass
class _Family:
    ref: str
    children: list[tuple[str, date]]
    adults: list[tuple[str, str]]  # (person_ref, role)
    last_seen: date = field(default=date.min)


def _family(rng: random.Random, number: int, year: int) -> _Family:
    ref = f"F{year % 100:02d}-{number:05d}"
    start = date(year, 4, 1)
    children = [
        (f"{ref}-C{n}", start - timedelta(days=rng.randrange(60, 17 * 365)))
        for n in range(1, rng.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0] + 1)
    ]
    adults = []
    if rng.random() < 0.97:
        adults.append((f"{ref}-M", "mother"))
    if rng.random() < 0.65:
        adults.append((f"{ref}-F", "father"))
    if rng.random() < 0.06:
        adults.append((f"{ref}-P", "other_parent"))
    if rng.random() < 0.12:
        adults.append((f"{ref}-K", "carer"))
    if rng.random() < 0.08:
        adults.append((f"{ref}-O", "other_family"))
    return _Family(ref, children, adults)


def _child_code(rng: random.Random, age: int) -> str:
    if age < MIN_AGE:
        return ""  # CP0, derived by the import
    attends = 0.21 if age >= 12 else 0.065  # about 10% overall
    if rng.random() < attends:
        return rng.choices(["CP1", "CP2", "CP3", "CP4"], weights=[40, 30, 10, 20])[0]
    # Not attending: about 86% of them heard by an advocate or other means (87% in all)
    return rng.choices(["CP5", "CP6", "CP7"], weights=[50, 38, 12])[0]


# (invited, attended whole, attended part, heard another way when not attending)
_ADULT_RATES = {
    "mother": (0.97, 0.80, 0.06, 0.45),
    "father": (0.90, 0.50, 0.07, 0.30),
    "other_parent": (0.90, 0.55, 0.10, 0.30),
    "carer": (0.95, 0.65, 0.05, 0.40),
    "other_family": (0.85, 0.40, 0.10, 0.30),
}


def _adult_values(rng: random.Random, role: str) -> tuple[str, str, str]:
    invited_rate, whole, part, heard_otherwise = _ADULT_RATES[role]
    if rng.random() >= invited_rate:
        return "no", "none", "yes" if rng.random() < 0.2 else "no"
    roll = rng.random()
    if roll < whole:
        return "yes", "whole", "yes"
    if roll < whole + part:
        return "yes", "part", "yes"
    return "yes", "none", "yes" if rng.random() < heard_otherwise else "no"


def _weekdays(year: int) -> list[date]:
    day, end = date(year, 4, 1), date(year + 1, 3, 31)
    days = []
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def history_rows(year: int, conferences: int, seed: int = 2025) -> list[list[str]]:
    """The rows (header first) of ``conferences`` conferences in financial year ``year``."""
    rng = random.Random(f"{seed}-{year}-{conferences}")  # noqa: S311 - invented data, not secrets
    weekdays = _weekdays(year)
    dates = sorted(rng.choice(weekdays) for _ in range(conferences))
    # Families with a plan from before the year, waiting for their reviews
    families = [_family(rng, n, year) for n in range(1, conferences * 35 // 100 + 1)]
    active = list(families)
    rows: list[list[str]] = [list(COLUMNS)]
    for number, day in enumerate(dates, start=1):
        kind = rng.choices(["initial", "review", "transfer_in"], weights=[33, 62, 5])[0]
        waiting = [f for f in rng.sample(active, min(8, len(active))) if f.last_seen < day]
        if kind != "review" or not waiting:
            kind = "initial" if kind == "review" else kind
            family = _family(rng, len(families) + 1, year)
            families.append(family)
            active.append(family)
        else:
            family = min(waiting, key=lambda f: f.last_seen)
            if rng.random() < 0.2:  # the plan ends at this review
                active.remove(family)
        family.last_seen = day
        ref = f"C{year % 100:02d}-{number:05d}"
        head = [ref, day.isoformat(), kind]
        for person, born in family.children:
            if born > day:
                continue
            code = _child_code(rng, whole_years(born, day))
            rows.append([*head, person, "child", born.isoformat(), "", "", "", code])
        for person, role in family.adults:
            invited, attended, heard = _adult_values(rng, role)
            rows.append([*head, person, role, "", invited, attended, heard, ""])
    return rows


def history_csv(year: int, conferences: int = DEMO_CONFERENCES, seed: int = 2025) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(history_rows(year, conferences, seed))
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2025, help="financial year (April to March)")
    parser.add_argument("--conferences", type=int, default=DEMO_CONFERENCES)
    parser.add_argument("--seed", type=int, default=2025)
    arguments = parser.parse_args(argv)
    sys.stdout.write(history_csv(arguments.year, arguments.conferences, arguments.seed))


if __name__ == "__main__":
    main()
