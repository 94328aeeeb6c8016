"""Fault: PostgreSQL restarted while families send their answers.

Many people at once each walk a family's form over plain HTTP, against gunicorn (production
configuration, 2 workers): open their link, Continue, Start, answer every question, check
their answers, send. Each walk uses a new link; someone who sees an error page tries their
link again (up to --retries times) and then moves on. Midway the database server is restarted
(``pg_ctl restart -m fast``: every connection is cut). Afterwards every walk that ended on
"Your answers have been sent" must be a submitted response in the database (a success page
without its row is a loss; an error page is allowed, as long as nothing claimed success), and
the app must answer normally again (/readyz 200, a new walk sent) without gunicorn being
restarted. Anyone who meets the lost connection must get "not available just now" (503): a
single error page (HTTP 500) fails the run.

The database is a private, throwaway PostgreSQL cluster (bench/private_postgres.py) on a free
port: the shared server on 5432 is never touched.

    .venv/bin/python bench/fault_database_restart.py         # 60 s, 20 people, restart at 30 s
    .venv/bin/python bench/fault_database_restart.py --ci    # the short variant CI runs
    .venv/bin/python bench/fault_database_restart.py --seconds 90 --people 30 --down-seconds 5

--down-seconds keeps the server stopped that long (stop, wait, start) instead of restarting it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.family_pages import CSRF, answer_for, free_port, start_gunicorn, stop  # noqa: E402
from bench.private_postgres import PrivatePostgres  # noqa: E402

NAME = "PostgreSQL restarted under load"
SENT_TITLE = "Your answers have been sent"
CI_SETTINGS = {"seconds": 16.0, "people": 10}


class UserSawError(Exception):
    """The person got an error page, a refused connection, or a page they should not have."""

    def __init__(self, step: str, what: str) -> None:
        super().__init__(f"{step}: {what}")
        self.step, self.what = step, what


@dataclass
class Attempt:
    person: int
    token: str
    began: float
    ended: float = 0.0
    succeeded: bool = False
    error: str = ""


async def _request(session, method: str, path: str, step: str, expect: int, **kwargs):
    """One request as a browser makes it; anything but the expected answer is an error the
    person sees."""
    import aiohttp

    try:
        async with session.request(method, path, allow_redirects=False, **kwargs) as answer:
            body = await answer.text()
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise UserSawError(step, type(exc).__name__) from None
    if answer.status != expect:
        raise UserSawError(step, f"HTTP {answer.status}")
    return body, urlsplit(answer.headers.get("Location", "")).path


def _csrf(page: str, step: str) -> str:
    found = CSRF.search(page)
    if not found:
        raise UserSawError(step, "no form on the page")
    return found[1]


async def walk(base: str, token: str) -> None:
    """A family member's whole visit, from their link to "Your answers have been sent".
    Returns on the success page; raises UserSawError on anything else."""
    import aiohttp

    from portal.family_forms.questions import PARENT_VIEWS

    async with aiohttp.ClientSession(
        base_url=base,
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        timeout=aiohttp.ClientTimeout(total=30),
    ) as session:
        page, _ = await _request(session, "GET", f"/r/{token}", "open link", 200)
        data = {"csrf_token": _csrf(page, "open link")}
        await _request(session, "POST", f"/r/{token}", "continue", 302, data=data)
        page, _ = await _request(session, "GET", "/your-say/", "landing", 200)
        data = {"csrf_token": _csrf(page, "landing")}
        _, where = await _request(session, "POST", "/your-say/start", "start", 302, data=data)
        for step in range(40):
            if where.startswith("/your-say/q/"):
                question = PARENT_VIEWS.question(where.rsplit("/", 1)[1])
                if question is None:
                    raise UserSawError("question", "an unknown question")
                page, _ = await _request(session, "GET", where, "question", 200)
                data = answer_for(question, step, _csrf(page, "question"))
                _, where = await _request(session, "POST", where, "answer", 302, data=data)
            elif where == "/your-say/check":
                page, _ = await _request(session, "GET", where, "check answers", 200)
                data = {"csrf_token": _csrf(page, "check answers")}
                _, where = await _request(session, "POST", where, "send", 302, data=data)
            elif where == "/your-say/done":
                page, _ = await _request(session, "GET", where, "success page", 200)
                if SENT_TITLE not in page:
                    raise UserSawError("success page", "not the success page")
                return
            else:
                raise UserSawError("walk", f"sent to {where or 'nowhere'}")
        raise UserSawError("walk", "more pages than the form has")


async def _person(number, base, links: Iterator[str], until, retries, attempts) -> None:
    """Walks one link after another until time is up; after an error page, tries the same link
    again a second later (as people do), up to ``retries`` times."""
    while time.perf_counter() < until:
        token = next(links, None)
        if token is None:
            return
        for _ in range(1 + retries):
            attempt = Attempt(number, token, time.perf_counter())
            attempts.append(attempt)
            try:
                await walk(base, token)
                attempt.succeeded = True
            except UserSawError as error:
                attempt.error = str(error)
            attempt.ended = time.perf_counter()
            if attempt.succeeded or time.perf_counter() >= until:
                break
            await asyncio.sleep(1)


async def _probe_readiness(base: str, stop_at: float, seen: list[tuple[float, int]]) -> None:
    """/readyz every 100 ms: when the app itself said the database was back."""
    import aiohttp

    async with aiohttp.ClientSession(
        base_url=base, timeout=aiohttp.ClientTimeout(total=5)
    ) as session:
        while time.perf_counter() < stop_at:
            try:
                async with session.get("/readyz") as answer:
                    seen.append((time.perf_counter(), answer.status))
            except (aiohttp.ClientError, TimeoutError):
                seen.append((time.perf_counter(), 0))
            await asyncio.sleep(0.1)


async def _load(base, tokens, postgres, settings) -> dict:
    links = iter(tokens)
    attempts: list[Attempt] = []
    readiness: list[tuple[float, int]] = []
    began = time.perf_counter()
    until = began + settings["seconds"]
    fault = {}

    async def restart_midway() -> None:
        await asyncio.sleep(settings["restart_at"])
        fault["at"] = time.perf_counter()
        if settings["down_seconds"]:
            await asyncio.to_thread(postgres.halt)
            await asyncio.sleep(settings["down_seconds"])
            await asyncio.to_thread(postgres.resume)
        else:
            await asyncio.to_thread(postgres.restart)
        fault["back"] = time.perf_counter()

    people = [
        _person(n, base, links, until, settings["retries"], attempts)
        for n in range(settings["people"])
    ]
    await asyncio.gather(restart_midway(), _probe_readiness(base, until, readiness), *people)
    ended = time.perf_counter()
    return {
        "attempts": attempts,
        "readiness": readiness,
        "fault": fault,
        "elapsed": ended - began,
        "links_left": sum(1 for _ in links),
    }


def _recovery(load: dict) -> tuple[float, float]:
    """(seconds from the restart to the last error anyone saw or the last "not ready", and how
    long /readyz said "not ready")."""
    at = load["fault"]["at"]
    failures = [a.ended for a in load["attempts"] if not a.succeeded and a.ended >= at]
    not_ready = [t for t, status in load["readiness"] if status != 200 and t >= at]
    last_trouble = max(failures + not_ready, default=load["fault"]["back"])
    ready_down = (max(not_ready) - min(not_ready) + 0.1) if not_ready else 0.0
    return last_trouble - at, ready_down


def _submitted_tokens(database: str, tokens: list[str]) -> set[str]:
    import sqlalchemy as sa

    from portal.link_tokens import hash_token

    by_hash = {hash_token(token): token for token in tokens}
    engine = sa.create_engine(database)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT i.token_hash FROM invitation i JOIN form_response r "
                    "ON r.invitation_id = i.id WHERE r.submitted_at IS NOT NULL"
                )
            )
            return {by_hash[row[0]] for row in rows if row[0] in by_hash}
    finally:
        engine.dispose()


@contextmanager
def _stderr_into(path: Path):
    """gunicorn writes a JSON access line per request: into a log file, not the terminal."""
    sys.stderr.flush()
    saved = os.dup(2)
    with path.open("ab") as log:
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def run(
    seconds: float = 60.0,
    people: int = 20,
    restart_at: float | None = None,
    down_seconds: float = 0.0,
    retries: int = 2,
) -> dict:
    """The whole fault run on a private cluster; its figures (a flat dict, ``passed`` last).
    The process's environment is left as it was found."""
    from bench.fresh import app_on_an_empty_database
    from bench.seed import issue_views_links
    from bench.stack_load import links_for
    from portal.link_tokens import token_for

    settings = {
        "seconds": seconds,
        "people": people,
        "restart_at": seconds / 2 if restart_at is None else restart_at,
        "down_seconds": down_seconds,
        "retries": retries,
    }
    saved_environment = dict(os.environ)
    log = Path(tempfile.mkdtemp(prefix="heard-fault-")) / "gunicorn.log"
    try:
        with PrivatePostgres() as postgres:
            database = postgres.create_database("heard")
            link_count = links_for(people, seconds)
            with app_on_an_empty_database(database).app_context():
                tokens = [token_for(i.token_salt) for i in issue_views_links(link_count + 1)]
            spare, tokens = tokens[0], tokens[1:]  # kept for the check after the run
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            with _stderr_into(log):
                server = start_gunicorn("wsgi:app", port, database)
            try:
                load = asyncio.run(_load(base, tokens, postgres, settings))
                after = asyncio.run(_check_after(base, spare))
                server_alive = server.poll() is None
            finally:
                stop(server)
            submitted = _submitted_tokens(database, [*tokens, spare])
    finally:
        os.environ.clear()
        os.environ.update(saved_environment)
    figures = _figures(settings, load, after, submitted, server_alive, log)
    if figures["passed"]:  # gunicorn's log is kept only to look into a failure
        shutil.rmtree(log.parent, ignore_errors=True)
        figures["server_log"] = "removed: the run passed"
    return figures


