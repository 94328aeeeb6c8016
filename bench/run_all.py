"""Every benchmark in turn, then one table: what each measured, its headline figures, whether
it met its aim, how long it took and the command that reruns it alone (``make bench``).

Each benchmark runs in a process of its own (they empty databases, set the environment, and
the load test patches the standard library for gevent): ``run_all.py --one NAME`` imports
``bench/<module>.py``, calls its ``run(...)`` and prints the figures it returns as a last line
of JSON, which this script reads. Exits non-zero when any benchmark failed or crashed.

    .venv/bin/python bench/run_all.py                     # everything, full size (about 22 min)
    .venv/bin/python bench/run_all.py --quick             # the short variants (about 9 min)
    .venv/bin/python bench/run_all.py --only load,report  # some of them
    .venv/bin/python bench/run_all.py --json results.json # also write every figure to a file

PostgreSQL on 127.0.0.1:5432 is needed; each benchmark empties a database of its own
(bench_pages, bench_load, bench_staff, bench_report, bench_import, bench_kill, bench_upgrade;
created when missing), never test, root or postgres. The fault benchmarks start a private
PostgreSQL cluster of their own.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVER = "postgresql://postgres@127.0.0.1:5432"
PYTHON = ".venv/bin/python"


def _fault_restart(figures: dict) -> str:
    return (
        f"{figures.get('successes')} submissions confirmed, "
        f"{figures.get('successes_missing_from_database')} missing from the database; "
        f"{figures.get('failures_seen_by_users')} error pages; back in "
        f"{figures.get('seconds_to_recover')} s"
    )


def _fault_sms(figures: dict) -> str:
    return (
        f"{figures.get('delivered')} of {figures.get('reminders_queued_by_the_schedule')} "
        f"delivered, lost {figures.get('lost')}, duplicates {figures.get('duplicates')}, "
        f"{figures.get('failed_tries_recorded_by_the_worker')} failed tries retried"
    )


def _fault_kills(figures: dict) -> str:
    return (
        f"{figures.get('answers_confirmed')} answers confirmed, {figures.get('answers_lost')} "
        f"lost; {figures.get('texts_due')} texts, {figures.get('texts_lost')} lost, "
        f"{figures.get('duplicates')} duplicates (bound {figures.get('duplicates_bound')}); "
        f"{figures.get('errors_seen_while_web_killed')} errors at the web kill"
    )


def _fault_upgrade(figures: dict) -> str:
    return (
        f"{figures.get('database_before')} → {figures.get('database_after')} under "
        f"{figures.get('old_release')}'s code; {figures.get('answers_confirmed')} answers, "
        f"{figures.get('answers_lost')} lost; {figures.get('errors_while_web_0_switched')} + "
        f"{figures.get('errors_while_web_1_switched')} errors at the switches, "
        f"{figures.get('server_errors_5xx')} × 5xx"
    )


class Figures(dict):
    """A benchmark's figures for str.format_map: a figure it did not give reads as "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


@dataclass
class Benchmark:
    name: str
    module: str  # bench/<module>.py, with run(**options) -> dict
    options: dict = field(default_factory=dict)
    quick: dict = field(default_factory=dict)  # the short variant's options (--quick)
    rerun: str = ""  # the command that reruns it alone (the full size)
    # For benchmarks whose run() does not say it itself (the fault runs):
    measured: str = ""  # may name figures: "{outage_seconds} s"
    aim: str = ""
    headline: Callable[[dict], str] | None = None


BENCHMARKS = [
    Benchmark(
        "worker",
        "worker",
        quick={"messages": 1000},
        rerun="make bench-worker",
    ),
    Benchmark(
        "family pages",
        "family_pages",
        {"database": f"{SERVER}/bench_pages"},
        {"database": f"{SERVER}/bench_pages", "users": 5, "seconds": 5, "warmup": 2},
        "make bench-pages",
    ),
    Benchmark(
        "load",
        "load",
        {"database": f"{SERVER}/bench_load"},
        {"database": f"{SERVER}/bench_load", "users": 10, "duration": 20, "think": 0.3},
        "make bench-load",
    ),
    Benchmark(
        "staff pages",
        "staff_pages",
        {"database": f"{SERVER}/bench_staff"},
        {"database": f"{SERVER}/bench_staff", "seconds": 10, "warmup": 3},
        "make bench-staff",
    ),
    Benchmark(
        "report",
        "report",
        {"database": f"{SERVER}/bench_report"},
        {"database": f"{SERVER}/bench_report", "conferences": 11_111, "runs": 3},
        "make bench-report",
    ),
    Benchmark(
        "import",
        "import_history",
        {"database": f"{SERVER}/bench_import"},
        {"database": f"{SERVER}/bench_import", "conferences": 2_000},
        f"{PYTHON} bench/import_history.py --database {SERVER}/bench_import",
    ),
    Benchmark(
        "attachments",
        "attachments",
        quick={"runs": 1},
        rerun=f"{PYTHON} bench/attachments.py",
    ),
    # The fault runs (their figures are flat dicts with "passed"; the headline is made here).
    Benchmark(
        "fault: PostgreSQL restart",
        "fault_database_restart",
        quick={"seconds": 16.0, "people": 10},
        rerun=f"{PYTHON} bench/fault_database_restart.py",
        measured="{people} families submitting for {seconds} s while PostgreSQL restarts",
        aim="every confirmed submission in the database; the app recovers without a restart",
        headline=_fault_restart,
    ),
    Benchmark(
        "fault: SMS provider down (503)",
        "fault_sms_outage",
        {"failure": "503"},
        {"failure": "503", "outage_seconds": 5.0, "messages": 100},
        f"{PYTHON} bench/fault_sms_outage.py --failure 503",
        "reminders sent while the SMS provider answers 503 for {outage_seconds} s",
        "0 messages lost, none failed for good",
        _fault_sms,
    ),
    Benchmark(
        "fault: SMS provider down (refused)",
        "fault_sms_outage",
        {"failure": "refuse"},
        {"failure": "refuse", "outage_seconds": 5.0, "messages": 100},
        f"{PYTHON} bench/fault_sms_outage.py --failure refuse",
        "reminders sent while the SMS provider refuses connections for {outage_seconds} s",
        "0 messages lost, none failed for good",
        _fault_sms,
    ),
    Benchmark(
        "fault: web instance and worker killed",
        "fault_kills",
        {"database": f"{SERVER}/bench_kill"},
        {"database": f"{SERVER}/bench_kill", "seconds": 30.0, "people": 6}
        | {"web_kill_at": 8.0, "worker_kill_at": 16.0},
        f"{PYTHON} bench/fault_kills.py",
        "{people} families through nginx for {seconds} s; kill -9 of a web instance at "
        "{web_killed_at_seconds} s and of a worker holding {messages_held_by_killed_worker} "
        "texts at {worker_killed_at_seconds} s",
        "0 answers and 0 texts lost; duplicates only from the killed worker's batch",
        _fault_kills,
    ),
    Benchmark(
        "fault: upgrade under load",
        "fault_upgrade",
        {"database": f"{SERVER}/bench_upgrade"},
        {"database": f"{SERVER}/bench_upgrade", "seconds": 36.0, "people": 6}
        | {"migrate_at": 4.0, "switch_at": 10.0},
        f"{PYTHON} bench/fault_upgrade.py",
        "{people} families through nginx for {seconds} s; migrated under the old code, then "
        "each instance switched",
        "0 answers lost, no 5xx, no error outside a switch",
        _fault_upgrade,
    ),
]


