"""The chair's pre-conference pack: everything said for one conference, what is missing, chair-only
words kept to the conference's own chair, "mark as read", and every view audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    Channel,
    ContactLogEntry,
    Message,
    MessageKind,
    MessageStatus,
    NotSeenReason,
    PackItemRead,
    RecordStatus,
    Relationship,
    Role,
    SharingLevel,
)
from tests.factories import (
    add_advocate_record,
    add_attachment,
    add_child,
    add_contactable_member,
    add_family_member,
    add_form_response,
    make_conference,
    make_staff,
    refer,
)
from tests.helpers.answers import VIEWS_ANSWERS, YOUNG_PERSON_ANSWERS

CHAIR_ONLY_WORDS = "I look after my brother when mum is tired"
CHAIR_ONLY_ANSWER = YOUNG_PERSON_ANSWERS["chair_only"]["text"]
CONCERN_NOTE = "Said an uncle visits at night"


def _born_years_ago(years: int) -> date:
    today = date.today()
    return date(today.year - years, today.month, 1) - timedelta(days=60)


def _pack_url(conference) -> str:
    return f"/conferences/{conference.id}/pack"


@pytest.fixture
def case():
    """A conference chaired by its own chair: a 12-year-old seen by an advocate, with a
    submitted record, their own form and attachments; a 6-year-old; a mother who sent her
    views; a father who has not been asked."""
    chair = make_staff(Role.CHAIR)
    advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(chair)
    older = add_child(conference, first_name="Maya", date_of_birth=_born_years_ago(12))
    younger = add_child(conference, first_name="Leo", date_of_birth=_born_years_ago(6))
    mother = add_contactable_member(conference, first_name="Sarah")
    father = add_family_member(conference, first_name="Daniel", relationship=Relationship.FATHER)
    own_contact = add_contactable_member(
        conference, first_name="Maya", relationship=Relationship.YOUNG_PERSON, child_id=older.id
    )
    add_form_response(conference, mother, VIEWS_ANSWERS)
    child_form = add_form_response(conference, own_contact, YOUNG_PERSON_ANSWERS)
    referral = refer(conference, older, advocate)
    db.session.add(
        ContactLogEntry(
            referral_id=referral.id, contact_on=date.today(), seen=True, place="At school"
        )
    )
    record = add_advocate_record(
        referral,
        conference_should_know=CHAIR_ONLY_WORDS,
        questions_for_chair="Will I have to move school?",
        scale=6,
        scale_reason="Better than before",
        safeguarding_concern_at=datetime.now(UTC),
        safeguarding_note=CONCERN_NOTE,
        sharing={
            "good_things": "family",
            "worries": "conference",
            "wishes": "family",
            "conference_should_know": "chair_only",
            "questions_for_chair": "conference",
            "scale": "conference",
            # "attendance" not chosen: the chair's only
        },
    )
    shared = add_attachment(referral, sharing=SharingLevel.CONFERENCE)
    secret = add_attachment(referral, content=b"%PDF-1.4 tiny", content_type="application/pdf")
    secret.sharing = SharingLevel.CHAIR_ONLY
    secret.description = "A letter to the chair"
    db.session.commit()
    return {
        "chair": chair,
        "advocate": advocate,
        "conference": conference,
        "older": older,
        "younger": younger,
        "mother": mother,
        "father": father,
        "own_contact": own_contact,
        "child_form": child_form,
        "referral": referral,
        "record": record,
        "shared": shared,
        "secret": secret,
    }


def _sections(page) -> dict[str, str]:
    """Each person's section of the pack: its heading, and its text."""
    return {
        " ".join(section.h2.get_text(" ").split()): " ".join(section.get_text(" ").split())
        for section in page.soup.select("section.heard-pack__person")
    }


