from __future__ import annotations

import importlib

from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from portal.extensions import db, talisman
from portal.models import Role

bp = Blueprint("site", __name__)

# Where each role starts after signing in.
START_PAGES = {
    Role.COORDINATOR: "worklists.coordinator",
    Role.CHAIR: "worklists.chair",
    Role.ADMIN: "audit.index",
    Role.ADVOCATE: "advocacy.caseload",
    Role.PARTICIPATION_OFFICER: "reports.index",
}


@bp.get("/")
def home() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(START_PAGES.get(current_user.role, "site.dashboard")))


@bp.get("/dashboard")
def dashboard() -> str:
    return render_template("site/dashboard.html")


# Probes from the load balancer or orchestrator come straight to the instance over plain HTTP:
# answered there, not redirected to https like every page when FORCE_HTTPS is on.
@bp.get("/healthz")
@talisman(force_https=False)
def healthz() -> Response:
    """Liveness: the process answers. Touches nothing else, so a database outage never gets
    healthy app instances restarted."""
    return _status("ok", 200)


@bp.get("/readyz")
@talisman(force_https=False)
def readyz() -> Response:
    """Readiness: send this instance traffic only while its database (and Redis, if set) answer."""
    problem = readiness_problem()
    return _status(problem or "ok", 503 if problem else 200)


def readiness_problem() -> str | None:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return "database unavailable"
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        try:
            # Imported by name: the redis package is optional (only deployments that use it).
            redis = importlib.import_module("redis")
        except ImportError:
            return "redis client not installed"
        try:
            redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2).ping()
        except Exception:  # noqa: BLE001 - any failure to answer means not ready
            return "redis unavailable"
    return None


def _status(status: str, code: int) -> Response:
    response = jsonify(status=status)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("site/accessibility.html")


@bp.get("/privacy")
def privacy() -> str:
    return render_template("site/privacy.html")
