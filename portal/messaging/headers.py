"""An email header's value is one line. The email package refuses a value with any line break
(every character ``str.splitlines`` breaks at, not only CR and LF), so such a value would stop
the email at every try; and in a header that was let through, a line break would start a new
header (a Bcc, say)."""

from __future__ import annotations


def has_line_break(text: str) -> bool:
    """True if ``text`` is more than one line, or ends with a line break."""
    return len(f"{text}.".splitlines()) > 1


def one_line(text: str) -> str:
    """``text`` with each line break, and the spaces around it, made one space."""
    if not has_line_break(text):
        return text
    return " ".join(line.strip() for line in text.splitlines() if line.strip())
