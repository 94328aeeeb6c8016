from flask import Blueprint, render_template

from portal.auth.access import family_invitation

bp = Blueprint("family_forms", __name__)


@bp.get("/your-say")
def landing() -> str:
    return render_template("family_forms/landing.html", invitation=family_invitation())
