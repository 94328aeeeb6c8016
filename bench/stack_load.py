"""Families answering through the whole stack (bench/stack.py), for the runs that break it.

Each person walks a family's views form over https through nginx: open their link, Continue,
Start, answer every question, check their answers, send. Every answer the portal confirmed
(the redirect after its POST) and every "sent" (the redirect to the done page) is noted, with
the time; so is every error the person saw (a 5xx, a refused or dropped connection). After an
error page the person waits a second and opens their link again (as people do), up to
``retries`` times, then moves on to the next link. ``lost(...)`` then checks the database:
every confirmed answer saved, every confirmed sending submitted.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.family_pages import CSRF, answer_for

DONE = "/your-say/done"


class UserSawError(Exception):
    def __init__(self, step: str, what: str) -> None:
        super().__init__(f"{step}: {what}")
        self.what = f"{what} ({METHODS.get(step, 'GET')} {step})"


# The steps that POST (the rest GET): a POST is never retried by nginx.
METHODS = {"continue": "POST", "start": "POST", "answer": "POST", "send": "POST"}


@dataclass
class Walk:
    person: int
    token: str
    began: float
    ended: float = 0.0
    succeeded: bool = False
    error: str = ""
    error_at: float = 0.0
    answers: list[str] = field(default_factory=list)  # question ids whose POST was confirmed
    sent: bool = False  # the sending was confirmed (redirected to the done page)


async def _request(session, walk: Walk, method: str, path: str, step: str, expect: int, **kw):
    import aiohttp

    try:
        async with session.request(method, path, allow_redirects=False, **kw) as answer:
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


async def walk(base: str, context: ssl.SSLContext, walk: Walk) -> None:
    """One visit from the link to the done page; raises UserSawError on anything else."""
    import aiohttp

    from portal.family_forms.questions import PARENT_VIEWS

    async with aiohttp.ClientSession(
        base_url=base,
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        timeout=aiohttp.ClientTimeout(total=30),
        connector=aiohttp.TCPConnector(ssl=context),
        headers={"Referer": f"{base}/"},  # over https, Flask-WTF checks it, as browsers send it
    ) as session:
        token = walk.token
        page, _ = await _request(session, walk, "GET", f"/r/{token}", "open link", 200)
        data = {"csrf_token": _csrf(page, "open link")}
        await _request(session, walk, "POST", f"/r/{token}", "continue", 302, data=data)
        page, _ = await _request(session, walk, "GET", "/your-say/", "landing", 200)
        data = {"csrf_token": _csrf(page, "landing")}
        _, where = await _request(session, walk, "POST", "/your-say/start", "start", 302, data=data)
        for step in range(40):
            if where.startswith("/your-say/q/"):
                question = PARENT_VIEWS.question(where.rsplit("/", 1)[1])
                if question is None:
                    raise UserSawError("question", "an unknown question")
                page, _ = await _request(session, walk, "GET", where, "question", 200)
                data = answer_for(question, step, _csrf(page, "question"))
                _, where = await _request(session, walk, "POST", where, "answer", 302, data=data)
                walk.answers.append(question.id)
            elif where == "/your-say/check":
                page, _ = await _request(session, walk, "GET", where, "check", 200)
                data = {"csrf_token": _csrf(page, "check")}
                _, where = await _request(session, walk, "POST", where, "send", 302, data=data)
                walk.sent = where == DONE
            elif where == DONE:
                await _request(session, walk, "GET", where, "done", 200)
                return
            else:
                raise UserSawError("walk", f"sent to {where or 'nowhere'}")
        raise UserSawError("walk", "more pages than the form has")


def links_for(people: int, seconds: float) -> int:
    """Links enough that the load never runs out of them, which would end it early: a walk
    takes about 1.5 s on a quiet machine, so a link a second for each person, and some over."""
    return int(people * seconds) + people + 10


async def person(number, base, context, links: Iterator[str], until, retries, walks) -> None:
    while time.perf_counter() < until:
        token = next(links, None)
        if token is None:
            return
        for _ in range(1 + retries):
            attempt = Walk(number, token, time.perf_counter())
            walks.append(attempt)
            try:
                await walk(base, context, attempt)
                attempt.succeeded = True
            except UserSawError as error:
                attempt.error, attempt.error_at = error.what, time.perf_counter()
            attempt.ended = time.perf_counter()
            if attempt.succeeded or time.perf_counter() >= until:
                break
            await asyncio.sleep(1)


def errors_between(walks: list[Walk], start: float, end: float) -> dict:
    """The errors people saw from ``start`` to ``end`` (perf_counter seconds), by kind."""
    kinds = Counter(w.error for w in walks if w.error and start <= w.error_at < end)
    return {
        "errors": sum(kinds.values()),
        "server_errors_5xx": sum(n for k, n in kinds.items() if k.startswith("HTTP 5")),
        "posts": sum(n for k, n in kinds.items() if "(POST " in k),
        "kinds": ", ".join(f"{k} ×{n}" for k, n in kinds.most_common()) or "none",
        "last_error_at": max(
            (w.error_at for w in walks if w.error and start <= w.error_at < end), default=None
        ),
    }


def lost(database: str, walks: list[Walk]) -> dict:
    """What the portal confirmed and the database lacks: answers, and sendings."""
    import sqlalchemy as sa

    from portal.link_tokens import hash_token

    confirmed: dict[str, set[str]] = {}
    sent = set()
    for attempt in walks:
        confirmed.setdefault(attempt.token, set()).update(attempt.answers)
        if attempt.sent:
            sent.add(attempt.token)
    by_hash = {hash_token(token): token for token in confirmed}
    stored: dict[str, set[str]] = {}
    submitted = set()
    engine = sa.create_engine(database)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT i.token_hash, a.question_id, r.submitted_at FROM invitation i "
                    "JOIN form_response r ON r.invitation_id = i.id "
                    "LEFT JOIN answer a ON a.response_id = r.id"
                )
            )
            for token_hash, question_id, submitted_at in rows:
                token = by_hash.get(token_hash)
                if token is None:
                    continue
                stored.setdefault(token, set()).add(question_id)
                if submitted_at is not None:
                    submitted.add(token)
    finally:
        engine.dispose()
    answers = sum(len(ids) for ids in confirmed.values())
    return {
        "answers_confirmed": answers,
        "answers_lost": sum(len(ids - stored.get(t, set())) for t, ids in confirmed.items()),
        "sendings_confirmed": len(sent),
        "sendings_lost": len(sent - submitted),
        "walks": len(walks),
        "walks_completed": sum(1 for w in walks if w.succeeded),
    }
