from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.models import Role

bp = Blueprint("site", __name__)

# Where each role starts after signing in.
START_PAGES = {
    Role.COORDINATOR: "conferences.index",
    Role.CHAIR: "conferences.index",
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


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}, 200


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("site/accessibility.html")


@bp.get("/privacy")
def privacy() -> str:
    return render_template("site/privacy.html")
