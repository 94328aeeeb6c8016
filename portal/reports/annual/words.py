"""The manager's words in a year's report: four optional sections, each saved as a new version
(who, when), audited, the newest shown. Sealed at rest; shown escaped, as plain paragraphs."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import AnnualText, AuditAction, RecordType, StaffUser

WORDS_MAX = 10_000  # characters in one section


@dataclass(frozen=True)
class WordsSection:
    key: str
    title: LazyString


SECTIONS = (
    WordsSection("introduction", _l("Introduction")),
    WordsSection("worked_well", _l("What worked well")),
    WordsSection("worried_about", _l("What we are worried about")),
    WordsSection("objectives", _l("Objectives for next year")),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)


def latest_words(year: int) -> dict[str, AnnualText | None]:
    """Each section's newest version for the year (None: never written)."""
    newest = (
        select(func.max(AnnualText.id)).where(AnnualText.year == year).group_by(AnnualText.section)
    )
    rows = {
        row.section: row
        for row in db.session.scalars(select(AnnualText).where(AnnualText.id.in_(newest)))
    }
    return {key: rows.get(key) for key in SECTION_KEYS}


def versions(year: int) -> list[AnnualText]:
    """Every saved version for the year, newest first: who edited and when."""
    return list(
        db.session.scalars(
            select(AnnualText).where(AnnualText.year == year).order_by(AnnualText.id.desc())
        )
    )


def save_words(year: int, texts: dict[str, str], editor: StaffUser) -> list[str]:
    """A new version of each section whose text changed (blank is allowed: the section is then
    left out of the report), one audit event for each; committed. Returns the sections saved."""
    current = latest_words(year)
    saved = []
    for key in SECTION_KEYS:
        body = texts.get(key, "").strip()
        before = current[key]
        if body == (before.body if before else ""):
            continue
        version = AnnualText(year=year, section=key, body=body, edited_by_id=editor.id)
        db.session.add(version)
        db.session.flush()
        record_event(
            AuditAction.UPDATE if before else AuditAction.CREATE,
            RecordType.ANNUAL_TEXT,
            version.id,
            fields=[key],
            actor=editor,
        )
        saved.append(key)
    db.session.commit()
    return saved
