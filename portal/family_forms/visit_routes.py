"""How a family's visit ends: "Exit this page", and the page after "Finish for now".

Exit is a GET, because GOV.UK Frontend's Exit this page component follows a link (with
JavaScript, after its loading overlay; without, as a plain link). It is safe to call with no
visit at all, and all it can do is end a visit: nothing is lost, as the link in the person's
message opens the saved answers again.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template
from werkzeug.wrappers import Response

from portal.family_visit import end_visit, forget_visit

bp = Blueprint("family_visit", __name__, url_prefix="/your-say")


@bp.get("/exit", endpoint="exit")
def exit_page() -> Response:
    """Ends the visit on the server, forgets it in this browser (the cookie is deleted), then
    leaves for a neutral site. Back, and every family page, then show no answers."""
    end_visit()
    forget_visit()
    return redirect(current_app.config["EXIT_PAGE_URL"], code=303)


@bp.get("/finished")
def finished() -> str:
    """After "Finish for now" (and Back to any family page after it): the answers are saved."""
    return render_template("family_forms/finished.html")
