"""The conference's record for the case system, downloaded by a coordinator."""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_login import current_user

from portal.case_record import services
from portal.case_record.forms import DownloadForm
from portal.errors import post_shows_a_result
from portal.lookups import conference_or_404

bp = Blueprint("case_record", __name__)


@bp.post("/conferences/<int:conference_id>/case-record")
def export(conference_id: int) -> Response:
    conference = conference_or_404(conference_id)
    if not DownloadForm().validate_on_submit():
        abort(400)
    record = services.build_case_record(conference, current_user)
    document = services.export_html(record)
    name = services.file_name(record)
    # Audited, and the export time kept, once the file is made: the commit expires what it read.
    services.record_exported(record)
    post_shows_a_result()  # the file asked for
    response = Response(document, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
