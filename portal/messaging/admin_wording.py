"""Admins change what the messages say, in each family language: preview, character count, SMS
encoding and parts, checks. English is at /<kind>/<channel>; another language adds its code."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from werkzeug.wrappers import Response
from wtforms import StringField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length

from portal.errors import post_shows_a_result
from portal.forms import PortalForm
from portal.i18n import DEFAULT_LANGUAGE, NAMES_IN_ENGLISH, family_languages, text_direction
from portal.messaging.headers import has_line_break
from portal.messaging.wording import (
    STAFF_KINDS,
    every_wording,
    render,
    reset_wording,
    sample_link,
    save_wording,
    send_english_instead,
    sms_count,
    source_for,
)
from portal.messaging.wording_checks import problems_with
from portal.models import Channel, MessageKind

bp = Blueprint("wording", __name__, url_prefix="/admin/wording")

SENDABLE = [Channel.SMS, Channel.EMAIL]


class WordingForm(PortalForm):
    subject = StringField(
        _l("Subject"),
        widget=GovTextInput(),
        validators=[Length(max=150, message=_l("Subject must be 150 characters or fewer"))],
    )
    body = TextAreaField(
        _l("Message"),
        widget=GovTextArea(),
        validators=[
            InputRequired(message=_l("Enter the message")),
            Length(max=2000, message=_l("Message must be 2000 characters or fewer")),
        ],
    )

    def __init__(self, *args: Any, channel: Channel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel = channel

    def validate_subject(self, field: StringField) -> None:
        # A browser sends a text box as one line; a crafted post may not. An email's subject is
        # a header: on two lines, every email of the kind would fail. A text has no subject.
        if self.channel == Channel.EMAIL and has_line_break(field.data or ""):
            raise ValidationError(_("Subject must be one line"))


def _kind_and_channel(kind: str, channel: str, language: str) -> tuple[MessageKind, Channel]:
    try:
        message_kind, message_channel = MessageKind(kind), Channel(channel)
    except ValueError:
        abort(404)
    if message_kind in STAFF_KINDS:  # worded by the service, not the admin's family wording
        abort(404)
    if message_channel not in SENDABLE or language not in family_languages():
        abort(404)
    return message_kind, message_channel


@bp.get("/")
def index() -> str:
    return render_template("wording/index.html", rows=every_wording(SENDABLE))


@bp.route("/<kind>/<channel>", methods=["GET", "POST"], defaults={"language": DEFAULT_LANGUAGE})
@bp.route("/<kind>/<channel>/<language>", methods=["GET", "POST"])
def edit(kind: str, channel: str, language: str) -> Response | str:
    message_kind, message_channel = _kind_and_channel(kind, channel, language)
    source = source_for(message_kind, message_channel, language=language)
    form = WordingForm(
        data={"subject": source.subject, "body": source.body}, channel=message_channel
    )
    action = request.form.get("action", "preview")
    # One of the page's buttons sends it: anything else was not pressed. English is what is
    # sent when wording is missing, so it cannot be sent "instead" of itself.
    if action not in ("preview", "save", "reset", "english") or (
        action == "english" and language == DEFAULT_LANGUAGE
    ):
        abort(400)
    # The two buttons that keep nothing typed (CSRF is checked for every POST): a body left
    # empty, as missing wording is shown, does not stop them.
    if form.is_submitted() and action == "reset":
        reset_wording(message_kind, message_channel, language=language)
        flash(_("The default wording is back."))
        return redirect(url_for("wording.index"))
    if form.is_submitted() and action == "english":
        send_english_instead(message_kind, message_channel, language, current_user.id)
        flash(
            _(
                "%(message)s: English will be sent.",
                message=_title(message_kind, message_channel, language),
            )
        )
        return redirect(url_for("wording.index"))
    if form.validate_on_submit():
        subject = form.subject.data if message_channel == Channel.EMAIL else None
        problems = problems_with(message_kind, message_channel, subject, form.body.data or "")
        if problems:  # every problem at once: the admin mends them in one go, not one a save
            form.body.errors.append("; ".join(problems))
        if action == "save" and not problems:
            save_wording(
                message_kind,
                message_channel,
                subject,
                form.body.data or "",
                current_user.id,
                language=language,
            )
            flash(
                _(
                    "%(message)s: wording saved.",
                    message=_title(message_kind, message_channel, language),
                )
            )
            return redirect(url_for("wording.index"))
    body = form.body.data or ""
    preview = None
    if not form.body.errors:
        if form.is_submitted() and not form.errors:
            post_shows_a_result()  # a preview asked for, not a refusal
        preview = render(
            message_channel,
            form.subject.data,
            body,
            link=sample_link(),
            code="123456",
            language=language,
        )
    english = source_for(message_kind, message_channel) if language != DEFAULT_LANGUAGE else None
    return render_template(
        "wording/edit.html",
        form=form,
        kind=message_kind,
        channel=message_channel,
        title=_title(message_kind, message_channel, language),
        language=language,
        direction=text_direction(language),
        english=english,
        missing=source.missing,
        preview=preview,
        count=sms_count(body) if message_channel == Channel.SMS and not form.body.errors else None,
        customised=source.customised,
    )


def _title(kind: MessageKind, channel: Channel, language: str) -> str:
    return _(
        "%(message)s by %(channel)s, in %(language)s",
        message=kind.label,
        channel=channel.label.lower(),
        language=NAMES_IN_ENGLISH.get(language, language),
    )
