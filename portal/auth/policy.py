"""The access policy table: every endpoint, the roles that may use it, and whose records they
may see (the ownership checks). ``portal.auth.access`` enforces it on every request.

This table is the one place access is decided. A test walks ``app.url_map`` and fails if an
endpoint is missing here, then checks every role (and anonymous) against every endpoint.
An endpoint missing from the table is refused to everyone (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exists, select

from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    Attachment,
    Conference,
    ConferenceAdult,
    FamilyMember,
    Role,
    SafetyAlert,
    StaffUser,
)
from portal.visibility import alerts_visible_to, attachment_visible_to, visible_conferences

OwnershipCheck = Callable[[StaffUser, Mapping[str, Any]], bool]


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] | None  # None: anyone, signed in or not
    owner: OwnershipCheck | None = None  # False means "not yours": answered with 404
    # A further condition on the person, not the record (e.g. manages advocacy): else 403
    also: Callable[[StaffUser], bool] | None = None
    # Family pages: open only with the live invitation the person opened through their link.
    family: bool = False


def _among(id_column: Any, record_id: object, visible: sa.ColumnElement[bool]) -> bool:
    """Whether the record with this id is among those ``visible`` lets the person see."""
    return bool(db.session.scalar(select(exists().where(id_column == record_id, visible))))


def may_see_conference(user: StaffUser, view_args: Mapping[str, Any]) -> bool:
    return _among(Conference.id, view_args["conference_id"], visible_conferences(user))


def chairs_conference(user: StaffUser, view_args: Mapping[str, Any]) -> bool:
    """Recording is for the conference's own chair, even where a chair may read every one."""
    conference = db.session.get(Conference, view_args["conference_id"])
    return conference is not None and conference.chair_id == user.id


def works_on_referral(user: StaffUser, view_args: Mapping[str, Any]) -> bool:
    """An advocate works only on the children assigned to them."""
    referral = db.session.get(AdvocacyReferral, view_args["referral_id"])
    return referral is not None and referral.advocate_id == user.id


def may_see_attachment(user: StaffUser, view_args: Mapping[str, Any]) -> bool:
    """The same rule as the chair's pack: ``attachment_visible_to``."""
    attachment = db.session.get(Attachment, view_args["attachment_id"])
    return attachment is not None and attachment_visible_to(user, attachment)


def may_see_alert(user: StaffUser, view_args: Mapping[str, Any]) -> bool:
    """Coordinators and admins every alert; a chair those of the conferences they chair."""
    return _among(SafetyAlert.id, view_args["alert_id"], alerts_visible_to(user))


def enters_for(user: StaffUser, view_args: Mapping[str, Any]) -> bool:
    """Who may enter views or feedback given another way: a coordinator for anyone, a chair on
    their own conferences only (even one who may read every conference), an advocate for the
    young people they are assigned at this conference. With a ``member_id``, that person must
    be at the conference; without one (the list of people), any of them will do."""
    conference_id, member_id = view_args["conference_id"], view_args.get("member_id")
    at_conference = select(ConferenceAdult.family_member_id).where(
        ConferenceAdult.conference_id == conference_id
    )
    if member_id is not None:
        at_conference = at_conference.where(ConferenceAdult.family_member_id == member_id)
    if user.role == Role.COORDINATOR:
        return bool(db.session.scalar(select(exists(at_conference))))
    if user.role == Role.CHAIR:
        return bool(
            db.session.scalar(
                select(exists(at_conference.join(Conference).where(Conference.chair_id == user.id)))
            )
        )
    assigned = at_conference.join(
        FamilyMember, FamilyMember.id == ConferenceAdult.family_member_id
    ).join(
        AdvocacyReferral,
        (AdvocacyReferral.child_id == FamilyMember.child_id)
        & (AdvocacyReferral.conference_id == ConferenceAdult.conference_id),
    )
    return user.role == Role.ADVOCATE and bool(
        db.session.scalar(select(exists(assigned.where(AdvocacyReferral.advocate_id == user.id))))
    )


def manages_advocacy(user: StaffUser) -> bool:
    return user.role == Role.ADMIN or user.is_advocacy_manager


PUBLIC = Rule(roles=None)
FAMILY = Rule(roles=None, family=True)
ANY_STAFF = Rule(roles=frozenset(Role))


def staff(
    *roles: Role,
    owner: OwnershipCheck | None = None,
    also: Callable[[StaffUser], bool] | None = None,
) -> Rule:
    return Rule(roles=frozenset(roles), owner=owner, also=also)


COORDINATOR_ONLY = staff(Role.COORDINATOR, owner=may_see_conference)
ASSIGNED_ADVOCATE = staff(Role.ADVOCATE, owner=works_on_referral)
ADVOCACY_MANAGER = staff(Role.ADVOCATE, Role.ADMIN, also=manages_advocacy)
CONFERENCE_CHAIR = staff(Role.CHAIR, owner=chairs_conference)
REPORT_READERS = staff(Role.PARTICIPATION_OFFICER, Role.ADMIN)
ENTERS_FOR = staff(Role.COORDINATOR, Role.CHAIR, Role.ADVOCATE, owner=enters_for)

