"""``flask report …`` (a report to standard output) and ``flask import …`` (past records)."""

from __future__ import annotations

from flask.cli import AppGroup

report_cli = AppGroup("report", help="Print a report.")
import_cli = AppGroup("import", help="Import past records.")
