"""Reading the import file: its text, its CSV records and its header, then each row checked."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from portal.models.base import SERVICE_TIMEZONE
from portal.reports.importing.check import RowChecker
from portal.reports.importing.rows import COLUMNS, WORDS, ParsedFile, RowError


def _decode(data: bytes) -> str | RowError:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return RowError(line, None, "the file is not UTF-8 text (save it as CSV UTF-8)")


class _UnreadableError(Exception):
    """The csv module gave up on the file (a value over its size limit, a quote it cannot
    close): where it stopped, to report as a line rather than a traceback."""

    def __init__(self, line: int, error: csv.Error) -> None:
        super().__init__(str(error))
        self.error = RowError(line, None, f"the file could not be read as CSV here: {error}")


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (a quoted value may span lines); a record the
    csv module cannot read raises _UnreadableError with the line it had reached."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _UnreadableError(reader.line_num, error) from None
        yield start, record
        start = reader.line_num + 1


def _blank(record: list[str]) -> bool:
    return not any(value.strip() for value in record)


def _header_errors(header: list[str], line: int) -> tuple[dict[str, int], list[RowError]]:
    names = [name.strip() for name in header]
    errors = []
    positions: dict[str, int] = {}
    for position, name in enumerate(names):
        if name not in COLUMNS:
            shown = name or f"number {position + 1} (no name)"
            errors.append(
                RowError(line, shown, "unknown column; the columns are " + ",".join(COLUMNS))
            )
        elif name in positions:
            errors.append(RowError(line, name, "this column is in the header twice"))
        else:
            positions[name] = position
    for name in COLUMNS:
        if name not in positions:
            errors.append(RowError(line, name, "missing column"))
    return positions, errors


def parse(data: bytes, min_age: int) -> ParsedFile:
    """Read and check the whole file; nothing touches the database."""
    parsed = ParsedFile()
    text = _decode(data)
    if isinstance(text, RowError):
        parsed.errors.append(text)
        return parsed
    records = _records(text)
    try:
        # The header is the first line that is not blank
        first = next((item for item in records if not _blank(item[1])), None)
    except _UnreadableError as unreadable:
        parsed.errors.append(unreadable.error)
        return parsed
    if first is None:
        parsed.errors.append(
            RowError(None, None, "the file is empty: expected a header line, then the rows")
        )
        return parsed
    header_line, header = first
    positions, header_errors = _header_errors(header, header_line)
    if header_errors:
        parsed.errors.extend(header_errors)
        return parsed
    width = len(header)
    rows = RowChecker(parsed, min_age, today=datetime.now(SERVICE_TIMEZONE).date())
    try:
        for line, record in records:
            if _blank(record):
                continue
            if len(record) != width:
                parsed.errors.append(
                    RowError(line, None, f"expected {width} values, found {len(record)}")
                )
                continue
            values = {name: record[position].strip() for name, position in positions.items()}
            for name in WORDS:  # "Yes", "Mother", "REVIEW": the word is what matters
                values[name] = values[name].lower()
            rows.check(line, values)
    except _UnreadableError as unreadable:
        parsed.errors.append(unreadable.error)  # the lines after it are not checked
    if not parsed.errors and parsed.rows == 0:
        parsed.errors.append(
            RowError(None, None, "the file has a header but no rows: nothing to import")
        )
    return parsed