async def _check_after(base: str, token: str) -> dict:
    import aiohttp

    async with (
        aiohttp.ClientSession(base_url=base) as session,
        session.get("/readyz") as answer,
    ):
        ready = answer.status
    try:
        await walk(base, token)
        walked = "sent"
    except UserSawError as error:
        walked = str(error)
    return {"readyz": ready, "new_walk": walked}


def _figures(settings, load, after, submitted, server_alive, log) -> dict:
    attempts: list[Attempt] = load["attempts"]
    at = load["fault"]["at"]
    successes = [a for a in attempts if a.succeeded]
    failures = [a for a in attempts if not a.succeeded]
    missing = [a for a in successes if a.token not in submitted]
    succeeded_tokens = {a.token for a in successes}
    saved_despite_error = {a.token for a in failures} & submitted - succeeded_tokens
    recover, ready_down = _recovery(load)
    recovered = after["readyz"] == 200 and after["new_walk"] == "sent" and server_alive
    in_flight = sum(1 for a in attempts if a.began <= at <= (a.ended or at))
    kinds = Counter(a.error.split(": ", 1)[1] for a in failures)
    server_errors = kinds["HTTP 500"]
    figures = {
        "name": NAME,
        "people": settings["people"],
        "seconds": round(load["elapsed"], 1),
        "fault": (
            f"stopped for {settings['down_seconds']} s"
            if settings["down_seconds"]
            else "pg_ctl restart -m fast"
        ),
        "fault_at_seconds": round(settings["restart_at"], 1),
        "restart_seconds": round(load["fault"]["back"] - at, 2),
        "walks_in_flight_at_restart": in_flight,
        "attempts": len(attempts),
        "successes": len(successes),
        "failures_seen_by_users": len(failures),
        "failure_kinds": ", ".join(f"{k} ×{n}" for k, n in kinds.most_common()) or "none",
        "error_pages_500": server_errors,
        "successes_missing_from_database": len(missing),
        "saved_though_the_person_saw_an_error": len(saved_despite_error),
        "readyz_not_ready_seconds": round(ready_down, 2),
        "seconds_to_recover": round(recover, 2),
        "successes_after_restart": sum(1 for a in successes if a.began > load["fault"]["back"]),
        "after_restart": f"/readyz {after['readyz']}, new walk: {after['new_walk']}",
        "links_ran_out": load["links_left"] == 0,
        "server_log": str(log),
    }
    figures["passed"] = (
        not missing
        and not server_errors  # a lost connection is "not available just now" (503), never 500
        and recovered
        and in_flight > 0
        and figures["successes_after_restart"] > 0
        and not figures["links_ran_out"]
    )
    return figures


