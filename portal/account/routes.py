"""The signed-in person's own account pages. Every staff role may use them, for themselves."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

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
from werkzeug.wrappers import Response

from portal.account.forms import AlertMobileForm, ChangePasswordForm, ConfirmPasswordForm
from portal.auth.forms import CodeForm
from portal.auth.services import change_password as save_new_password
from portal.auth.services import set_alert_mobile
from portal.auth.sessions import ENDED_BECAUSE, end_every_session
from portal.auth.two_factor import (
    RECOVERY_CODE_COUNT,
    complete_enrolment,
    make_new_recovery_codes,
    recovery_codes_left,
    set_up_details,
)
from portal.contact import display_mobile
from portal.errors import post_shows_a_result
from portal.extensions import limiter
from portal.models import StaffUser, utcnow

bp = Blueprint("account", __name__, url_prefix="/account")

REAUTHENTICATED_AT = "reauthenticated_at"
CONFIRMATION_MINUTES = 5


def needs_recent_password(view: Callable[..., Any]) -> Callable[..., Any]:
    """Changing the second factor needs the password given in the last few minutes: a session
    left open (or stolen) must not be enough to put someone else's app on the account."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        confirmed_at = session.get(REAUTHENTICATED_AT)
        age = utcnow().timestamp() - confirmed_at if isinstance(confirmed_at, float) else None
        if age is None or not 0 <= age <= CONFIRMATION_MINUTES * 60:
            # After a POST the person starts again from the page (a redirect cannot post).
            back_to = request.path if request.method == "GET" else url_for("account.overview")
            return redirect(url_for("account.confirm_password", next=back_to))
        return view(*args, **kwargs)

    return checked


def _me() -> StaffUser:
    """The signed-in person as the model itself (the services refresh and compare it)."""
    return current_user._get_current_object()


@bp.route("")
def overview() -> str:
    return render_template(
        "account/overview.html",
        user=current_user,
        recovery_codes_left=recovery_codes_left(_me()),
        recovery_code_count=RECOVERY_CODE_COUNT,
    )


@bp.route("/password", methods=["GET", "POST"])
# The current password is checked here too: no more guesses at it than at the sign-in page.
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def change_password() -> Response | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        save_new_password(_me(), form.new_password.data or "")
        flash(_("Your password has been changed. You have been signed out everywhere else."))
        return redirect(url_for("account.overview"))
    return render_template("account/change_password.html", form=form)


@bp.route("/mobile", methods=["GET", "POST"])
def mobile() -> Response | str:
    """The person's own mobile for urgent safety alerts: their account only, never another's."""
    me = _me()
    form = AlertMobileForm(data={"mobile": display_mobile(me.mobile) if me.mobile else ""})
    if form.validate_on_submit():
        set_alert_mobile(me, form.mobile.data or None)
        flash(
            _("Your mobile number for safety alerts has been saved.")
            if me.mobile
            else _("You will not get safety alerts by text.")
        )
        return redirect(url_for("account.overview"))
    return render_template("account/mobile.html", form=form, has_mobile=bool(me.mobile))


@bp.route("/confirm-password", methods=["GET", "POST"])
# The password is checked here too: no more guesses at it than at the sign-in page.
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def confirm_password() -> Response | str:
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        session[REAUTHENTICATED_AT] = utcnow().timestamp()
        target = request.args.get("next", "")
        allowed = {url_for("account.two_factor"), url_for("account.overview")}
        return redirect(target if target in allowed else url_for("account.overview"))
    return render_template("account/confirm_password.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@needs_recent_password
def two_factor() -> Response | str:
    form = CodeForm()
    if form.validate_on_submit():
        had_codes = recovery_codes_left(_me()) > 0
        recovery_codes = complete_enrolment(_me(), form.code.data or "")
        if recovery_codes:
            # Whoever else was signed in as this person goes: the new app is the only way in.
            end_every_session(_me(), actor=_me(), except_this_one=True)
            post_shows_a_result()
            return render_template(
                "auth/recovery_codes.html",
                recovery_codes=recovery_codes,
                replaced_old_codes=had_codes,
                continue_to=url_for("account.overview"),
            )
        form.code.errors.append(_("The code is not right. Enter the newest code from your app"))
    return render_template(
        "auth/set_up_second_factor.html",
        form=form,
        back_to=url_for("account.overview"),
        **set_up_details(_me()),
    )


@bp.route("/recovery-codes", methods=["POST"])
@needs_recent_password
def recovery_codes() -> Response | str:
    if not current_user.uses_two_factor:
        return redirect(url_for("account.two_factor"))
    post_shows_a_result()
    return render_template(
        "auth/recovery_codes.html",
        recovery_codes=make_new_recovery_codes(_me()),
        replaced_old_codes=True,
        continue_to=url_for("account.overview"),
    )


@bp.post("/keep-alive")
def keep_alive() -> tuple[str, int]:
    """Continue in the warning before the session ends (issue 22). Loading the signed-in person
    has already counted this request as activity: nothing else to do."""
    return "", 204


@bp.route("/sign-out-everywhere", methods=["POST"])
def sign_out_everywhere() -> Response:
    me = _me()
    end_every_session(me, actor=me)
    logout_user()
    session.clear()
    session[ENDED_BECAUSE] = "everywhere"
    return redirect(url_for("auth.login"))
