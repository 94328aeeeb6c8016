"""What the annual report holds beside the records (issue 23): other areas' figures to compare
with, the child population that turns a count into a rate, and the manager's words.

None of it is a figure of the council's own: those are counted from the records every time.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.models.base import Base, utcnow
from portal.models.staff import StaffUser


class Comparator(Base):
    """Another area's figure for one measure and financial year (a region, statistical
    neighbours, England), with where it was published. Entered by an admin or imported from a
    CSV; a later entry for the same measure, year and area replaces it."""

    __tablename__ = "annual_comparator"
    __table_args__ = (
        UniqueConstraint("measure", "year", "area", name="uq_annual_comparator_measure_year_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String(60))  # a key of portal.reports.annual.measures
    year: Mapped[int]  # the financial year: 2020 is April 2020 to March 2021
    area: Mapped[str] = mapped_column(String(100))
    value: Mapped[Decimal] = mapped_column(Numeric(12, 1))
    source: Mapped[str] = mapped_column(String(200))
    source_date: Mapped[date]
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)

    entered_by: Mapped[StaffUser | None] = relationship()


class ChildPopulation(Base):
    """The children aged 0–17 living in the council's area in a financial year, as published
    (usually the ONS mid-year estimate), so counts can be given per 10,000 children."""

    __tablename__ = "annual_child_population"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    children: Mapped[int]
    source: Mapped[str] = mapped_column(String(200))
    source_date: Mapped[date]
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnnualText(Base):
    """One version of one of the manager's sections of a year's report: every save adds a row,
    so earlier versions and who wrote them are kept; the newest is the one shown."""

    __tablename__ = "annual_text"
    __table_args__ = (Index("ix_annual_text_year_section", "year", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    section: Mapped[str] = mapped_column(String(40))  # a key of portal.reports.annual.words
    body: Mapped[str] = mapped_column(EncryptedText(), default="")  # sealed; may be empty
    edited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)

    edited_by: Mapped[StaffUser | None] = relationship()
