"""How long ``flask import attendance`` takes on a big file: new, the same again, corrected.

Run: .venv/bin/python bench/import_history.py [--database URL] [--conferences 26800]

Empties the database (every table dropped, then migrated afresh), writes an invented year with
``portal.reports.sample_history`` (26,800 conferences make about 101,000 rows), then times the
import three times in the same process: into the empty database, the same file again (nothing
changes), and a corrected file (every CP5 made CP6). Times are the import alone, without the
CLI's start-up.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--conferences", type=int, default=26_800)
    args = parser.parse_args()
    database = args.database.replace("postgresql://", "postgresql+psycopg://", 1)

    from bench.fresh import app_on_an_empty_database
    from portal.reports.importer import import_attendance
    from portal.reports.sample_history import history_csv

    app = app_on_an_empty_database(database)
    data = history_csv(2024, args.conferences).encode()
    corrected = data.replace(b",CP5\n", b",CP6\n")
    rows = data.count(b"\n") - 1
    print(f"Emptied {args.database}; {rows:,} rows to import", flush=True)
    with app.app_context():
        for name, content in (("new", data), ("again", data), ("corrected", corrected)):
            began = time.perf_counter()
            result = import_attendance(content, min_age=4)
            seconds = time.perf_counter() - began
            assert not result.errors, result.errors[:3]
            print(f"{name:>10}: {seconds:6.2f} s  {result.summary}", flush=True)


if __name__ == "__main__":
    main()
