"""The three faces of the children's scale, drawn in SVG.

Each face sits beside its words in the radio label and is hidden from screen readers: the words
carry the meaning, so a child who cannot see the picture loses nothing.
"""

from __future__ import annotations

from markupsafe import Markup, escape

# The mouth of each face, as an SVG path on a 48 by 48 box.
_MOUTHS = {
    "happy": "M14 29 Q24 39 34 29",
    "in_between": "M15 32 L33 32",
    "sad": "M14 36 Q24 26 34 36",
}


def face(kind: str) -> Markup:
    return Markup(
        '<svg class="heard-face" viewBox="0 0 48 48" aria-hidden="true" focusable="false">'
        '<circle cx="24" cy="24" r="22" fill="#ffdd00" stroke="#0b0c0c" stroke-width="2"/>'
        '<circle cx="17" cy="19" r="3" fill="#0b0c0c"/>'
        '<circle cx="31" cy="19" r="3" fill="#0b0c0c"/>'
        '<path d="%s" fill="none" stroke="#0b0c0c" stroke-width="3" stroke-linecap="round"/>'
        "</svg>"
    ) % (_MOUTHS[kind],)


def face_label(kind: str, words: object) -> Markup:
    """A radio label: the face, then its words (escaped)."""
    return face(kind) + Markup("<span>%s</span>") % escape(str(words))
