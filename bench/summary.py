"""What every benchmark ends with: its figures as one JSON line, which bench/run_all.py reads
to print one table for all of them; and the machine the figures were measured on."""

from __future__ import annotations

import json
import os
import sys


def machine() -> str:
    """Cores and load average: the figures mean little without them on a shared machine."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load}"


def rerun(script: str) -> str:
    """The command that repeats this run, with the arguments it was given."""
    return " ".join([".venv/bin/python", script, *sys.argv[1:]])


def report(
    benchmark: str, measured: str, headline: str, aim: str, passed: bool, rerun: str, **figures
) -> dict:
    """A benchmark's result: flat, so a table can show any benchmark's the same way."""
    return {
        "benchmark": benchmark,
        "measured": measured,
        "headline": headline,
        "aim": aim,
        "passed": passed,
        "rerun": rerun,
        "machine": machine(),
        **figures,
    }


def print_last_line(result: dict) -> None:
    """The result as the last line printed (bench/run_all.py reads it)."""
    print(json.dumps(result, ensure_ascii=False), flush=True)
