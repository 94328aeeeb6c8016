"""Figures the proof tests gather as they run; tests/conftest.py prints them at the end."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Tally:
    requests: int = 0
    leaks: int = 0


ACCESS_MATRIX = Tally()  # every endpoint visited by every kind of visitor
ABUSE = Tally()  # hostile requests: guessing, oversized bodies, hostile form values


@dataclass
class AtRest:
    values: int = 0
    columns: int = 0
    files: int = 0
    readable: int = 0


AT_REST = AtRest()  # raw database values and attachment files searched for what was written
FAULTS: list[str] = []  # one line per fault run (tests/integration/test_faults.py): what it lost
LIMITS: list[str] = []  # the rate limits measured under gunicorn -w 2 and Redis