def print_figures(figures: dict, rerun: str) -> None:
    width = max(len(key) for key in figures)
    print(f"Fault: {figures['name']}")
    for key, value in figures.items():
        if key != "name":
            print(f"  {key.replace('_', ' '):<{width}}  {value}")
    print(f"  {'result':<{width}}  {'PASS' if figures['passed'] else 'FAIL'}")
    print(f"Rerun: {rerun}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load, s")
    parser.add_argument("--people", type=int, default=20, help="people walking the form at once")
    parser.add_argument("--restart-at", type=float, help="seconds into the load (default: half)")
    parser.add_argument("--down-seconds", type=float, default=0.0, help="stop, wait, start")
    parser.add_argument("--retries", type=int, default=2, help="tries again after an error page")
    parser.add_argument("--ci", action="store_true", help="the short variant: 16 s, 10 people")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.ci:
        args.seconds, args.people = CI_SETTINGS["seconds"], CI_SETTINGS["people"]
    # SIGTERM (a CI timeout) unwinds like Ctrl-C: gunicorn and the private cluster are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = run(args.seconds, args.people, args.restart_at, args.down_seconds, args.retries)
    print_figures(figures, " ".join([".venv/bin/python", *sys.argv]))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    sys.exit(0 if figures["passed"] else 1)


if __name__ == "__main__":
    main()