def test_the_chair_reads_everyone_in_one_page(signed_in, case) -> None:
    page = signed_in(Role.CHAIR, case["chair"]).get(_pack_url(case["conference"]))
    assert page.status == 200
    assert page.h1 == case["conference"].case_reference
    sections = _sections(page)
    assert list(sections) == ["Maya Tester", "Leo Tester", "Sarah Tester", "Daniel Tester"]

    maya = sections["Maya Tester"]
    assert "Playing football with my cousin" in maya  # the advocate's record
    assert "6 out of 10" in maya
    assert "Better than before" in maya
    assert "Who may see this: Everyone at the conference, the family too" in maya
    assert "Who may see this: The chair and the professionals at the conference" in maya
    assert "Who may see this: The chair only" in maya
    assert YOUNG_PERSON_ANSWERS["going_well"]["text"] in maya  # her own form
    assert "Seen on" in maya
    assert "At school, alone" in maya
    assert "New safeguarding concern" in maya
    assert CONCERN_NOTE in maya
    image = page.soup.select_one(f"#attachment-{case['shared'].id} img")
    assert image["alt"] == "A drawing of my house"
    assert image["src"] == f"/attachments/{case['shared'].id}"
    letter = page.soup.select_one(f"#attachment-{case['secret'].id} a")
    assert letter["href"] == f"/attachments/{case['secret'].id}"

    assert "Not referred to an advocate." in sections["Leo Tester"]
    sarah = sections["Sarah Tester"]
    assert VIEWS_ANSWERS["worries"]["text"] in sarah
    assert "Shared with the conference" in sarah
    assert "Not asked yet" in sections["Daniel Tester"]
    # A child's own contact record is not an adult of its own.
    assert "Maya Tester: views before" not in sarah


def test_the_pack_is_linked_from_the_conference_for_its_chair(signed_in, case) -> None:
    conference = case["conference"]
    page = signed_in(Role.CHAIR, case["chair"]).get(f"/conferences/{conference.id}")
    assert page.link("Pre-conference pack") == _pack_url(conference)
    coordinator = signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}")
    assert "Pre-conference pack" not in coordinator.text


def test_what_is_missing(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair)
    add_child(conference, first_name="Ten", date_of_birth=_born_years_ago(10))
    tried = add_child(conference, first_name="Eleven", date_of_birth=_born_years_ago(11))
    add_child(conference, first_name="Five", date_of_birth=_born_years_ago(5))
    referral = refer(conference, tried, make_staff(Role.ADVOCATE))
    db.session.add(
        ContactLogEntry(
            referral_id=referral.id,
            contact_on=date.today(),
            seen=False,
            not_seen_reason=NotSeenReason.PARENT_REFUSED,
        )
    )
    add_advocate_record(referral, status=RecordStatus.DRAFT, submitted_at=None, version=0)
    mother = add_contactable_member(conference, first_name="Asked")
    add_form_response(conference, mother, {"why_meeting": {"choice": "yes"}}, submitted=False)
    add_family_member(conference, first_name="Never", relationship=Relationship.FATHER)
    db.session.add(
        Message(
            family_member_id=mother.id,
            conference_id=conference.id,
            kind=MessageKind.VIEWS_REMINDER,
            channel=Channel.SMS,
            to_address="+447700900123",
            body_text="x",
            status=MessageStatus.FAILED,
            failed_at=datetime.now(UTC),
        )
    )
    db.session.commit()

    page = signed_in(Role.CHAIR, chair).get(_pack_url(conference))
    summary = " ".join(page.soup.select_one(".heard-pack__missing").get_text(" ").split())
    assert "Asked Tester (mother): started, not sent yet" in summary
    assert "Never Tester (father): not asked yet" in summary
    assert "Asked Tester: views reminder by text message, failed" in summary
    assert "Children 10 or over not seen by an advocate" in summary
    assert "Ten Tester (aged 10): not referred to an advocate" in summary
    assert "Eleven Tester (aged 11): tried, not seen" in summary
    assert "Five Tester (aged 5)" not in summary
    assert "Children without an advocate's record" in summary
    assert "Eleven Tester: started, not submitted yet" in summary
    assert "Five Tester" not in summary


def test_nothing_missing_says_so(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair)
    add_child(conference, first_name="Baby", date_of_birth=_born_years_ago(1))
    page = signed_in(Role.CHAIR, chair).get(_pack_url(conference))
    assert "Nothing: everyone has sent their views" in page.text


