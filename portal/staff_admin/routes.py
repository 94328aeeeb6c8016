"""Staff accounts, for admins: who has an account, adding one, and acting on one at once."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.models import Role, StaffUser, utcnow
from portal.staff_admin import services
from portal.staff_admin.forms import AddStaffForm, TemporaryPasswordForm

bp = Blueprint("staff_admin", __name__, url_prefix="/admin/staff")


@bp.get("")
def accounts() -> str:
    return render_template("staff_admin/accounts.html", accounts=services.staff_accounts())


@bp.route("/new", methods=["GET", "POST"])
def add_account() -> Response | str:
    form = AddStaffForm()
    if form.validate_on_submit():
        try:
            user = services.add_account(
                form.email.data or "",
                form.full_name.data or "",
                Role(form.role.data),
                form.password.data or "",
                admin=current_user,
            )
        except services.FieldProblem as problem:
            getattr(form, problem.field).errors.append(str(problem))
        else:
            flash(
                _(
                    "Account added. Their temporary password lasts %(hours)s hours",
                    hours=current_app.config["TEMPORARY_PASSWORD_HOURS"],
                )
            )
            return redirect(url_for("staff_admin.account", staff_id=user.id))
    form.password.data = ""
    return render_template("staff_admin/add_account.html", form=form)


@bp.get("/<int:staff_id>")
def account(staff_id: int) -> str:
    user = services.staff_account_or_404(staff_id)
    return render_template("staff_admin/account.html", account=user, now=utcnow())


@bp.route("/<int:staff_id>/temporary-password", methods=["GET", "POST"])
def temporary_password(staff_id: int) -> Response | str:
    user = services.staff_account_or_404(staff_id)
    form = TemporaryPasswordForm()
    if form.validate_on_submit():
        try:
            services.give_temporary_password(user, form.password.data or "", admin=current_user)
        except services.FieldProblem as problem:
            form.password.errors.append(str(problem))
        else:
            flash(
                _(
                    "New temporary password set. It lasts %(hours)s hours",
                    hours=current_app.config["TEMPORARY_PASSWORD_HOURS"],
                )
            )
            return redirect(url_for("staff_admin.account", staff_id=user.id))
    form.password.data = ""
    return render_template("staff_admin/temporary_password.html", form=form, account=user)


def _act(staff_id: int, action: Callable[[StaffUser, StaffUser], None], done: str) -> Response:
    user = services.staff_account_or_404(staff_id)
    try:
        action(user, current_user)
    except services.AdminRefusal:
        flash(_("That cannot be done to this account"))
    else:
        flash(done)
    return redirect(url_for("staff_admin.account", staff_id=user.id))


@bp.post("/<int:staff_id>/disable")
def disable(staff_id: int) -> Response:
    return _act(staff_id, services.disable_account, _("Account disabled"))


@bp.post("/<int:staff_id>/enable")
def enable(staff_id: int) -> Response:
    return _act(staff_id, services.enable_account, _("Account enabled"))


@bp.post("/<int:staff_id>/sign-out-everywhere")
def end_sessions(staff_id: int) -> Response:
    return _act(staff_id, services.end_sessions, _("Signed out everywhere"))


@bp.post("/<int:staff_id>/reset-second-factor")
def reset_second_factor(staff_id: int) -> Response:
    return _act(
        staff_id,
        services.reset_second_factor,
        _("Second factor reset: they will set up their authenticator app when they next sign in"),
    )


@bp.post("/<int:staff_id>/wider-access")
def wider_access(staff_id: int) -> Response:
    answer = request.form.get("granted")
    if answer not in ("yes", "no"):
        abort(400)  # the page's buttons send one of these: anything else was not pressed
    granted = answer == "yes"
    return _act(
        staff_id,
        lambda user, admin: services.set_wider_access(user, admin, granted),
        _("Access changed"),
    )
