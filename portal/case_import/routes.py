"""The coordinators' upload page for ``flask import conferences``: the same checker, the same
error list, and the same result (including who is in the portal but not in the file)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user

from portal.case_import.forms import UploadForm
from portal.case_import.rows import COLUMNS
from portal.case_import.services import error_lines, import_conferences
from portal.errors import post_shows_a_result

bp = Blueprint("case_import", __name__, url_prefix="/conferences/import")


@bp.route("/", methods=["GET", "POST"])
def upload() -> str | tuple[str, int]:
    form = UploadForm()
    page: dict[str, Any] = {
        "form": form,
        "columns": ",".join(COLUMNS),
        "result": None,
        "errors": [],
    }
    if not form.validate_on_submit():
        return render_template("case_import/upload.html", **page), (
            400 if form.is_submitted() else 200
        )
    # The page shows the result of this POST rather than redirecting: what changed and who is
    # missing are the answer to this file. Posting the same file again changes nothing, so a
    # refresh does no harm.
    result = import_conferences(form.file.data.read(), by=current_user, dry_run=form.only_checking)
    if result.errors:
        form.file.errors = [
            _(
                "The file has %(count)s problems, listed below. Nothing was imported.",
                count=len(result.errors),
            )
        ]
        page["errors"] = error_lines(result.errors)
        return render_template("case_import/upload.html", **page), 400
    page["result"] = result
    post_shows_a_result()  # what the file changed, and who is missing: not a refusal
    return render_template("case_import/upload.html", **page)