def test_chair_only_words_are_for_the_conferences_own_chair_only(signed_in, case) -> None:
    url = _pack_url(case["conference"])
    own = signed_in(Role.CHAIR, case["chair"]).get(url)
    for words in (CHAIR_ONLY_WORDS, CHAIR_ONLY_ANSWER, CONCERN_NOTE, "A letter to the chair"):
        assert words in own.text
    assert f"/attachments/{case['secret'].id}" in own.response.get_data(as_text=True)

    see_all = make_staff(Role.CHAIR, sees_all_conferences=True)
    other = signed_in(Role.CHAIR, see_all).get(url)
    assert other.status == 200
    html = other.response.get_data(as_text=True)
    hidden = (CHAIR_ONLY_WORDS, CHAIR_ONLY_ANSWER, CONCERN_NOTE, "Wants the advocate")
    for words in (*hidden, "A letter to the chair"):
        assert words not in html
    assert f"/attachments/{case['secret'].id}" not in html
    assert "Only the chair of this conference can read this." in other.text
    # What the child shared with the conference is theirs to read.
    assert "Playing football with my cousin" in other.text
    assert "New safeguarding concern" in other.text
    assert f"/attachments/{case['shared'].id}" in html
    # Nor can they mark what they cannot read.
    refused = signed_in(Role.CHAIR, see_all).submit(
        f"{url}/read", {"item_type": "attachment", "item_id": case["secret"].id}, on=url
    )
    assert refused.status == 404


def test_drafts_are_never_shown(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair)
    child = add_child(conference, date_of_birth=_born_years_ago(13))
    referral = refer(conference, child, make_staff(Role.ADVOCATE))
    draft = add_advocate_record(
        referral, status=RecordStatus.DRAFT, submitted_at=None, version=0, worries="Draft words"
    )
    attachment = add_attachment(referral)
    url = _pack_url(conference)
    page = signed_in(Role.CHAIR, chair).get(url)
    html = page.response.get_data(as_text=True)
    assert "Draft words" not in html
    assert "Playing football with my cousin" not in html
    assert f"/attachments/{attachment.id}" not in html
    assert "The advocate has started a record but not submitted it yet." in page.text
    for item_type, item_id in (("advocate_record", draft.id), ("attachment", attachment.id)):
        marked = signed_in(Role.CHAIR, chair).submit(
            f"{url}/read", {"item_type": item_type, "item_id": item_id}, on=url
        )
        assert marked.status == 404


def test_another_chair_cannot_open_or_mark_the_pack(signed_in, case) -> None:
    url = _pack_url(case["conference"])
    chair_y = signed_in(Role.CHAIR)
    assert chair_y.get(url).status == 404
    marked = chair_y.submit(
        f"{url}/read",
        {"item_type": "advocate_record", "item_id": case["record"].id},
        on="/conferences/",
    )
    assert marked.status == 404
    assert db.session.scalar(select(func.count(PackItemRead.id))) == 0


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADVOCATE, Role.PARTICIPATION_OFFICER])
def test_other_roles_are_refused(signed_in, case, role) -> None:
    url = _pack_url(case["conference"])
    reader = signed_in(role)
    assert reader.get(url).status == 403
    assert reader.post(f"{url}/read", {"item_type": "attachment", "item_id": 1}).status == 403


def test_marking_read_is_idempotent_and_shows_the_date(signed_in, case) -> None:
    url = _pack_url(case["conference"])
    chair = signed_in(Role.CHAIR, case["chair"])
    record = case["record"]
    for _ in range(2):
        marked = chair.submit(
            f"{url}/read", {"item_type": "advocate_record", "item_id": record.id}, on=url
        )
        assert marked.status == 303
        assert marked.location == f"{url}#advocate-record-{record.id}-read"
    reads = db.session.scalars(select(PackItemRead)).all()
    assert [(r.item_type, r.item_id, r.read_by_id) for r in reads] == [
        ("advocate_record", record.id, case["chair"].id)
    ]
    page = chair.get(url)
    card = page.soup.select_one(f"#advocate-record-{record.id}")
    assert "Read on" in card.get_text()
    assert card.select_one("form.heard-pack__mark-read") is None
    # Every other item still has its button.
    for anchor in (
        f"form-response-{case['child_form'].id}",
        f"attachment-{case['shared'].id}",
        f"attachment-{case['secret'].id}",
    ):
        assert page.soup.select_one(f"#{anchor} form.heard-pack__mark-read") is not None, anchor
    for item_type, item in (("form_response", case["child_form"]), ("attachment", case["shared"])):
        done = chair.submit(f"{url}/read", {"item_type": item_type, "item_id": item.id}, on=url)
        assert done.status == 303
    assert db.session.scalar(select(func.count(PackItemRead.id))) == 3


