"""An upgrade during the day: a new release rolled out while families answer.

The old release is the code at the commit before the newest migration was added (--old, a
commit; by default found with ``git log``), unpacked into a folder of its own (git archive)
with its translations compiled. The database is migrated and seeded by the old code, and the
whole stack (bench/stack.py: nginx with TLS, two gunicorn instances, a worker) runs it. Then,
while families walk their forms through nginx (bench/stack_load.py):

1. at --migrate-at seconds the new code's ``flask db upgrade`` takes the database to the newest
   revision, under the old code still serving (the rule that makes this safe: expand, then
   contract, docs/development.md);
2. at --switch-at each instance in turn is taken out of nginx's rotation (marked ``down``,
   nginx reloaded), stopped gracefully (SIGTERM: gunicorn finishes the requests it holds),
   started on the new code and put back, then the worker is switched (SIGTERM: it finishes
   its batch). --no-drain skips the rotation: SIGTERM alone, which cuts the requests nginx
   had already queued at the closing socket (POSTs are not retried: the person sees 502).

Figures: answers and sendings confirmed to families and missing from the database (must be 0);
the errors people saw in each phase (must be none outside a switch; a 5xx anywhere fails the
run); how long the migration and each switch took.

    .venv/bin/python bench/fault_upgrade.py         # 60 s, 10 people, migrate at 15, switch at 30
    .venv/bin/python bench/fault_upgrade.py --ci       # the short variant: 36 s
    .venv/bin/python bench/fault_upgrade.py --no-drain # SIGTERM only, no rotation
    .venv/bin/python bench/fault_upgrade.py --old 2235a85 --database postgresql://…/x

The database (default bench_upgrade on 127.0.0.1:5432) is emptied first. Needs nginx and Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fault_database_restart import print_figures  # noqa: E402
from bench.summary import machine  # noqa: E402

NAME = "A release rolled out under load"
DATABASE = "postgresql://postgres@127.0.0.1:5432/bench_upgrade"
SECRET_KEY = "upgrade-run-only-secret-key-not-for-use-anywhere-else"  # noqa: S105 - invented
CI_SETTINGS = {"seconds": 36.0, "people": 6, "migrate_at": 4.0, "switch_at": 10.0}
SEED = """
import json, sys
from bench.fresh import app_on_an_empty_database
from bench.seed import issue_views_links
from portal.link_tokens import token_for
with app_on_an_empty_database(sys.argv[1]).app_context():
    print(json.dumps([token_for(i.token_salt) for i in issue_views_links(int(sys.argv[2]))]))
"""


def _git(*args: str) -> str:
    return subprocess.run(  # noqa: S603 - git with fixed arguments
        ["git", *args],  # noqa: S607 - the git on PATH, as a person runs it
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,  # noqa: S607
    ).stdout.strip()


def old_release() -> str:
    """The commit before the newest migration was added: the release it upgrades from."""
    newest = sorted((ROOT / "migrations" / "versions").glob("0*.py"))[-1]
    added = _git("log", "--diff-filter=A", "--format=%H", "-1", "--", str(newest))
    return _git("rev-parse", "--short", f"{added}^")


def unpack(commit: str, folder: Path) -> Path:
    """The release's code in ``folder``, ready to run: its translations compiled."""
    folder.mkdir(parents=True)
    archive = subprocess.run(  # noqa: S603 - git with fixed arguments
        ["git", "archive", commit],  # noqa: S607 - as above
        cwd=ROOT,
        check=True,
        capture_output=True,  # noqa: S607
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)  # noqa: S603,S607
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(  # noqa: S603 - our own pybabel
        [str(pybabel), "compile", "-d", "portal/translations"], cwd=folder, check=True,
        capture_output=True,
    )  # fmt: skip
    return folder


def _in(code: Path, command: list[str], database: str) -> str:
    """A command run by a release's code (its folder, its PYTHONPATH)."""
    environment = os.environ | {
        "PYTHONPATH": str(code),
        "DATABASE_URL": database,
        "HEARD_CONFIG": "test",
        "SECRET_KEY": SECRET_KEY,
        "FLASK_APP": "wsgi:app",
    }
    done = subprocess.run(  # noqa: S603 - our own python and flask
        command, cwd=code, env=environment, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} in {code}:\n{done.stderr[-3000:]}")
    return done.stdout


async def _load(stack, old: Path, tokens: list[str], database: str, settings: dict) -> dict:
    from bench.stack import https_context
    from bench.stack_load import UserSawError, Walk, person, walk

    walks: list = []
    marks: dict[str, float] = {}
    links = iter(tokens)
    began = time.perf_counter()
    until = began + settings["seconds"]
    flask = str(Path(sys.executable).parent / "flask")

    async def release() -> None:
        await asyncio.sleep(settings["migrate_at"])
        marks["migration"] = time.perf_counter()
        await asyncio.to_thread(_in, ROOT, [flask, "db", "upgrade"], database)
        marks["migrated"] = time.perf_counter()
        await asyncio.sleep(max(0.0, began + settings["switch_at"] - time.perf_counter()))
        for number in range(len(stack.webs)):
            marks[f"switch web-{number}"] = time.perf_counter()
            if settings["drain"]:
                await asyncio.to_thread(stack.switch_web, number, ROOT)
            else:  # only SIGTERM: requests queued at the closing socket are cut
                await asyncio.to_thread(stack.restart_web, number, 60, ROOT)
            marks[f"web-{number} on the new code"] = time.perf_counter()
        await asyncio.to_thread(stack.restart_worker, 0, ROOT)
        marks["worker on the new code"] = time.perf_counter()

    people = [
        person(n, stack.https_url, https_context(stack), links, until, settings["retries"], walks)
        for n in range(settings["people"])
    ]
    await asyncio.gather(release(), *people)
    # Then one family more, wholly on the new release.
    after = Walk(-1, next(links), time.perf_counter())
    walks.append(after)
    try:
        await walk(stack.https_url, https_context(stack), after)
        after.succeeded = True
    except UserSawError as error:
        after.error, after.error_at = error.what, time.perf_counter()
    return {
        "walks": walks,
        "marks": marks,
        "began": began,
        "elapsed": time.perf_counter() - began,
        "links_left": sum(1 for _ in links),
    }


