"""The faces children choose from, drawn in SVG: the three of the "did they listen" scale, and the
seven feelings (happy, sad, worried, angry, scared, calm, not sure).

Each face sits with its word in the radio label and is hidden from screen readers: the word
carries the meaning, so a child who cannot see the picture loses nothing.
"""

from __future__ import annotations

from markupsafe import Markup, escape

_EYES = Markup('<circle cx="17" cy="19" r="3"/><circle cx="31" cy="19" r="3"/>')

# What makes each face, on a 48 by 48 box: its eyes (filled) and its lines (brows and mouth,
# drawn as strokes). A mouth that is a shape of its own is in the eyes' part, filled.
_FEATURES: dict[str, tuple[Markup, str]] = {
    "happy": (_EYES, "M14 29 Q24 39 34 29"),
    "in_between": (_EYES, "M15 32 L33 32"),
    "sad": (
        _EYES + Markup('<path d="M31 24 q-3 5 0 6 q3-1 0-6" fill="#1d70b8"/>'),  # and a tear
        "M14 36 Q24 26 34 36",
    ),
    "worried": (_EYES, "M11 13 L20 10 M28 10 L37 13 M15 34 Q19 30 24 34 Q29 38 33 34"),
    "angry": (_EYES, "M11 11 L21 16 M27 16 L37 11 M16 35 Q24 29 32 35"),
    "scared": (
        Markup(
            '<circle cx="17" cy="19" r="5" fill="#fff" stroke="#0b0c0c" stroke-width="2"/>'
            '<circle cx="31" cy="19" r="5" fill="#fff" stroke="#0b0c0c" stroke-width="2"/>'
            '<circle cx="17" cy="19" r="2"/><circle cx="31" cy="19" r="2"/>'
            '<ellipse cx="24" cy="34" rx="4" ry="5"/>'
        ),
        "M12 10 Q17 7 22 10 M26 10 Q31 7 36 10",
    ),
    "calm": (Markup(), "M13 20 Q17 23 21 20 M27 20 Q31 23 35 20 M17 31 Q24 35 31 31"),
    "not_sure": (_EYES, "M27 12 Q31 8 36 11 M16 33 L32 29"),
}


def face(kind: str) -> Markup:
    filled, lines = _FEATURES[kind]
    return Markup(
        '<svg class="heard-face" viewBox="0 0 48 48" aria-hidden="true" focusable="false">'
        '<circle cx="24" cy="24" r="22" fill="#ffdd00" stroke="#0b0c0c" stroke-width="2"/>'
        '<g fill="#0b0c0c">%s</g>'
        '<path d="%s" fill="none" stroke="#0b0c0c" stroke-width="3" stroke-linecap="round"/>'
        "</svg>"
    ) % (filled, lines)


def face_label(kind: str, words: object) -> Markup:
    """A radio label: the face, then its words (escaped)."""
    return face(kind) + Markup("<span>%s</span>") % escape(str(words))