def test_marking_read_says_so_in_a_success_banner_by_the_item(signed_in, case) -> None:
    """Issue 22: "Mark as read" gave no confirmation. After the redirect back to the item, a
    success banner (role alert) by that item says what was marked; the next view does not."""
    url = _pack_url(case["conference"])
    chair = signed_in(Role.CHAIR, case["chair"])
    record = case["record"]
    marked = chair.submit(
        f"{url}/read", {"item_type": "advocate_record", "item_id": record.id}, on=url
    )
    assert marked.location == f"{url}#advocate-record-{record.id}-read"
    page = chair.get(url)
    banner = page.soup.select_one(f"#advocate-record-{record.id} .govuk-notification-banner")
    assert banner is not None
    assert banner["role"] == "alert"
    assert "govuk-notification-banner--success" in banner["class"]
    assert page.banners == [f"You marked {case['older'].full_name}'s advocate's record as read."]
    assert page.soup.select_one(".govuk-notification-banner__title").name == "h5"  # under h4
    assert chair.get(url).banners == []  # once


def test_a_record_submitted_again_after_reading_is_to_read_again(signed_in, case) -> None:
    url = _pack_url(case["conference"])
    chair = signed_in(Role.CHAIR, case["chair"])
    record = case["record"]
    data = {"item_type": "advocate_record", "item_id": record.id}
    assert chair.submit(f"{url}/read", data, on=url).status == 303
    first_read = db.session.scalars(select(PackItemRead)).one()
    first_read.read_at = datetime.now(UTC) - timedelta(hours=1)
    first_read = first_read.read_at
    record.submitted_at = datetime.now(UTC) - timedelta(minutes=30)  # the advocate edited it
    record.version = 2
    db.session.commit()

    card = chair.get(url).soup.select_one(f"#advocate-record-{record.id}")
    assert "Changed since you read it" in card.get_text()
    assert card.select_one("form.heard-pack__mark-read") is not None
    assert chair.submit(f"{url}/read", data, on=url).status == 303
    read = db.session.scalars(select(PackItemRead)).one()
    assert read.read_at > first_read
    card = chair.get(url).soup.select_one(f"#advocate-record-{record.id}")
    assert "Read on" in card.get_text()
    assert "Changed since you read it" not in card.get_text()


def test_an_item_of_another_conference_is_not_marked(signed_in, case) -> None:
    chair = case["chair"]
    elsewhere = make_conference(chair)
    child = add_child(elsewhere, date_of_birth=_born_years_ago(11))
    record = add_advocate_record(refer(elsewhere, child))
    member = add_contactable_member(elsewhere)
    response = add_form_response(elsewhere, member, VIEWS_ANSWERS)
    url = _pack_url(case["conference"])
    client = signed_in(Role.CHAIR, chair)
    for item_type, item_id in (
        ("advocate_record", record.id),
        ("form_response", response.id),
        ("attachment", 999999),
    ):
        page = client.submit(f"{url}/read", {"item_type": item_type, "item_id": item_id}, on=url)
        assert page.status == 404, item_type
    assert db.session.scalar(select(func.count(PackItemRead.id))) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"item_type": "child", "item_id": "1"}, "That is not an item of the pack"),
        ({"item_type": "attachment"}, "Say which item to mark as read"),
        ({"item_type": "attachment", "item_id": "x"}, "That is not an item of the pack"),
        ({"item_type": "attachment", "item_id": ""}, "Say which item to mark as read"),
        ({"item_type": "attachment", "item_id": " "}, "Say which item to mark as read"),
        ({"item_type": "advocate_record", "item_id": " "}, "Say which item to mark as read"),
        ({"item_type": "attachment", "item_id": "0"}, "That is not an item of the pack"),
        ({"item_type": "attachment", "item_id": "99999999999"}, "That is not an item of the pack"),
        ({"item_id": "1"}, "Say what kind of item to mark as read"),
    ],
)
def test_bad_input_is_a_clear_400(signed_in, case, data, message) -> None:
    url = _pack_url(case["conference"])
    page = signed_in(Role.CHAIR, case["chair"]).submit(f"{url}/read", data, on=url)
    assert page.status == 400
    assert page.title.startswith("Error: ")
    assert message in page.error_summary
    assert db.session.scalar(select(func.count(PackItemRead.id))) == 0


