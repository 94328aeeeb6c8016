from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from portal.auth import pending
from portal.auth.forms import CodeForm, RecoveryCodeForm, SignInForm
from portal.auth.services import TemporaryPasswordExpired, authenticate, record_sign_out
from portal.auth.sessions import (
    ENDED_BECAUSE,
    end_this_session,
    load_session_user,
    start_session,
)
from portal.auth.throttling import forgive_account, limit_sign_in_per_account
from portal.auth.two_factor import (
    complete_enrolment,
    recovery_codes_left,
    set_up_details,
    use_code,
    use_recovery_code,
)
from portal.errors import post_shows_a_result
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
    # A POST-only action (a session timed out as it was posted) has no page to come back to.
    try:
        current_app.url_map.bind("").match(unquote(parts.path), method="GET")
    except RequestRedirect:  # the page is there under a tidier address (a trailing slash)
        return target
    except HTTPException:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limit_sign_in_per_account
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data or "", form.password.data or "")
        except TemporaryPasswordExpired:
            # Said only after the right password: nothing is told about an account otherwise.
            form.password.errors.append(
                _("Your temporary password has expired. Ask an admin for a new one")
            )
            form.password.data = ""
            return _login_page(form)
        if user is not None:
            forgive_account()
            target = _safe_next(request.args.get("next"))
            if user.uses_two_factor:
                pending.begin(user, target)
                return redirect(url_for("auth.second_factor"))
            if current_app.config["TWO_FACTOR_REQUIRED"]:
                pending.begin(user, target)
                return redirect(url_for("auth.set_up_second_factor"))
            start_session(user)
            return redirect(target or url_for("site.home"))
        # One message whatever was wrong, so the page does not reveal which emails exist.
        form.email.errors.append(_("Enter a correct email address and password"))
        form.password.data = ""
    return _login_page(form)


def _login_page(form: SignInForm) -> str:
    return render_template(
        "auth/login.html",
        form=form,
        session_ended_because=session.get(ENDED_BECAUSE),
        pending_minutes=pending.PENDING_MINUTES,
    )


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["TWO_FACTOR_RATE_LIMIT"], methods=["POST"])
def second_factor() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    user = pending.pending_user()
    if user is None or not user.uses_two_factor:
        return redirect(url_for("auth.login"))
    code_form, recovery_form = CodeForm(), RecoveryCodeForm()
    posted = recovery_form if "recovery_code" in request.form else code_form
    if request.method == "POST" and posted.validate():
        if not pending.spend_a_try(user):
            return redirect(url_for("auth.login"))
        if posted is code_form:
            accepted = use_code(user, code_form.code.data or "")
        else:
            accepted = use_recovery_code(user, recovery_form.recovery_code.data or "")
        if accepted:
            pending.forgive(user)
            target = pending.next_url()
            start_session(user)
            if posted is recovery_form:
                flash(_("You have %(count)s recovery codes left", count=recovery_codes_left(user)))
            return redirect(target or url_for("site.home"))
        if not pending.tries_left(user):
            return redirect(url_for("auth.login"))
        field = code_form.code if posted is code_form else recovery_form.recovery_code
        field.errors = [
            _("The code is not right, or was used already. Enter the newest code")
            if posted is code_form
            else _("The recovery code is not right, or was used already")
        ]
    return render_template(
        "auth/second_factor.html", form=posted, code_form=code_form, recovery_form=recovery_form
    )


@bp.route("/login/set-up-two-factor", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["TWO_FACTOR_RATE_LIMIT"], methods=["POST"])
def set_up_second_factor() -> Response | str:
    """First sign-in where a second factor is required: set up the app, then carry on."""
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    user = pending.pending_user()
    if user is None or user.uses_two_factor:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        recovery_codes = complete_enrolment(user, form.code.data or "")
        if recovery_codes:
            target = pending.next_url()
            start_session(user)
            post_shows_a_result()
            return render_template(
                "auth/recovery_codes.html",
                recovery_codes=recovery_codes,
                continue_to=target or url_for("site.home"),
            )
        form.code.errors.append(_("The code is not right. Enter the newest code from your app"))
    return render_template("auth/set_up_second_factor.html", form=form, **set_up_details(user))


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    record_sign_out(current_user)
    end_this_session()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