def run(
    seconds: float = 60.0,
    people: int = 10,
    migrate_at: float = 15.0,
    switch_at: float = 30.0,
    old: str | None = None,
    database: str = DATABASE,
    retries: int = 2,
    drain: bool = True,
) -> dict:
    """The whole run; its figures (a flat dict, ``passed`` last)."""
    from bench.fresh import ensure_database
    from bench.stack import Stack
    from bench.stack_load import links_for, lost

    settings = {"seconds": seconds, "people": people, "migrate_at": migrate_at}
    settings |= {"switch_at": switch_at, "retries": retries, "drain": drain}
    database = database.replace("postgresql://", "postgresql+psycopg://", 1)
    ensure_database(database)
    old = old or old_release()
    folder = Path(tempfile.mkdtemp(prefix="heard-upgrade-"))
    try:
        code = unpack(old, folder / "old")
        python = [sys.executable, "-c", SEED, database, str(links_for(people, seconds))]
        tokens = json.loads(_in(code, python, database).strip().splitlines()[-1])
        old_head = _in(code, [sys.executable, "-m", "flask", "db", "current"], database)
        # Every family here comes from 127.0.0.1: the per-address limit is not the test.
        limits = {"LINK_RATE_LIMIT": "100000 per minute"}
        with Stack(database, code=code, secret_key=SECRET_KEY, settings=limits) as stack:
            load = asyncio.run(_load(stack, code, tokens, database, settings))
        new_head = _in(ROOT, [sys.executable, "-m", "flask", "db", "current"], database)
        data = lost(database, load["walks"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _figures(settings, old, old_head, new_head, load, data)


def _figures(settings, old, old_head, new_head, load, data) -> dict:
    from bench.stack_load import errors_between

    marks, walks, began = load["marks"], load["walks"], load["began"]
    switching = [(marks[f"switch web-{n}"], marks[f"web-{n} on the new code"]) for n in (0, 1)]
    everything = errors_between(walks, 0, float("inf"))
    during_switches = [errors_between(walks, start, end + 1) for start, end in switching]
    outside = everything["errors"] - sum(e["errors"] for e in during_switches)
    migration = errors_between(
        walks, marks["migration"], min(marks["migrated"] + 1, switching[0][0])
    )
    figures = {
        "name": NAME,
        "people": settings["people"],
        "seconds": round(load["elapsed"], 1),
        "old_release": old,
        "switch": "out of rotation, SIGTERM, back" if settings["drain"] else "SIGTERM only",
        "database_before": old_head.split()[0] if old_head.strip() else "?",
        "database_after": new_head.split()[0] if new_head.strip() else "?",
        **data,
        "migration_at_seconds": round(marks["migration"] - began, 1),
        "migration_seconds": round(marks["migrated"] - marks["migration"], 1),
        "errors_during_the_migration": migration["errors"],
        **{
            f"web_{n}_switch_seconds": round(end - start, 1)
            for n, (start, end) in enumerate(switching)
        },
        **{f"errors_while_web_{n}_switched": e["errors"] for n, e in enumerate(during_switches)},
        "their_kinds": ", ".join(e["kinds"] for e in during_switches),
        "posts_cut_at_the_switches": sum(e["posts"] for e in during_switches),
        "errors_outside_the_switches": outside,
        "server_errors_5xx": everything["server_errors_5xx"],
        "a_walk_on_the_new_release": "sent" if walks[-1].succeeded else walks[-1].error,
        "links_ran_out": load["links_left"] == 0,
        "machine": machine(),  # a shared machine: the load average says how busy
    }
    figures["passed"] = (
        data["answers_lost"] == 0
        and data["sendings_lost"] == 0
        and outside == 0
        and everything["server_errors_5xx"] == 0
        and walks[-1].succeeded
        and figures["database_before"] != figures["database_after"]
        and not figures["links_ran_out"]
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--migrate-at", type=float, default=15.0)
    parser.add_argument("--switch-at", type=float, default=30.0)
    parser.add_argument(
        "--old", help="the old release's commit (default: before the newest migration)"
    )
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--no-drain", action="store_true", help="switch with SIGTERM only")
    parser.add_argument("--ci", action="store_true", help="the short variant")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.ci:
        for key, value in CI_SETTINGS.items():
            setattr(args, key, value)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = run(
        args.seconds,
        args.people,
        args.migrate_at,
        args.switch_at,
        args.old,
        args.database,
        drain=not args.no_drain,
    )
    print_figures(figures, " ".join([".venv/bin/python", *sys.argv]))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    sys.exit(0 if figures["passed"] else 1)


if __name__ == "__main__":
    main()
