"""The chair's pre-conference pack: everything said for one conference, on one page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.family_forms.help_labels import help_labels
from portal.family_forms.services import saved_answers
from portal.lookups import conference_or_404, note_messages
from portal.pack import reads, services
from portal.pack.forms import MarkReadForm
from portal.pack.reads import NotInPack
from portal.safety.services import alerts_on
from portal.tasks.services import conference_tasks

bp = Blueprint("pack", __name__, url_prefix="/conferences/<int:conference_id>/pack")


@bp.get("")
def show(conference_id: int) -> str:
    conference = conference_or_404(conference_id)
    pack = services.build_pack(conference, current_user)
    page = render_template(
        "pack/show.html",
        pack=pack,
        saved_answers=saved_answers,
        needs=conference_tasks(conference),
        help_labels=help_labels,
        safety_alerts=alerts_on(conference),
        note_messages=note_messages(conference.children),
    )
    # Audited once the page is made, so the commit does not expire what the page reads.
    services.record_pack_viewed(pack)
    return page


@bp.post("/read")
def mark_read(conference_id: int) -> Response | tuple[str, int]:
    conference = conference_or_404(conference_id)
    marked = MarkReadForm()
    if not marked.validate_on_submit():
        return render_template("pack/not_marked.html", conference=conference, marked=marked), 400
    assert marked.item_id.data is not None  # the form refuses a missing number
    try:
        anchor = reads.mark_read(
            conference, marked.item_type.data, marked.item_id.data, current_user
        )
    except NotInPack:
        abort(404)
    # Back to a success banner by the item: the place is kept, and the banner (focusable, as
    # the link's target) is focused and read out. A fragment whose target cannot take focus
    # would take the focus GOV.UK Frontend gives the banner away again.
    flash(anchor, "pack-read")
    return redirect(
        url_for("pack.show", conference_id=conference.id, _anchor=f"{anchor}-read"), code=303
    )
