"""The record of a conference: one form, made for the conference's own children and adults.

Each person is a sub-form (``child-12``, ``adult-7``), so every field has an id of its own
(``child-12-code``) for the error summary to link to. Radios are checked here rather than by
WTForms' choice check, so each message can name the person it is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
)
from wtforms import (
    Form,
    FormField,
    RadioField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Length

from portal.forms import (
    YES_NO,
    GovDateField,
    GovSubmit,
    PortalForm,
    Text,
    choices,
    enum_radio,
    strip,
)
from portal.models import (
    AdultAttendance,
    AttendanceMode,
    ConferenceFormat,
    HarmCategory,
    NotInvitedReason,
    ParticipationCode,
    PlanOutcome,
    ViewsRoute,
    utcnow,
)
from portal.plans.forms import DelayFields
from portal.plans.timeliness import Late
from portal.recording.codes import code_problem
from portal.recording.known import AdultToRecord, ChildToRecord
from portal.recording.services import PLAN_IN_PLACE, AdultRecord, ChildRecord, ConferenceRecord
from portal.templating import local_date

NO_CATEGORY = "none"


def _radios(label: Text, items: Sequence[tuple[str, Text]], **kwargs: Any) -> RadioField:
    """Radios whose answer the form checks itself (see ``_one_of``)."""
    return RadioField(
        label,
        choices=choices(items),
        validate_choice=False,
        widget=GovRadioInput(),
        **kwargs,
    )


def _one_of(field: RadioField, allowed: Any, message: str) -> None:
    if field.data not in {getattr(value, "value", value) for value in allowed}:
        raise ValidationError(message)


class ChildRecordForm(Form):
    """One child. ``person`` is set on the class made for each child (see ``record_form``)."""

    person: ChildToRecord

    attended = RadioField(
        _l("Did they attend?"), choices=YES_NO, validate_choice=False, widget=GovRadioInput()
    )
    code = _radios(
        _l("Participation code"),
        ParticipationCode.choices([c for c in ParticipationCode if c != ParticipationCode.CP0]),
    )
    plan_outcome = _radios(_l("Outcome"), PlanOutcome.choices())
    harm_category = RadioField(
        _l("Category of harm"),
        description=_l("Only when the plan started or continued"),
        choices=[
            *choices(HarmCategory.choices()),
            *choices([(NO_CATEGORY, _l("No category: there is no plan"))]),
        ],
        validate_choice=False,
        widget=GovRadioInput(),
    )

    @property
    def name(self) -> str:
        return self.person.child.full_name

    def attended_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.attended.data or "")

    def validate_attended(self, field: RadioField) -> None:
        if self.person.derived is None:  # a CP0 child's attendance is not asked
            _one_of(field, ["yes", "no"], _("Select yes if %(name)s attended", name=self.name))

    def validate_code(self, field: RadioField) -> None:
        if not field.data:
            if self.person.derived is None:
                raise ValidationError(_("Select a participation code for %(name)s", name=self.name))
            return
        try:
            code = ParticipationCode(field.data)
        except ValueError:
            raise ValidationError(
                _("Select a participation code for %(name)s", name=self.name)
            ) from None
        problem = code_problem(
            code,
            derived=self.person.derived,
            attended=self.attended_value(),
            has_advocacy=self.person.has_advocacy,
        )
        if problem:
            raise ValidationError(f"{self.name}: {problem}")

    def validate_plan_outcome(self, field: RadioField) -> None:
        _one_of(field, PlanOutcome, _("Select the outcome for %(name)s", name=self.name))

    def validate_harm_category(self, field: RadioField) -> None:
        if self.plan_outcome.data in PLAN_IN_PLACE:
            _one_of(
                field,
                HarmCategory,
                _("Select the category of harm for %(name)s's plan", name=self.name),
            )
        elif field.data:
            _one_of(
                field,
                [NO_CATEGORY],
                _(
                    "%(name)s: a category of harm is only for a plan that started or continued. "
                    "Select No category",
                    name=self.name,
                ),
            )

    def record(self) -> ChildRecord:
        code = self.person.derived or ParticipationCode(self.code.data)
        outcome = PlanOutcome(self.plan_outcome.data)
        category = HarmCategory(self.harm_category.data) if outcome in PLAN_IN_PLACE else None
        return ChildRecord(
            child_id=self.person.child.id, code=code, plan_outcome=outcome, harm_category=category
        )


class AdultRecordForm(Form):
    """One adult. ``person`` is set on the class made for each adult (see ``record_form``)."""

    person: AdultToRecord

    invited = RadioField(
        _l("Were they invited?"), choices=YES_NO, validate_choice=False, widget=GovRadioInput()
    )
    not_invited_reason = _radios(_l("Why not?"), NotInvitedReason.choices())
    attendance = _radios(_l("Did they attend?"), AdultAttendance.choices())
    attendance_mode = _radios(_l("How did they attend?"), AttendanceMode.choices())
    views_routes = SelectMultipleField(
        _l("Other ways their views reached the conference"),
        description=_l("Select all that apply"),
        choices=choices(ViewsRoute.choices()),
        validate_choice=False,
        widget=GovCheckboxesInput(),
    )

    @property
    def name(self) -> str:
        return self.person.member.full_name

    def validate_invited(self, field: RadioField) -> None:
        _one_of(field, ["yes", "no"], _("Select yes if %(name)s was invited", name=self.name))

    def validate_not_invited_reason(self, field: RadioField) -> None:
        if self.invited.data == "no":
            _one_of(
                field, NotInvitedReason, _("Select why %(name)s was not invited", name=self.name)
            )

    def validate_attendance(self, field: RadioField) -> None:
        _one_of(field, AdultAttendance, _("Select whether %(name)s attended", name=self.name))
        if self.invited.data == "no" and field.data != AdultAttendance.NONE:
            raise ValidationError(
                _(
                    "%(name)s was not invited, so select Did not attend, or change Were they "
                    "invited to Yes",
                    name=self.name,
                )
            )

    def validate_attendance_mode(self, field: RadioField) -> None:
        if self.attendance.data in (AdultAttendance.PART, AdultAttendance.WHOLE):
            _one_of(field, AttendanceMode, _("Select how %(name)s attended", name=self.name))

    def record(self) -> AdultRecord:
        invited = self.invited.data == "yes"
        attendance = AdultAttendance(self.attendance.data)
        ticked = set(self.views_routes.data or [])
        return AdultRecord(
            member_id=self.person.member.id,
            invited=invited,
            not_invited_reason=None if invited else NotInvitedReason(self.not_invited_reason.data),
            attendance=attendance,
            attendance_mode=(
                None
                if attendance == AdultAttendance.NONE
                else AttendanceMode(self.attendance_mode.data)
            ),
            # In the order the page lists them; anything else posted is not a route
            views_routes=[route.value for route in ViewsRoute if route.value in ticked],
        )


class RecordForm(DelayFields, PortalForm):
    """``late``: who the conference was held out of timescale for (a reason is then needed)."""

    held_on = GovDateField(
        _l("Date the conference was held"),
        name_in_errors=_l("date the conference was held"),
        description=_l("Each child's age is worked out on this date. For example, 27 3 2026"),
    )
    format = enum_radio(_l("Format"), ConferenceFormat, _l("Select the format of the conference"))
    quorate = RadioField(
        _l("Was the conference quorate?"),
        choices=YES_NO,
        invalid_choice_message=_l("Select yes if the conference was quorate"),
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Save the record"), widget=GovSubmit())

    def validate_held_on(self, field: GovDateField) -> None:
        if field.data and field.data > local_date(utcnow()):
            raise ValidationError(_("The date the conference was held must be today or earlier"))

    def validate(self, extra_validators: Any = None) -> bool:
        return super().validate(extra_validators) and self.check_delay()

    def children_forms(self) -> list[ChildRecordForm]:
        return [field.form for name, field in self._fields.items() if name.startswith("child-")]

    def adults_forms(self) -> list[AdultRecordForm]:
        return [field.form for name, field in self._fields.items() if name.startswith("adult-")]

    def record(self) -> ConferenceRecord:
        assert self.held_on.data is not None
        delay_reason, delay_reason_detail = self.delay()
        return ConferenceRecord(
            held_on=self.held_on.data,
            format=ConferenceFormat(self.format.data),
            quorate=self.quorate.data == "yes",
            children=[form.record() for form in self.children_forms()],
            adults=[form.record() for form in self.adults_forms()],
            delay_reason=delay_reason,
            delay_reason_detail=delay_reason_detail,
        )


class _HeldOnOnly(Form):
    held_on = RecordForm.held_on


def posted_held_on(formdata: Any) -> date | None:
    """The date posted as the day the conference was held, or None if it is not a date. Read
    before the record's form is made: the children's ages, and so CP0, are on that day."""
    return _HeldOnOnly(formdata).held_on.data


def record_form(
    children: list[ChildToRecord],
    adults: list[AdultToRecord],
    data: dict[str, Any],
    late: list[Late] | None = None,
) -> RecordForm:
    """A form class for this conference's people, in the order the page shows them; ``late``
    as RecordForm's."""
    fields: dict[str, Any] = {}
    for child in children:
        person_form = type("ChildForm", (ChildRecordForm,), {"person": child})
        fields[f"child-{child.child.id}"] = FormField(
            person_form, label=child.child.full_name, separator="-"
        )
    for adult in adults:
        person_form = type("AdultForm", (AdultRecordForm,), {"person": adult})
        fields[f"adult-{adult.member.id}"] = FormField(
            person_form, label=adult.member.full_name, separator="-"
        )
    form_class = type("ConferenceRecordForm", (RecordForm,), fields)
    form = form_class(data=data)
    form.late = late or []
    return form


class YouSaidWeDidForm(PortalForm):
    note = TextAreaField(
        _l("Your note to the child"),
        description=_l(
            "Write to the child in words they understand: what they told us, and what we "
            "decided because of it."
        ),
        validators=[Length(max=1500, message=_l("The note must be 1500 characters or fewer"))],
        filters=[strip],
        widget=GovCharacterCount(),
    )
    submit = SubmitField(_l("Save the note"), widget=GovSubmit())

    def validate_note(self, field: TextAreaField) -> None:
        if not field.data:
            raise ValidationError(_("Write a note to the child"))
