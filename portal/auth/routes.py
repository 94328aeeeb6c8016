from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from portal.auth.forms import SignInForm
from portal.auth.services import authenticate, record_sign_out
from portal.auth.sessions import ENDED_BECAUSE, load_session_user, start_session
from portal.extensions import limiter, login_manager

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = None  # the sign-in page says what it is; no flash needed


login_manager.user_loader(load_session_user)


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect to somewhere else."""
    if not target or target.startswith("//"):
        return None
    parts = urlsplit(target)
    # Browsers read "/\\host" as "//host": refuse backslashes as well as schemes and hosts.
    if parts.scheme or parts.netloc or not target.startswith("/") or "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("site.home"))
        # One message whatever was wrong, so the page does not reveal which emails exist.
        form.email.errors.append(_("Enter a correct email address and password"))
        form.password.data = ""
    return render_template(
        "auth/login.html", form=form, session_ended_because=session.get(ENDED_BECAUSE)
    )


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    record_sign_out(current_user)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