POLICY: dict[str, Rule] = {
    "static": PUBLIC,
    "site.home": PUBLIC,  # sends each person to their own starting page, or to sign in
    "site.healthz": PUBLIC,
    "site.readyz": PUBLIC,
    "site.accessibility": PUBLIC,
    "site.privacy": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": ANY_STAFF,
    # The second step of signing in: only with a password checked moments ago in this session
    "auth.second_factor": PUBLIC,
    "auth.set_up_second_factor": PUBLIC,
    # Each person's own account, whatever their role: they only ever reach their own
    "account.overview": ANY_STAFF,
    "account.change_password": ANY_STAFF,
    "account.mobile": ANY_STAFF,  # their own mobile for safety alerts; nobody else's
    "account.two_factor": ANY_STAFF,
    "account.confirm_password": ANY_STAFF,
    "account.recovery_codes": ANY_STAFF,
    "account.sign_out_everywhere": ANY_STAFF,
    "account.keep_alive": ANY_STAFF,  # Continue in the warning before the session ends
    "site.dashboard": ANY_STAFF,
    "conferences.index": staff(Role.COORDINATOR, Role.CHAIR),
    "conferences.new": staff(Role.COORDINATOR),
    "conferences.show": staff(Role.COORDINATOR, Role.CHAIR, owner=may_see_conference),
    "conferences.edit": COORDINATOR_ONLY,
    "case_import.upload": staff(Role.COORDINATOR),  # upcoming conferences from the case system
    "conferences.set_up_review": COORDINATOR_ONLY,  # from a held conference: the next one
    "people.add_child": COORDINATOR_ONLY,
    "people.edit_child": COORDINATOR_ONLY,
    "people.remove_child": COORDINATOR_ONLY,
    "people.add_family_member": COORDINATOR_ONLY,
    "people.edit_family_member": COORDINATOR_ONLY,
    "people.remove_family_member": COORDINATOR_ONLY,
    "people.confirm_contact": COORDINATOR_ONLY,
    "people.set_agreed_word": COORDINATOR_ONLY,  # the word is posted, never shown again
    "people.invite_young_person": COORDINATOR_ONLY,
    "people.from_case": COORDINATOR_ONLY,  # the people at the case's other conferences
    # Finding a person across conferences: the coordinators, and the admins who merge records
    "directory.find": staff(Role.COORDINATOR, Role.ADMIN),
    "directory.merge_records": staff(Role.ADMIN),
    "audit.index": staff(Role.ADMIN),
    "wording.index": staff(Role.ADMIN),
    "wording.edit": staff(Role.ADMIN),
    "language.switch": PUBLIC,  # the language switch on every family page; keeps a session choice
    "links.open_link": PUBLIC,  # rate-limited; the token is the key
    "links.enter_code": PUBLIC,  # rate-limited; needs the invitation Continue was pressed on
    "links.enter_word": PUBLIC,  # the same, for a link that asks for the agreed word
    "family_forms.landing": FAMILY,
    # Only the note written to the link's own child: nothing else can be asked for.
    "family_forms.note": FAMILY,
    "family_forms.start": FAMILY,
    "family_forms.question": FAMILY,
    "family_forms.drawing": FAMILY,  # the child's own drawing, on its question's page
    "family_forms.check": FAMILY,
    "family_forms.help_now": FAMILY,
    "family_forms.done": FAMILY,
    "family_forms.finish_for_now": FAMILY,
    # Exit this page: safe with no visit at all (it ends one if there is); a GET, as the
    # component follows a link. Then the page after "Finish for now", which shows nothing saved.
    "family_visit.exit": PUBLIC,
    "family_visit.finished": PUBLIC,
    "family_forms.keep_alive": FAMILY,  # Continue in the warning before the visit ends
    "webhooks.twilio_status": PUBLIC,  # every request must carry Twilio's signature
    "webhooks.twilio_inbound": PUBLIC,
    "notify_webhooks.notify_status": PUBLIC,  # every request must carry Notify's bearer token
    "notify_webhooks.notify_inbound": PUBLIC,
    "delivery.conference": staff(Role.COORDINATOR, Role.CHAIR, owner=may_see_conference),
    # Feedback on this page and in the pack: only for the conference's own chair and the
    # coordinators (visibility.reads_named_feedback); views for any chair who may see it.
    "family_answers.conference": staff(Role.COORDINATOR, Role.CHAIR, owner=may_see_conference),
    # A child's drawing, where their answers are shown: this page and the pack (audited)
    "family_answers.drawing": staff(Role.COORDINATOR, Role.CHAIR, owner=may_see_conference),
    # Views and feedback given another way, entered on the person's behalf
    "on_behalf.people": ENTERS_FOR,
    "on_behalf.enter": ENTERS_FOR,
    "on_behalf.entered": ENTERS_FOR,
    "delivery.send_now": COORDINATOR_ONLY,
    "delivery.pause": COORDINATOR_ONLY,
    "delivery.switch_channel_view": COORDINATOR_ONLY,
    "delivery.failed": staff(Role.COORDINATOR),
    "delivery.dev_outbox": staff(Role.COORDINATOR, Role.ADMIN),  # and development only
    "advocacy.caseload": staff(Role.ADVOCATE),  # the advocate's own children only
    "advocacy.referrals": ADVOCACY_MANAGER,
    "advocacy.assign": ADVOCACY_MANAGER,
    "advocacy.refer_child": COORDINATOR_ONLY,
    "advocacy.record": ASSIGNED_ADVOCATE,
    "advocacy.views": ASSIGNED_ADVOCATE,
    "advocacy.add_contact": ASSIGNED_ADVOCATE,
    "advocacy.add_attachment": ASSIGNED_ADVOCATE,
    "advocacy.version": ASSIGNED_ADVOCATE,
    "advocacy.attachment": staff(Role.ADVOCATE, Role.CHAIR, owner=may_see_attachment),
    "pack.show": staff(Role.CHAIR, owner=may_see_conference),
    "pack.mark_read": staff(Role.CHAIR, owner=may_see_conference),
    "recording.record": CONFERENCE_CHAIR,
    "recording.you_said_we_did": CONFERENCE_CHAIR,
    # The conference's record for the case system, before retention: the coordinators
    "case_record.export": COORDINATOR_ONLY,
    # Worklists: each home shows what is waiting for that role; the lists behind the counts.
    "worklists.coordinator": staff(Role.COORDINATOR),
    "worklists.chair": staff(Role.CHAIR),  # their own conferences, calls and records only
    # Conferences held but not recorded: a chair sees theirs; the service manager (admin) all,
    # from the reports' warning.
    "worklists.unrecorded": staff(Role.COORDINATOR, Role.CHAIR, Role.ADMIN),
    "worklists.unconfirmed": staff(Role.COORDINATOR),
    "worklists.links": staff(Role.COORDINATOR),
    "worklists.needs": staff(Role.COORDINATOR),
    "worklists.records_due": staff(Role.COORDINATOR),  # records to download before retention
    "worklists.reviews_due": staff(Role.COORDINATOR),  # names children: coordinators only
    # Tasks: the chair of the conference records their call; a coordinator what they arranged.
    "worklists.record_contact": CONFERENCE_CHAIR,
    "worklists.arrange": COORDINATOR_ONLY,
    # Someone may be in danger now: the coordinators and admins, and the conference's own chair
    "safety.index": staff(Role.COORDINATOR, Role.CHAIR, Role.ADMIN),
    # Texts from a number on no one's record, or several: no conference, so no chair's
    "safety.texts_to_no_one": staff(Role.COORDINATOR, Role.ADMIN),
    "safety.show": staff(Role.COORDINATOR, Role.CHAIR, Role.ADMIN, owner=may_see_alert),
    "safety.acknowledge": staff(Role.COORDINATOR, Role.CHAIR, Role.ADMIN, owner=may_see_alert),
    "safety.close": staff(Role.COORDINATOR, Role.CHAIR, Role.ADMIN, owner=may_see_alert),
    # Aggregate figures: no names, no case references (the participation team, managers)
    "reports.index": REPORT_READERS,
    "reports.participation": REPORT_READERS,
    "reports.participation_export": REPORT_READERS,
    "reports.feedback": REPORT_READERS,
    "reports.feedback_export": REPORT_READERS,
    "reports.activity": REPORT_READERS,
    "reports.activity_export": REPORT_READERS,
    "reports.annual": REPORT_READERS,
    "reports.annual_document": REPORT_READERS,
    "reports.annual_words": REPORT_READERS,
    # Other areas' figures and the child population: admins enter them (issue 23)
    "reports.annual_comparators": staff(Role.ADMIN),
    "reports.annual_comparator_save": staff(Role.ADMIN),
    "reports.annual_comparators_import": staff(Role.ADMIN),
    "reports.annual_population": staff(Role.ADMIN),
    # Case references of plans open over 10 months: for the service manager (admin) only
    "reports.long_plans": staff(Role.ADMIN),
    # Subject access requests: everything held about one family member, exported by an admin
    "subject_access.find": staff(Role.ADMIN),
    "subject_access.review": staff(Role.ADMIN),
    "subject_access.export": staff(Role.ADMIN),
    # Staff accounts: adding, disabling, ending sessions, resetting the second factor
    "staff_admin.accounts": staff(Role.ADMIN),
    "staff_admin.add_account": staff(Role.ADMIN),
    "staff_admin.account": staff(Role.ADMIN),
    "staff_admin.disable": staff(Role.ADMIN),
    "staff_admin.enable": staff(Role.ADMIN),
    "staff_admin.end_sessions": staff(Role.ADMIN),
    "staff_admin.reset_second_factor": staff(Role.ADMIN),
    "staff_admin.wider_access": staff(Role.ADMIN),
    "staff_admin.temporary_password": staff(Role.ADMIN),
}


# All a person with an admin's temporary password may do: choose their own, or sign out.
PASSWORD_CHANGE_FIRST = {"account.change_password", "auth.logout"}
