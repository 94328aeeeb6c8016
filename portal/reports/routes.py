"""The reports blueprint. Each report's pages live in their own module, registered here."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/")
def index() -> str:
    return render_template("reports/index.html")


# The views register themselves on ``bp``; imported here so registering the blueprint is enough.
from portal.reports import (  # noqa: E402, F401
    activity_views,
    annual_views,
    feedback_views,
    participation_views,
)