def run_one(name: str, quick: bool) -> None:
    """In the benchmark's own process: its run(), then its figures as the last line."""
    benchmark = next(b for b in BENCHMARKS if b.name == name)
    options = benchmark.quick if quick else benchmark.options
    # As if the script had been run alone with these options: its "Rerun:" line says so.
    script = f"bench/{benchmark.module}.py"
    flags = [
        part
        for key, value in options.items()
        for part in (f"--{key.replace('_', '-')}", str(value))
    ]
    sys.argv = [script, *flags]
    module = importlib.import_module(f"bench.{benchmark.module}")
    figures = module.run(**options)
    if "headline" not in figures and hasattr(module, "print_figures"):  # the fault runs
        module.print_figures(figures, " ".join([PYTHON, *sys.argv]))
    figures.setdefault("rerun", " ".join([PYTHON, *sys.argv]))
    print(json.dumps(figures, ensure_ascii=False, default=str), flush=True)


def run_in_turn(benchmark: Benchmark, quick: bool) -> dict:
    """Run one benchmark in a child process, echoing what it prints; the row for the table."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one", benchmark.name]
    print(f"\n=== {benchmark.name} ({benchmark.rerun})", flush=True)
    began = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - this script, with a name from BENCHMARKS
        [*command, *(["--quick"] if quick else [])],
        cwd=ROOT,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},  # its lines as they come, not at the end
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    last = ""
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip():
            last = line
        if not line.startswith("{"):
            print(f"  {line}", end="", flush=True)
    code = child.wait()
    seconds = time.perf_counter() - began
    try:
        figures = json.loads(last)
    except json.JSONDecodeError:
        figures = {}
    row = {
        "benchmark": benchmark.name,
        "measured": figures.get("measured") or benchmark.measured.format_map(Figures(figures)),
        "headline": figures.get("headline") or (benchmark.headline(figures) if figures else ""),
        "aim": figures.get("aim") or benchmark.aim,
        "passed": bool(figures.get("passed")) and code == 0,
        "seconds": round(seconds),
        "rerun": figures.get("rerun", benchmark.rerun) if quick else benchmark.rerun,
        "figures": figures,
    }
    if not figures:
        row["headline"] = f"crashed (exit {code}): no figures"
    return row


def table(rows: list[dict]) -> str:
    """A Markdown table: readable in a terminal, and pasted as it is into a note."""
    lines = [
        "| benchmark | what it measured | headline figures | aim | result | time | rerun |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        minutes, seconds = divmod(row["seconds"], 60)
        lines.append(
            f"| {row['benchmark']} | {row['measured']} | {row['headline']} | {row['aim']} | "
            f"{'PASS' if row['passed'] else 'FAIL'} | {minutes}:{seconds:02d} | "
            f"`{row['rerun']}` |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the short variants (about 9 min)")
    parser.add_argument(
        "--only", help="comma-separated names (" + ", ".join(b.name for b in BENCHMARKS) + ")"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child process's part
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.quick)
        return

    wanted = BENCHMARKS
    if args.only:
        names = {name.strip() for name in args.only.split(",")}
        wanted = [b for b in BENCHMARKS if b.name in names or b.module in names]
        unknown = names - {b.name for b in wanted} - {b.module for b in wanted}
        if unknown:
            raise SystemExit(f"No benchmark called {', '.join(sorted(unknown))}")
    started = datetime.now(UTC)
    rows = [run_in_turn(benchmark, args.quick) for benchmark in wanted]
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"\nBenchmarks{' (short variants)' if args.quick else ''}, started "
        f"{started:%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, load average {load} at the "
        "end (other work on the machine makes the times noisy):\n"
    )
    print(table(rows))
    failed = [row["benchmark"] for row in rows if not row["passed"]]
    print(
        f"\n{len(rows) - len(failed)} of {len(rows)} benchmarks met their aim"
        + (f"; not met: {', '.join(failed)}" if failed else "")
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, default=str), encoding="utf-8")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
