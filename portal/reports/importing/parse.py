"""Reading the import file: its text, its CSV records and its header, then each row checked."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import datetime

from portal.models.base import SERVICE_TIMEZONE
from portal.reports.importing.check import RowChecker
from portal.reports.importing.rows import COLUMNS, PLAN_COLUMNS, WORDS, ParsedFile, RowError


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


def _header_errors(
    header: list[str], line: int, columns: Sequence[str], optional: Sequence[str]
) -> tuple[dict[str, int], list[RowError]]:
    names = [name.strip() for name in header]
    errors = []
    positions: dict[str, int] = {}
    for position, name in enumerate(names):
        if name not in columns and name not in optional:
            shown = name or f"number {position + 1} (no name)"
            listed = ",".join(columns) + (
                " (and optionally " + ",".join(optional) + ")" if optional else ""
            )
            errors.append(RowError(line, shown, "unknown column; the columns are " + listed))
        elif name in positions:
            errors.append(RowError(line, name, "this column is in the header twice"))
        else:
            positions[name] = position
    for name in columns:
        if name not in positions:
            errors.append(RowError(line, name, "missing column"))
    return positions, errors


class CsvFile:
    """A CSV file's header and rows, read once: ``rows()`` yields each row that is not blank as
    its line and its trimmed values by column name (an optional column the header lacks is
    ""), and adds every problem it meets to ``errors``, reading no further after the header's or
    an unreadable record's. Shared by the imports, so each reports problems the same way."""

    def __init__(self, data: bytes, columns: Sequence[str], optional: Sequence[str] = ()) -> None:
        self.data, self.columns, self.optional = data, columns, optional
        self.errors: list[RowError] = []
        self.present: tuple[str, ...] = ()  # the optional columns the header has

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        text = _decode(self.data)
        if isinstance(text, RowError):
            self.errors.append(text)
            return
        records = _records(text)
        try:
            # The header is the first line that is not blank
            first = next((item for item in records if not _blank(item[1])), None)
            if first is None:
                self.errors.append(
                    RowError(None, None, "the file is empty: expected a header line, then the rows")
                )
                return
            header_line, header = first
            positions, header_errors = _header_errors(
                header, header_line, self.columns, self.optional
            )
            if header_errors:
                self.errors.extend(header_errors)
                return
            self.present = tuple(name for name in self.optional if name in positions)
            missing = {name: "" for name in self.optional if name not in positions}
            for line, record in records:
                if _blank(record):
                    continue
                if len(record) != len(header):
                    self.errors.append(
                        RowError(line, None, f"expected {len(header)} values, found {len(record)}")
                    )
                    continue
                yield (
                    line,
                    {
                        **missing,
                        **{name: record[position].strip() for name, position in positions.items()},
                    },
                )
        except _UnreadableError as unreadable:
            self.errors.append(unreadable.error)  # the lines after it are not checked


def parse(data: bytes, min_age: int) -> ParsedFile:
    """Read and check the whole file; nothing touches the database."""
    parsed = ParsedFile()
    file = CsvFile(data, COLUMNS, PLAN_COLUMNS)
    rows = RowChecker(parsed, min_age, today=datetime.now(SERVICE_TIMEZONE).date())
    for line, values in file.rows():
        for name in WORDS:  # "Yes", "Mother", "REVIEW": the word is what matters
            values[name] = values[name].lower()
        rows.check(line, values)
    parsed.errors.extend(file.errors)
    parsed.plan_columns = file.present
    if not parsed.errors and parsed.rows == 0:
        parsed.errors.append(
            RowError(None, None, "the file has a header but no rows: nothing to import")
        )
    return parsed
