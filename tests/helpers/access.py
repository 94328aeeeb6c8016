"""The access policy test's world (tests/integration/auth/test_access_policy.py): the kinds of
visitor, what each may do (EXPECTED), and records to visit, with words written into them that
only some visitors may read. The abuse and headers tests walk the same world.

The expectations are written from the design (who may do what), independently of the policy
table in portal/auth/access.py, so a wrong line in either one fails the access policy test.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from portal.extensions import db
from portal.link_tokens import token_for
from portal.models import AlertSource, Relationship, Role
from portal.safety.raising import raise_alert
from tests.factories import (
    add_advocate_record,
    add_attachment,
    add_child,
    add_contactable_member,
    add_drawing,
    add_entry_given_another_way,
    add_family_member,
    add_form_response,
    add_task,
    make_conference,
    make_staff,
    refer,
)
from tests.pages import PageClient

ANONYMOUS = "anonymous"
OWNING_CHAIR = "chair who chairs it"
OTHER_CHAIR = "chair who does not"
OWNING_ADVOCATE = "advocate assigned the child"
OTHER_ADVOCATE = "advocate who is not"
ADVOCACY_MANAGER = "advocacy manager"
# Two adults, each with their own link opened in their browser; family B's is another conference.
FAMILY_A = "family A with their link open"
FAMILY_B = "family B (another conference) with their link open"
FAMILIES = {FAMILY_A, FAMILY_B}
NOT_SIGNED_IN = {ANONYMOUS} | FAMILIES
EVERYONE = {
    ANONYMOUS,
    Role.ADMIN,
    Role.COORDINATOR,
    OWNING_CHAIR,
    OTHER_CHAIR,
    OWNING_ADVOCATE,
    OTHER_ADVOCATE,
    ADVOCACY_MANAGER,
    Role.PARTICIPATION_OFFICER,
    FAMILY_A,
    FAMILY_B,
}
STAFF = EVERYONE - NOT_SIGNED_IN
BOTH_CHAIRS = {OWNING_CHAIR, OTHER_CHAIR}
ADVOCATES = {OWNING_ADVOCATE, OTHER_ADVOCATE, ADVOCACY_MANAGER}

# endpoint -> (who may use it, who is told "not found" because the record is not theirs)
EXPECTED: dict[str, tuple[set[object], set[object]]] = {
    "static": (EVERYONE, set()),
    "site.home": (EVERYONE, set()),
    "site.healthz": (EVERYONE, set()),
    "site.readyz": (EVERYONE, set()),
    "site.accessibility": (EVERYONE, set()),
    "site.privacy": (EVERYONE, set()),
    "auth.login": (EVERYONE, set()),
    "language.switch": (EVERYONE, set()),
    "auth.logout": (STAFF, set()),
    # Without a password checked moments ago these send everyone to sign in (or home): no refusal
    "auth.second_factor": (EVERYONE, set()),
    "auth.set_up_second_factor": (EVERYONE, set()),
    # No URL names an account: each person reaches only their own
    "account.overview": (STAFF, set()),
    "account.change_password": (STAFF, set()),
    "account.mobile": (STAFF, set()),
    "account.two_factor": (STAFF, set()),
    "account.confirm_password": (STAFF, set()),
    "account.recovery_codes": (STAFF, set()),
    "account.sign_out_everywhere": (STAFF, set()),
    "account.keep_alive": (STAFF, set()),
    "site.dashboard": (STAFF, set()),
    "conferences.index": ({Role.COORDINATOR} | BOTH_CHAIRS, set()),
    "conferences.new": ({Role.COORDINATOR}, set()),
    "conferences.show": ({Role.COORDINATOR, OWNING_CHAIR}, {OTHER_CHAIR}),
    "conferences.edit": ({Role.COORDINATOR}, set()),
    "case_import.upload": ({Role.COORDINATOR}, set()),
    "conferences.set_up_review": ({Role.COORDINATOR}, set()),
    "people.add_child": ({Role.COORDINATOR}, set()),
    "people.edit_child": ({Role.COORDINATOR}, set()),
    "people.remove_child": ({Role.COORDINATOR}, set()),
    "people.add_family_member": ({Role.COORDINATOR}, set()),
    "people.edit_family_member": ({Role.COORDINATOR}, set()),
    "people.remove_family_member": ({Role.COORDINATOR}, set()),
    "people.confirm_contact": ({Role.COORDINATOR}, set()),
    "people.set_agreed_word": ({Role.COORDINATOR}, set()),
    "people.invite_young_person": ({Role.COORDINATOR}, set()),
    "people.from_case": ({Role.COORDINATOR}, set()),
    # Finding a person: coordinators; admins too, who merge two records of one person
    "directory.find": ({Role.COORDINATOR, Role.ADMIN}, set()),
    "directory.merge_records": ({Role.ADMIN}, set()),
    "audit.index": ({Role.ADMIN}, set()),
    "wording.index": ({Role.ADMIN}, set()),
    "wording.edit": ({Role.ADMIN}, set()),
    "delivery.conference": ({Role.COORDINATOR, OWNING_CHAIR}, {OTHER_CHAIR}),
    "family_answers.conference": ({Role.COORDINATOR, OWNING_CHAIR}, {OTHER_CHAIR}),
    "family_answers.drawing": ({Role.COORDINATOR, OWNING_CHAIR}, {OTHER_CHAIR}),
    # Views given another way: coordinators for anyone, the chair on their own conferences (not
    # one who only reads them all), an advocate for the young people assigned to them. The
    # member in the URL is a parent: not the owning advocate's to enter for.
    "on_behalf.people": (
        {Role.COORDINATOR, OWNING_CHAIR, OWNING_ADVOCATE},
        {OTHER_CHAIR, OTHER_ADVOCATE, ADVOCACY_MANAGER},
    ),
    "on_behalf.enter": (
        {Role.COORDINATOR, OWNING_CHAIR},
        {OTHER_CHAIR, OWNING_ADVOCATE, OTHER_ADVOCATE, ADVOCACY_MANAGER},
    ),
    "on_behalf.entered": (
        {Role.COORDINATOR, OWNING_CHAIR},
        {OTHER_CHAIR, OWNING_ADVOCATE, OTHER_ADVOCATE, ADVOCACY_MANAGER},
    ),
    "delivery.send_now": ({Role.COORDINATOR}, set()),
    "delivery.pause": ({Role.COORDINATOR}, set()),
    "delivery.switch_channel_view": ({Role.COORDINATOR}, set()),
    "delivery.failed": ({Role.COORDINATOR}, set()),
    "delivery.dev_outbox": ({Role.COORDINATOR, Role.ADMIN}, set()),
    # Without a live link (the token here opens nothing), everyone gets "link not working".
    "advocacy.caseload": (ADVOCATES, set()),
    "advocacy.referrals": ({ADVOCACY_MANAGER, Role.ADMIN}, set()),
    "advocacy.assign": ({ADVOCACY_MANAGER, Role.ADMIN}, set()),
    "advocacy.refer_child": ({Role.COORDINATOR}, set()),
    # The advocacy manager assigns children but reads only the ones assigned to them.
    "advocacy.record": ({OWNING_ADVOCATE}, {OTHER_ADVOCATE, ADVOCACY_MANAGER}),
    "advocacy.views": ({OWNING_ADVOCATE}, {OTHER_ADVOCATE, ADVOCACY_MANAGER}),
    "advocacy.add_contact": ({OWNING_ADVOCATE}, {OTHER_ADVOCATE, ADVOCACY_MANAGER}),
    "advocacy.add_attachment": ({OWNING_ADVOCATE}, {OTHER_ADVOCATE, ADVOCACY_MANAGER}),
    "advocacy.version": ({OWNING_ADVOCATE}, {OTHER_ADVOCATE, ADVOCACY_MANAGER}),
    "advocacy.attachment": (
        {OWNING_ADVOCATE, OWNING_CHAIR},
        {OTHER_ADVOCATE, ADVOCACY_MANAGER, OTHER_CHAIR},
    ),
    "pack.show": ({OWNING_CHAIR}, {OTHER_CHAIR}),
    "pack.mark_read": ({OWNING_CHAIR}, {OTHER_CHAIR}),
    "recording.record": ({OWNING_CHAIR}, {OTHER_CHAIR}),
    "recording.you_said_we_did": ({OWNING_CHAIR}, {OTHER_CHAIR}),
    # The record for the case system (every family's and child's words): the coordinators only
    "case_record.export": ({Role.COORDINATOR}, set()),
    # Each home is its role's own; the lists behind the coordinator's counts are theirs.
    "worklists.coordinator": ({Role.COORDINATOR}, set()),
    "worklists.chair": (BOTH_CHAIRS, set()),
    # Conferences held but not recorded: a chair sees their own; the service manager all.
    "worklists.unrecorded": ({Role.COORDINATOR, Role.ADMIN} | BOTH_CHAIRS, set()),
    "worklists.unconfirmed": ({Role.COORDINATOR}, set()),
    "worklists.links": ({Role.COORDINATOR}, set()),
    "worklists.needs": ({Role.COORDINATOR}, set()),
    "worklists.records_due": ({Role.COORDINATOR}, set()),
    "worklists.reviews_due": ({Role.COORDINATOR}, set()),
    # A call is recorded by the conference's own chair; help arranged by a coordinator.
    "worklists.record_contact": ({OWNING_CHAIR}, {OTHER_CHAIR}),
    "worklists.arrange": ({Role.COORDINATOR}, set()),
    # Someone may be in danger now: the coordinators and admins see every alert, a chair those
    # of the conferences they chair; nobody else, and no family.
    "safety.index": ({Role.COORDINATOR, Role.ADMIN} | BOTH_CHAIRS, set()),
    "safety.texts_to_no_one": ({Role.COORDINATOR, Role.ADMIN}, set()),
    "safety.show": ({Role.COORDINATOR, Role.ADMIN, OWNING_CHAIR}, {OTHER_CHAIR}),
    "safety.acknowledge": ({Role.COORDINATOR, Role.ADMIN, OWNING_CHAIR}, {OTHER_CHAIR}),
    "safety.close": ({Role.COORDINATOR, Role.ADMIN, OWNING_CHAIR}, {OTHER_CHAIR}),
    "reports.index": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.participation": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.participation_export": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.feedback": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.feedback_export": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.activity": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.activity_export": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.annual": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.annual_document": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.annual_words": ({Role.PARTICIPATION_OFFICER, Role.ADMIN}, set()),
    "reports.annual_comparators": ({Role.ADMIN}, set()),
    "reports.annual_comparator_save": ({Role.ADMIN}, set()),
    "reports.annual_comparators_import": ({Role.ADMIN}, set()),
    "reports.annual_population": ({Role.ADMIN}, set()),
    "reports.long_plans": ({Role.ADMIN}, set()),
    # A subject access request is the data protection lead's (admin) job: no one else exports.
    "subject_access.find": ({Role.ADMIN}, set()),
    "subject_access.review": ({Role.ADMIN}, set()),
    "subject_access.export": ({Role.ADMIN}, set()),
    "staff_admin.accounts": ({Role.ADMIN}, set()),
    "staff_admin.add_account": ({Role.ADMIN}, set()),
    "staff_admin.account": ({Role.ADMIN}, set()),
    "staff_admin.disable": ({Role.ADMIN}, set()),
    "staff_admin.enable": ({Role.ADMIN}, set()),
    "staff_admin.end_sessions": ({Role.ADMIN}, set()),
    "staff_admin.reset_second_factor": ({Role.ADMIN}, set()),
    "staff_admin.wider_access": ({Role.ADMIN}, set()),
    "staff_admin.temporary_password": ({Role.ADMIN}, set()),
    # The token in the URL opens nothing, and no code is awaited: "link not working" for all.
    # The family pages are for the two families whose own link is open in their browser.
    "links.open_link": (set(), EVERYONE),
    "links.enter_code": (set(), EVERYONE),
    "links.enter_word": (set(), EVERYONE),
    "family_forms.landing": (FAMILIES, EVERYONE - FAMILIES),
    # A child's note, on the child's own link only: families A and B are adults, with none.
    # Young people, and a sibling's note, in tests/integration/family_forms/test_meeting_note.py.
    "family_forms.note": (set(), EVERYONE),
    "family_forms.start": (FAMILIES, EVERYONE - FAMILIES),
    "family_forms.question": (FAMILIES, EVERYONE - FAMILIES),
    # A child's drawing, on the child's own link only: families A and B are adults, with none.
    # The child's own, in tests/integration/family_forms/test_drawings.py.
    "family_forms.drawing": (set(), EVERYONE),
    "family_forms.check": (FAMILIES, EVERYONE - FAMILIES),
    "family_forms.help_now": (FAMILIES, EVERYONE - FAMILIES),
    "family_forms.done": (FAMILIES, EVERYONE - FAMILIES),
    "family_forms.finish_for_now": (FAMILIES, EVERYONE - FAMILIES),
    # Exit this page and the page after "Finish for now" are safe for anyone: they show nothing
    # saved, and Exit only ever ends a visit (a member of staff's own sign-in is kept).
    "family_visit.exit": (EVERYONE, set()),
    "family_visit.finished": (EVERYONE, set()),
    "family_forms.keep_alive": (FAMILIES, EVERYONE - FAMILIES),
}
# Twilio's and Notify's callbacks: without the provider's signature or bearer token, refused to
# everyone, signed in or not.
SIGNED_BY_PROVIDER_ONLY = {
    "webhooks.twilio_status",
    "webhooks.twilio_inbound",
    "notify_webhooks.notify_status",
    "notify_webhooks.notify_inbound",
}

# Words written into one record each: the access policy test's MARKERS say who may read each.
FAMILY_A_WORDS = "Quorlattice"  # in family A's answers, not sent yet
SENT_WORDS = "Halvorpine"  # in the sent answers of another adult on family A's conference
FAMILY_B_WORDS = "Brindlewhorl"  # in family B's answers
SECOND_CHILD = "Zennorvale"  # the surname of the second conference's child
SECOND_RECORD_WORDS = "Mirthquell"  # what that child told their own advocate
CHAIR_ONLY_WORDS = "Larchsprocket"  # the first child's wishes, shared with the chair only
CHAIR_ONLY_ANSWER = "Vostrelline"  # the first child's own answer for the chair only
ENTERED_WORDS = "Pellucidore"  # an adult's views given by phone, entered by a coordinator


def world_of_records() -> tuple[dict[str, object], Callable[[object], PageClient]]:
    """One conference with a child, a family member, a referral, a record and an attachment;
    the URL values that reach them; and a way to get a client signed in as each of EVERYONE
    (for a family, with their own link opened)."""
    values, _, client_for = worlds_of_records()
    return values, client_for


def worlds_of_records() -> tuple[
    dict[str, object], dict[str, object], Callable[[object], PageClient]
]:
    """world_of_records() with a second conference (its own chair, advocate, child and family
    B), the URL values that reach its records, and every record holding the words above."""
    owning_chair, other_chair = make_staff(Role.CHAIR), make_staff(Role.CHAIR)
    owning_advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(chair=owning_chair)
    child = add_child(conference)
    member = add_family_member(conference)
    referral = refer(conference, child, owning_advocate)
    add_advocate_record(referral, wishes=f"To see {CHAIR_ONLY_WORDS} more", sharing={})
    add_entry_given_another_way(
        conference,
        member,
        {"going_well": {"text": f"{ENTERED_WORDS} by phone"}},
        entered_by=make_staff(Role.COORDINATOR),
    )
    attachment = add_attachment(referral)
    family_a = add_form_response(
        conference,
        add_contactable_member(conference, first_name="Alex"),
        {"going_well": {"text": f"{FAMILY_A_WORDS} is going well"}},
        submitted=False,
    )
    add_form_response(
        conference,
        add_contactable_member(conference, first_name="Charlie"),
        {"going_well": {"text": f"{SENT_WORDS} is going well"}},
    )
    young_person = add_contactable_member(
        conference, first_name="Sam", relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    drawing = add_drawing(
        add_form_response(
            conference, young_person, {"chair_only": {"text": f"{CHAIR_ONLY_ANSWER} at home"}}
        ),
        "good_things",
    )
    call = add_task(conference, member, "speak_to_chair")
    need = add_task(conference, member, "interpreter", detail="Polish")
    alert = raise_alert(
        conference,
        AlertSource.DANGER_ANSWER,
        family_member=family_a.invitation.family_member,  # type: ignore[attr-defined]
        form_response=family_a,  # type: ignore[arg-type]
    )
    db.session.commit()
    second_values, family_b = _second_conference()
    invitations = {FAMILY_A: family_a.invitation, FAMILY_B: family_b.invitation}
    values = {
        "conference_id": conference.id,
        "child_id": child.id,
        "referral_id": referral.id,
        "attachment_id": attachment.id,
        "drawing_id": drawing.id,
        "version": 1,
        "fmt": "csv",
        "document": "docx",
        "member_id": member.id,
        "filename": "govuk/heard.min.css",
        "token": "A" * 22,
        "kind": "views_invitation",
        "channel": "sms",
        "language": "pl",  # a family language the wording page edits (en, pl by default)
        "question_id": "why_meeting",
        "form": "views",
        "staff_id": other_chair.id,  # an admin's staff account pages act on this account
        "call_id": call.id,
        "task_id": need.id,
        "alert_id": alert.id if alert else 0,
    }
    known = {OWNING_CHAIR: owning_chair, OTHER_CHAIR: other_chair, OWNING_ADVOCATE: owning_advocate}

    def client_for(who: object) -> PageClient:
        client = PageClient(current_app.test_client())
        if who in known:
            client.sign_in_as(known[who])
        elif who == OTHER_ADVOCATE:
            client.sign_in_as(make_staff(Role.ADVOCATE))
        elif who == ADVOCACY_MANAGER:
            client.sign_in_as(make_staff(Role.ADVOCATE, is_advocacy_manager=True))
        elif who in invitations:
            opened = client.submit(f"/r/{token_for(invitations[who].token_salt)}")
            assert opened.location == "/your-say/", f"{who}: the link did not open"
        elif who != ANONYMOUS:
            client.sign_in_as(make_staff(who))  # type: ignore[arg-type]
        return client

    return values, {**values, **second_values}, client_for


def _second_conference() -> tuple[dict[str, object], object]:
    """Another chair's conference: a child with their own advocate and record, a family member,
    and family B with answers; the URL values that reach them, and family B's answers."""
    conference = make_conference(chair=make_staff(Role.CHAIR))
    child = add_child(conference, first_name="Robin", last_name=SECOND_CHILD)
    member = add_family_member(conference, first_name="Sky")
    add_entry_given_another_way(
        conference, member, {"going_well": {"text": "Fine"}}, entered_by=make_staff(Role.CHAIR)
    )
    referral = refer(conference, child, make_staff(Role.ADVOCATE))
    add_advocate_record(referral, worries=f"When {SECOND_RECORD_WORDS} happens")
    attachment = add_attachment(referral)
    family_b = add_form_response(
        conference,
        add_contactable_member(conference, first_name="Bo"),
        {"going_well": {"text": f"{FAMILY_B_WORDS} is going well"}},
        submitted=False,
    )
    young_person = add_contactable_member(
        conference, first_name="Robin", relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    drawing = add_drawing(add_form_response(conference, young_person, {}), "good_things")
    values = {
        "conference_id": conference.id,
        "child_id": child.id,
        "member_id": member.id,
        "referral_id": referral.id,
        "attachment_id": attachment.id,
        "drawing_id": drawing.id,
        "call_id": add_task(conference, member, "speak_to_chair").id,
        "task_id": add_task(conference, member, "access").id,
    }
    return values, family_b
