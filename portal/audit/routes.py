from flask import Blueprint, current_app, render_template, request

from portal.audit.forms import AuditFilterForm
from portal.audit.services import (
    AuditFilter,
    search_audit_events,
    self_assignments_for,
    staff_choices,
)
from portal.models import RecordType
from portal.pagination import page_number, paged

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.get("/")
def index() -> str:
    form = AuditFilterForm(formdata=request.args, staff=staff_choices())
    wanted = form.to_filter() if form.validate() else AuditFilter()
    per_page = current_app.config["AUDIT_EVENTS_PER_PAGE"]
    events, pagination = paged(
        lambda number: search_audit_events(wanted, number, per_page), page_number(), per_page
    )
    return render_template(
        "audit/index.html",
        form=form,
        events=events,
        self_assignments=self_assignments_for(events),
        pagination=pagination,
        # A row written before RecordType listed its kind is shown as it is
        record_type_labels={kind.value: kind.label for kind in RecordType},
    )
