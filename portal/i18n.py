"""Languages: family pages in English or Polish, chosen by the person and kept for the visit.

Staff pages are in English. A family member's language comes, in order, from the switch on
every family page, the language their coordinator recorded (applied when the link is opened),
and the browser's own preference.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, has_request_context, redirect, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf

from portal.forms import PortalForm

LANGUAGES = {"en": "English", "pl": "Polski"}
# Each language's name for staff, who read English: "Written in Polish".
NAMES_IN_ENGLISH = {"en": "English", "pl": "Polish"}
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "language"

# Pages a family member or child sees; the rest (staff sign-in included) are English.
FAMILY_BLUEPRINTS = {"links", "family_forms", "family_visit", "language", "site", None}
babel = Babel()
bp = Blueprint("language", __name__)


def select_language() -> str:
    if (
        not has_request_context()
        or current_user.is_authenticated
        or request.blueprint not in FAMILY_BLUEPRINTS
    ):
        return DEFAULT_LANGUAGE
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def use_recorded_language(code: str) -> None:
    """When a link is opened: the language the coordinator chose (its code, never the name
    typed for "another language"), if the pages are written in it and none was chosen here.
    English is not set, so the browser's own preference still counts."""
    if code in LANGUAGES and code != DEFAULT_LANGUAGE and SESSION_KEY not in session:
        session[SESSION_KEY] = code


class LanguageForm(PortalForm):
    language = HiddenField(validators=[AnyOf(list(LANGUAGES))])
    # Where the switch was pressed: only a path on this site is followed.
    back_to = StringField()


def _local_path(value: str | None) -> str:
    """Only a plain path on this site: no scheme, host, backslash, space or control character."""
    if (
        value
        and value.startswith("/")
        and not urlsplit(value).netloc
        and not any(c.isspace() or ord(c) < 32 or c in "\\" for c in value)
        and not value.startswith("//")
    ):
        return value
    return "/"


@bp.post("/language")
def switch() -> Response:
    """The language switch on every family page: a form, so it works without JavaScript.
    Its values are hidden, so one that is refused (an unknown language, a control character)
    was not typed by anyone: 400, with nothing to show again."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session[SESSION_KEY] = form.language.data
    return redirect(_local_path(form.back_to.data), code=303)


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_language,
        default_translation_directories="translations",
        default_domain="messages",
    )
    app.register_blueprint(bp)
    # A global, not a context variable: imported macros (the answers card) read it too.
    app.jinja_env.globals["names_in_english"] = NAMES_IN_ENGLISH

    @app.context_processor
    def languages() -> dict[str, object]:
        return {"languages": LANGUAGES, "current_language": current_language()}