def test_every_view_is_audited(signed_in, case) -> None:
    conference = case["conference"]
    signed_in(Role.CHAIR, case["chair"]).get(_pack_url(conference))
    viewed = set(
        db.session.execute(
            select(AuditEvent.record_type, AuditEvent.record_id).where(
                AuditEvent.action == AuditAction.VIEW,
                AuditEvent.conference_id == conference.id,
                AuditEvent.actor_id == case["chair"].id,
            )
        ).all()
    )
    assert viewed == {
        ("conference", conference.id),
        ("child", case["older"].id),
        ("child", case["younger"].id),
        ("family_member", case["mother"].id),
        ("family_member", case["father"].id),
        ("family_member", case["own_contact"].id),
        ("advocate_record", case["record"].id),
    }


def test_a_get_writes_nothing_but_audit_events(signed_in, case) -> None:
    before = db.session.scalar(select(func.count(PackItemRead.id)))
    signed_in(Role.CHAIR, case["chair"]).get(_pack_url(case["conference"]))
    assert db.session.scalar(select(func.count(PackItemRead.id))) == before


def test_the_pack_takes_few_queries(app, signed_in, case) -> None:
    """More people do not mean more queries per person (no N+1)."""
    from sqlalchemy import event

    def count_queries() -> int:
        statements: list[str] = []

        def before(conn, cursor, statement, *args) -> None:
            if statement.startswith("SELECT"):  # audit events are one row per person seen
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert signed_in(Role.CHAIR, case["chair"]).get(_pack_url(conference)).status == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return len(statements)

    conference = case["conference"]
    few = count_queries()
    for number in range(5):
        child = add_child(
            conference, first_name=f"Extra{number}", date_of_birth=_born_years_ago(11)
        )
        add_advocate_record(refer(conference, child, case["advocate"]))
        member = add_contactable_member(conference, first_name=f"Adult{number}")
        add_form_response(conference, member, VIEWS_ANSWERS)
    assert count_queries() <= few + 2


def test_a_concern_on_a_draft_shows_its_note_to_the_conferences_own_chair_only(
    signed_in,
) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair)
    child = add_child(conference, date_of_birth=_born_years_ago(13))
    referral = refer(conference, child, make_staff(Role.ADVOCATE))
    add_advocate_record(
        referral,
        status=RecordStatus.DRAFT,
        submitted_at=None,
        version=0,
        worries="Draft words",
        safeguarding_note=CONCERN_NOTE,
        safeguarding_concern_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
    )
    url = _pack_url(conference)

    own = signed_in(Role.CHAIR, chair).get(url)
    assert CONCERN_NOTE in own.text  # actionable now, before the advocate submits
    assert "Raised 2 March 2026" in own.text
    html = own.response.get_data(as_text=True)
    assert "Draft words" not in html  # nothing else of the draft
    assert "Playing football with my cousin" not in html

    every = signed_in(Role.CHAIR, make_staff(Role.CHAIR, sees_all_conferences=True)).get(url)
    assert every.status == 200
    assert "New safeguarding concern" in every.text
    assert CONCERN_NOTE not in every.response.get_data(as_text=True)
