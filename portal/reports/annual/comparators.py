"""Other areas' figures for the annual report, and the child population per year: entered by an
admin on the page or imported from a CSV file (``measure,year,area,value,source,source_date``).
A file is checked whole first; any error writes nothing. An entry for a measure, year and area
already held replaces it. Each change is audited (ids and field names only)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit.services import record_event
from portal.extensions import db
from portal.forms import UNKEEPABLE
from portal.models import AuditAction, ChildPopulation, Comparator, RecordType, StaffUser
from portal.models.base import SERVICE_TIMEZONE
from portal.reports.annual.measures import MEASURE_KEYS
from portal.reports.quarters import EARLIEST_YEAR

CSV_HEADER = ("measure", "year", "area", "value", "source", "source_date")
AREA_MAX, SOURCE_MAX = 100, 200
VALUE_MAX = Decimal("99999999999")
CSV_MAX_ROWS = 5_000

_Entered = TypeVar("_Entered", Comparator, ChildPopulation)


@dataclass(frozen=True)
class ComparatorEntry:
    measure: str
    year: int
    area: str
    value: Decimal
    source: str
    source_date: date


class BadComparators(ValueError):
    """A file that cannot be imported: every problem, one a line, and nothing written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def save_comparator(entry: ComparatorEntry, editor: StaffUser) -> None:
    _put_comparator(entry, editor)
    db.session.commit()


def save_population(
    year: int, children: int, source: str, source_date: date, editor: StaffUser
) -> None:
    values = {"children": children, "source": source, "source_date": source_date}
    _put(ChildPopulation, RecordType.CHILD_POPULATION, {"year": year}, values, editor)
    db.session.commit()


def _put_comparator(entry: ComparatorEntry, editor: StaffUser) -> None:
    key = {"measure": entry.measure, "year": entry.year, "area": entry.area}
    values = {"value": entry.value, "source": entry.source, "source_date": entry.source_date}
    _put(Comparator, RecordType.COMPARATOR, key, values, editor)


def _put(
    model: type[_Entered],
    record_type: RecordType,
    key: dict[str, object],
    values: dict[str, object],
    editor: StaffUser,
) -> None:
    """The row held for ``key`` takes ``values`` (a new row if none is held): an entry replaces
    the earlier one for the same key, and the audit names the fields set."""
    row = db.session.scalars(select(model).filter_by(**key)).one_or_none()
    action = AuditAction.UPDATE if row else AuditAction.CREATE
    if row is None:
        row = model(**key)
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.entered_by_id = editor.id
    db.session.flush()
    record_event(action, record_type, row.id, fields=values, actor=editor)


def import_comparators(data: bytes, editor: StaffUser, latest_year: int) -> int:
    """Every row of the file, or none: raises BadComparators listing each problem."""
    entries = parse_comparators(data, latest_year)
    for entry in entries:
        _put_comparator(entry, editor)
    db.session.commit()
    return len(entries)


def parse_comparators(data: bytes, latest_year: int) -> list[ComparatorEntry]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadComparators([_("The file is not UTF-8 text: save it as CSV UTF-8")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = tuple((name or "").strip().lower() for name in reader.fieldnames or ())
    if not header:
        raise BadComparators([_("The file is empty")])
    missing = [column for column in CSV_HEADER if column not in header]
    if missing:
        raise BadComparators(
            [
                _(
                    "The header must name the columns %(columns)s; missing: %(missing)s",
                    columns=",".join(CSV_HEADER),
                    missing=", ".join(missing),
                )
            ]
        )
    reader.fieldnames = list(header)
    entries, problems = [], []
    try:
        for line, row in enumerate(reader, start=2):
            if line - 1 > CSV_MAX_ROWS:
                raise BadComparators([_("The file has over %(n)s rows", n=CSV_MAX_ROWS)])
            entry, wrong = _entry(row, latest_year)
            problems += [
                _("line %(line)s, column %(column)s: %(problem)s", line=line, column=c, problem=p)
                for c, p in wrong
            ]
            if entry:
                entries.append(entry)
    except csv.Error as error:
        problems.append(_("line %(line)s: %(problem)s", line=reader.line_num, problem=error))
    if problems:
        raise BadComparators(problems)
    if not entries:
        raise BadComparators([_("The file has a header but no rows")])
    return entries


def _entry(
    row: dict[str, str | None], latest_year: int
) -> tuple[ComparatorEntry | None, list[tuple[str, str]]]:
    value = {key: (row.get(key) or "").strip() for key in CSV_HEADER}
    wrong: list[tuple[str, str]] = []
    if value["measure"] not in MEASURE_KEYS:
        wrong.append(("measure", _("use one of %(keys)s", keys=", ".join(MEASURE_KEYS))))
    year = check_year(value["year"], latest_year)
    if year is None:
        wrong.append(
            (
                "year",
                _(
                    "a financial year from %(a)s to %(b)s, like 2020 for 2020/21",
                    a=EARLIEST_YEAR,
                    b=latest_year,
                ),
            )
        )
    if not value["area"] or len(value["area"]) > AREA_MAX:
        wrong.append(("area", _("the area's name, up to %(n)s characters", n=AREA_MAX)))
    number = check_value(value["value"])
    if number is None:
        wrong.append(("value", _("a number from 0, like 24.4 (no per cent sign)")))
    if not value["source"] or len(value["source"]) > SOURCE_MAX:
        wrong.append(("source", _("where it was published, up to %(n)s characters", n=SOURCE_MAX)))
    published = check_date(value["source_date"])
    if published is None:
        wrong.append(("source_date", _("the day it was published, YYYY-MM-DD, not after today")))
    # A control character is refused as the forms refuse it (portal.forms.keepable): the database
    # cannot take a NUL and the Word file cannot take a form feed. It is that cell's one problem.
    problems = dict(wrong) | {
        key: _("a character we cannot keep: remove it")
        for key in CSV_HEADER
        if UNKEEPABLE.search(value[key])
    }
    if problems or year is None or number is None or published is None:
        return None, [(key, problems[key]) for key in CSV_HEADER if key in problems]
    entry = ComparatorEntry(
        value["measure"], year, value["area"], number, value["source"], published
    )
    return entry, []


def check_year(text: str, latest_year: int) -> int | None:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if EARLIEST_YEAR <= year <= latest_year else None


def check_value(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > VALUE_MAX:
        return None
    return number.quantize(Decimal("0.1"))


def check_date(text: str) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if len(text) == 10 and day <= datetime.now(SERVICE_TIMEZONE).date() else None
