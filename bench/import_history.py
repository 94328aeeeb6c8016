"""How long ``flask import attendance`` takes on a big file: new, the same again, corrected.

Run: .venv/bin/python bench/import_history.py [--database URL] [--conferences 26800]

Empties the database (created when missing; every table dropped, then migrated afresh; by
default bench_import on 127.0.0.1), writes an invented year with
``portal.reports.sample_history`` (26,800 conferences make about 101,000 rows), then times the
import three times in the same process: into the empty database, the same file again (nothing
changes), and a corrected file (every CP5 made CP6). Times are the import alone, without the
CLI's start-up. The last line printed is the figures as JSON (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import summary  # noqa: E402

DATABASE = "postgresql://postgres@127.0.0.1:5432/bench_import"


def run(database: str = DATABASE, conferences: int = 26_800) -> dict:
    """Time the three imports; print and return the figures."""
    url = database.replace("postgresql://", "postgresql+psycopg://", 1)

    from bench.fresh import app_on_an_empty_database
    from portal.reports.importing.services import import_attendance
    from portal.reports.sample_history import history_csv

    app = app_on_an_empty_database(url)
    data = history_csv(2024, conferences).encode()
    corrected = data.replace(b",CP5\n", b",CP6\n")
    rows = data.count(b"\n") - 1
    print(f"Emptied {database}; {rows:,} rows to import", flush=True)
    times = {}
    with app.app_context():
        for name, content in (("new", data), ("again", data), ("corrected", corrected)):
            began = time.perf_counter()
            result = import_attendance(content, min_age=4)
            times[name] = time.perf_counter() - began
            assert not result.errors, result.errors[:3]
            print(f"{name:>10}: {times[name]:6.2f} s  {result.summary}", flush=True)
    command = summary.rerun("bench/import_history.py")
    print(f"Rerun: {command}")
    return summary.report(
        "import",
        f"flask import attendance of {rows:,} rows ({url.split(':')[0].split('+')[0]}): new, "
        "the same again, corrected",
        f"{times['new']:.1f} s new, {times['again']:.1f} s again, "
        f"{times['corrected']:.1f} s corrected",
        "no aim set: passes when every row imports without an error",
        True,
        command,
        rows=rows,
        new_seconds=round(times["new"], 2),
        again_seconds=round(times["again"], 2),
        corrected_seconds=round(times["corrected"], 2),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--conferences", type=int, default=26_800)
    args = parser.parse_args()
    summary.print_last_line(run(args.database, args.conferences))


if __name__ == "__main__":
    main()
