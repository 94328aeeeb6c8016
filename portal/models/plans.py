"""Child protection plans as records, and why a conference was late.

A plan is derived from the held conferences in date order (portal/plans keeps the rows in step
with ConferenceChild.plan_outcome): it starts at an initial or transfer-in conference, carries on
at reviews, and ends to child in need, to looked after, or by a transfer out. One child may have
several plans over the years (a repeat plan starts after an earlier one ended).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base
from portal.models.conference import Conference
from portal.models.enums import HarmCategory, PlanOutcome, db_enum
from portal.models.people import Child

# The outcomes that end a plan.
PLAN_ENDINGS = (
    PlanOutcome.ENDED_CHILD_IN_NEED,
    PlanOutcome.ENDED_LOOKED_AFTER,
    PlanOutcome.TRANSFERRED,
)


class ChildPlan(Base):
    """One child protection plan of one child, from the conference that started it to the one
    that ended it (None while it is open)."""

    __tablename__ = "child_plan"
    __table_args__ = (
        CheckConstraint("(ended_on IS NULL) = (end_outcome IS NULL)", name="ended_with_outcome"),
        CheckConstraint(
            "end_outcome IS NULL OR end_outcome IN "
            "('ended_child_in_need', 'ended_looked_after', 'transferred')",
            name="end_outcome_ends",
        ),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    # The category recorded when the plan started (the later category is on ConferenceChild).
    category: Mapped[HarmCategory] = mapped_column(db_enum(HarmCategory, "harm_category"))
    started_on: Mapped[date] = mapped_column(index=True)
    started_conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    ended_on: Mapped[date | None] = mapped_column(index=True)
    ended_conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    end_outcome: Mapped[PlanOutcome | None] = mapped_column(db_enum(PlanOutcome, "plan_outcome"))

    child: Mapped[Child] = relationship()
    started_conference: Mapped[Conference] = relationship(foreign_keys=[started_conference_id])
    ended_conference: Mapped[Conference | None] = relationship(foreign_keys=[ended_conference_id])

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
