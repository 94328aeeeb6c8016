"""The default wording of every family message, one module a language.

A language offered to families (FAMILY_LANGUAGES) with no module here has no default wording: an
admin can write its messages on the wording page, and until then English is sent. English has
every kind, so there is always something to send.
"""

from __future__ import annotations

from portal.messaging.default_wording import en, pl, ro, ur
from portal.messaging.default_wording.shape import DefaultWording

DEFAULTS: dict[str, DefaultWording] = {
    "en": en.WORDING,
    "pl": pl.WORDING,
    "ro": ro.WORDING,
    "ur": ur.WORDING,
}
ENGLISH = en.WORDING
# Never in a message, in any language it is written in: a partner or a child may read the phone.
FORBIDDEN_WORDS = {code: wording.forbidden_words for code, wording in DEFAULTS.items()}
