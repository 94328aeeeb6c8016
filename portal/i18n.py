"""Languages: family pages in the languages the council offers, chosen by the person and kept
for the visit.

Which languages are offered is a setting (FAMILY_LANGUAGES=en,pl): each needs a catalogue under
portal/translations/ and its name in OWN_NAMES below. Staff pages are in English. A family
member's language comes, in order, from the switch on every family page, the language their
coordinator recorded (applied when the link is opened), and the browser's own preference.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    has_request_context,
    redirect,
    request,
    session,
)
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf

from portal.forms import PortalForm

# Each language a catalogue may be written in, by its own name (as the switch shows it) ...
OWN_NAMES = {"en": "English", "pl": "Polski", "ro": "Română", "ur": "اردو"}
# ... and by its name for staff, who read English: "Written in Polish".
NAMES_IN_ENGLISH = {"en": "English", "pl": "Polish", "ro": "Romanian", "ur": "Urdu"}
# Written right to left: the page sets dir="rtl" and the layout mirrors.
RIGHT_TO_LEFT = frozenset({"ur"})
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "language"

# Pages a family member or child sees; the rest (staff sign-in included) are English.
FAMILY_BLUEPRINTS = {"links", "family_forms", "family_visit", "language", "site", None}
babel = Babel()
bp = Blueprint("language", __name__)


def family_languages() -> dict[str, str]:
    """The languages offered to families (FAMILY_LANGUAGES), each by its own name."""
    return {code: OWN_NAMES[code] for code in current_app.config["FAMILY_LANGUAGES"]}


def check_languages(codes: list[str]) -> None:
    """At start-up: every language offered has a name here, and English is one of them."""
    unknown = [code for code in codes if code not in OWN_NAMES]
    if unknown or DEFAULT_LANGUAGE not in codes:
        raise ValueError(
            f"FAMILY_LANGUAGES must include en and only {', '.join(OWN_NAMES)}, not {codes!r}"
        )


def text_direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def select_language() -> str:
    if (
        not has_request_context()
        or current_user.is_authenticated
        or request.blueprint not in FAMILY_BLUEPRINTS
    ):
        return DEFAULT_LANGUAGE
    offered = family_languages()
    chosen = session.get(SESSION_KEY)
    if chosen in offered:
        return str(chosen)
    return request.accept_languages.best_match(list(offered)) or DEFAULT_LANGUAGE


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def use_recorded_language(code: str) -> None:
    """When a link is opened: the language the coordinator chose (its code, never the name
    typed for "another language"), if the pages are written in it and none was chosen here.
    English is not set, so the browser's own preference still counts."""
    if code in family_languages() and code != DEFAULT_LANGUAGE and SESSION_KEY not in session:
        session[SESSION_KEY] = code


class LanguageForm(PortalForm):
    language = HiddenField(validators=[AnyOf(list(OWN_NAMES))])
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


# Templates' _(), gettext() and ngettext(): what Jinja's newstyle gettext does (the text
# translated, marked safe where the template escapes, and always %-formatted, so its variables
# are escaped), asking Jinja for the evaluation context only. Jinja's own asks for the whole
# context, which Jinja then copies (every variable of the page) for each call inside a loop or
# a block with variables of its own: a staff list page made 175 copies (bench/staff_pages.py).
# Markup: the catalogue's text is ours, as Jinja's own marks it; the variables are escaped by %.


@pass_eval_context
def _gettext(evaluation: EvalContext, string: str, /, **variables: Any) -> str:
    return _formatted(evaluation, get_translations().ugettext(string), variables)


@pass_eval_context
def _ngettext(
    evaluation: EvalContext, singular: str, plural: str, number: int, /, **variables: Any
) -> str:
    variables.setdefault("num", number)
    text = get_translations().ungettext(singular, plural, number)
    return _formatted(evaluation, text, variables)


def _formatted(evaluation: EvalContext, text: str, variables: dict[str, Any]) -> str:
    if evaluation.autoescape:
        text = Markup(text)  # noqa: S704 # nosec B704 - the catalogue's text: see above
    return text % variables


@bp.post("/language")
def switch() -> Response:
    """The language switch on every family page: a form, so it works without JavaScript.
    Its values are hidden, so one that is refused (an unknown language, a control character)
    was not typed by anyone: 400, with nothing to show again."""
    form = LanguageForm()
    if not form.validate_on_submit() or form.language.data not in family_languages():
        abort(400)
    session[SESSION_KEY] = form.language.data
    return redirect(_local_path(form.back_to.data), code=303)


def init_app(app: Flask) -> None:
    check_languages(app.config["FAMILY_LANGUAGES"])
    babel.init_app(
        app,
        locale_selector=select_language,
        default_translation_directories="translations",
        default_domain="messages",
    )
    app.register_blueprint(bp)
    app.jinja_env.globals.update(gettext=_gettext, _=_gettext, ngettext=_ngettext)
    # A global, not a context variable: imported macros (the answers card) read it too.
    app.jinja_env.globals["names_in_english"] = NAMES_IN_ENGLISH

    @app.context_processor
    def languages() -> dict[str, object]:
        language = current_language()
        return {
            "languages": family_languages(),
            "current_language": language,
            "text_direction": text_direction(language),
        }
