"""A child's drawing in a house of the Three Houses (issue 20).

Drawn on a canvas where JavaScript runs (static/js/draw.mjs), the PNG comes with the answer's
own form POST as a data URL in a hidden field: the CSRF token and the answer come with it, and
without JavaScript nothing changes. It goes through the same checking, cleaning and sealing as
an advocate's upload (portal/attachments.py: decoded and encoded again, so nothing but the
pixels is kept), then it must still be a PNG of at most DRAWING_MAX_BYTES and MAX_SIDE pixels a
side. The sealed file is kept in ATTACHMENT_DIR; its row (``Drawing``) hangs off the answer.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from portal.attachments import PNG, CleanedFile, RefusedFile, clean, read_stored, sniff, store
from portal.audit.services import commit_views, record_event
from portal.extensions import db
from portal.family_forms.childrens_questions import CHILD_VIEWS
from portal.models import (
    Answer,
    AuditAction,
    Drawing,
    FormResponse,
    Invitation,
    RecordType,
    utcnow,
)

# The houses a child may draw in: (questionnaire, question)
DRAWN = frozenset((CHILD_VIEWS.id, house) for house in ("good_things", "worries", "wishes"))
DRAWING_MAX_BYTES = 300 * 1024
# The canvas is 800 by 600 (static/js/draw.mjs); a little room for another browser's choice.
MAX_SIDE = 1600
_PREFIX = "data:image/png;base64,"


def draws(questionnaire_id: str, question_id: str) -> bool:
    return (questionnaire_id, question_id) in DRAWN


def cleaned_drawing(data_url: str) -> CleanedFile:
    """The drawing sent in the form, checked and cleaned; RefusedFile says why not, in the
    child's language."""
    if not data_url.startswith(_PREFIX):
        raise RefusedFile(_("The drawing could not be saved. Try drawing it again"))
    encoded = data_url[len(_PREFIX) :]
    # base64 is 4 characters for 3 bytes: anything longer is too large before decoding it.
    if len(encoded) > DRAWING_MAX_BYTES * 4 // 3 + 4:
        raise _too_large()
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise RefusedFile(_("The drawing could not be saved. Try drawing it again")) from None
    if sniff(data[:16]) != PNG or data[12:16] != b"IHDR":
        raise RefusedFile(_("The drawing could not be saved. Try drawing it again"))
    # Before decoding: 300 KB of one colour can say 7000 pixels square (200 MB decoded).
    _refuse_over_max_side(data)
    try:
        cleaned = clean(data)  # the same path as an advocate's upload
    except RefusedFile:
        raise RefusedFile(_("The drawing could not be saved. Try drawing it again")) from None
    if len(cleaned.data) > DRAWING_MAX_BYTES:
        raise _too_large()
    _refuse_over_max_side(cleaned.data)
    return cleaned


def _refuse_over_max_side(png: bytes) -> None:
    """A PNG's first chunk, IHDR, holds its width, then its height."""
    width, height = int.from_bytes(png[16:20]), int.from_bytes(png[20:24])
    if width > MAX_SIDE or height > MAX_SIDE:
        raise _too_large()


def _too_large() -> RefusedFile:
    return RefusedFile(_("The drawing is too big to save. Press Clear and draw it again"))


def keep(answer: Answer, cleaned: CleanedFile) -> str | None:
    """Seal and store the drawing for the answer (the caller commits). Returns the storage name
    of the drawing it replaces, for ``forget_file`` once the commit is done."""
    stored = store(cleaned, current_app.config["ATTACHMENT_DIR"])
    drawing = answer.drawing
    replaced = drawing.storage_name if drawing is not None else None
    if drawing is None:  # a drawing replaced is the same row: one per answer
        drawing = answer.drawing = Drawing()
    drawing.byte_size, drawing.content_hmac = stored.byte_size, stored.content_hmac
    drawing.storage_name, drawing.drawn_at = stored.storage_name, utcnow()
    return replaced


def remove(answer: Answer) -> str | None:
    """Take the answer's drawing away (the caller commits); its storage name, if it had one."""
    if answer.drawing is None:
        return None
    old = answer.drawing.storage_name
    answer.drawing = None
    return old


def forget_file(storage_name: str | None) -> None:
    """Delete a drawing's file once no row points at it."""
    if storage_name:
        (Path(current_app.config["ATTACHMENT_DIR"]) / storage_name).unlink(missing_ok=True)


def files_of(family_member_ids: list[int]) -> set[str]:
    """The storage names of the drawings in these people's answers, read before a delete."""
    return set(
        db.session.scalars(
            select(Drawing.storage_name)
            .join(Answer, Answer.id == Drawing.answer_id)
            .join(FormResponse, FormResponse.id == Answer.response_id)
            .join(Invitation, Invitation.id == FormResponse.invitation_id)
            .where(Invitation.family_member_id.in_(family_member_ids))
        )
    )


def forget_unreferenced(storage_names: set[str]) -> None:
    """After a commit that may have deleted drawing rows (by cascade): delete the files of
    those no row points at any more, so none is left on disk that nothing could find."""
    if not storage_names:
        return
    still = set(
        db.session.scalars(
            select(Drawing.storage_name).where(Drawing.storage_name.in_(storage_names))
        )
    )
    for name in storage_names - still:
        forget_file(name)


def png_of(drawing: Drawing) -> bytes | None:
    """The drawing's PNG, opened; None if its file is not there."""
    return read_stored(current_app.config["ATTACHMENT_DIR"], drawing.storage_name)


def shown_to_staff(conference_id: int, drawing_id: int) -> Drawing | None:
    """A drawing on this conference, where staff see the child's answers: sent, or opened by
    a safety alert (as the answers are: templates/family_forms/_answers_card.html)."""
    found = db.session.scalar(
        select(Drawing)
        .join(Answer, Answer.id == Drawing.answer_id)
        .join(FormResponse, FormResponse.id == Answer.response_id)
        .join(Invitation, Invitation.id == FormResponse.invitation_id)
        .where(
            Drawing.id == drawing_id,
            Invitation.conference_id == conference_id,
            FormResponse.submitted_at.is_not(None) | FormResponse.safety_concern_at.is_not(None),
        )
    )
    return found


def staff_viewed(drawing: Drawing, conference_id: int) -> None:
    """Every time staff open a drawing, as every view of a child's record: one commit."""
    record_event(AuditAction.VIEW, RecordType.DRAWING, drawing.id, conference_id=conference_id)
    commit_views()
