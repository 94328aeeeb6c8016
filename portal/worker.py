"""The `flask worker` loop: schedule, send, sleep; stop cleanly on SIGTERM or Ctrl-C.

A module of its own, above the domains it runs: the invitations' schedule, the chairs' reminders
to record a conference (portal/tasks/unrecorded.py), the safety alerts' escalation to the duty
team (portal/safety/escalation.py), the messaging worker that sends the outbox
(portal/messaging/worker.py) and retention.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from datetime import date, datetime

from flask import Flask, current_app

from portal.invitations.schedule import run_schedule
from portal.messaging.worker import drain
from portal.models import utcnow
from portal.models.base import SERVICE_TIMEZONE
from portal.retention import run_retention
from portal.safety.escalation import escalate_overdue
from portal.tasks.unrecorded import remind_unrecorded

log = logging.getLogger(__name__)


def run_worker(app: Flask, *, once: bool = False, concurrency: int | None = None) -> None:
    worker_id = f"{socket.gethostname()}:{os.getpid()}"
    providers = app.extensions["messaging"]
    stopping = threading.Event()
    if not once:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
    print(f"Worker {worker_id}: sms by {providers['sms'].name}, email by {providers['email'].name}")
    retention_ran_on: date | None = None
    while not stopping.is_set():
        try:
            with app.app_context():
                scheduled = run_schedule(utcnow())
                escalate_overdue(utcnow())  # queued before the drain: sent in the same pass
                remind_unrecorded(utcnow())
                retention_ran_on = run_retention_if_due(utcnow(), retention_ran_on)
            result = drain(app, providers, worker_id, concurrency=concurrency)
        except Exception:  # a bad pass must not stop the sending: log it, try again shortly
            log.exception("worker pass failed; trying again")
            if once:
                raise
            stopping.wait(app.config["WORKER_POLL_SECONDS"])
            continue
        if scheduled.invitations or scheduled.reminders or result.handled:
            print(
                f"Scheduled {scheduled.invitations} invitations and {scheduled.reminders} "
                f"reminders; sent {result.sent}, will retry {result.retried}, "
                f"failed {result.failed}, cancelled {result.cancelled}",
                flush=True,
            )
        if once:
            break
        stopping.wait(app.config["WORKER_POLL_SECONDS"])


def run_retention_if_due(now: datetime, ran_on: date | None) -> date | None:
    """Retention's schedule: once a day from ``RETENTION_HOUR`` (Europe/London); returns the day
    it last ran. A restarted worker, or a second one, runs it again that day: harmless, since a
    second run finds nothing to remove."""
    local = now.astimezone(SERVICE_TIMEZONE)
    hour = current_app.config["RETENTION_HOUR"]
    if hour is None or local.hour < hour or ran_on == local.date():
        return ran_on
    result = run_retention(current_app.config["RETENTION_DAYS"])
    log.info("retention: %s", result.summary)
    return local.date()
