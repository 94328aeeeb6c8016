"""The issue's "done when", on the demo data itself: an advocate's record and a parent's portal
views both appear in the chair's pack; the chair records the conference that has just happened
and its feedback invitations are queued."""

from __future__ import annotations

from sqlalchemy import select

from portal.demo.featured import FEATURED
from portal.extensions import db
from portal.models import (
    Conference,
    ConferenceStatus,
    FormKind,
    Invitation,
    Message,
    MessageStatus,
    StaffUser,
)
from tests.pages import Page, PageClient


def _conference(reference: str) -> Conference:
    conference = db.session.scalar(select(Conference).where(Conference.case_reference == reference))
    assert conference is not None
    return conference


def _form_values(page: Page) -> dict[str, object]:
    """What the browser would send as the page stands: pre-filled inputs and ticked choices."""
    values: dict[str, object] = {}
    for field in page.soup.select("form input, form textarea"):
        name, kind = field.get("name"), field.get("type", "text")
        if not name or kind == "submit":
            continue
        if kind in ("radio", "checkbox") and not field.has_attr("checked"):
            continue
        value = field.get("value", field.get_text())
        values.setdefault(name, []).append(value)  # type: ignore[union-attr]
    return values


def test_the_demo_pack_holds_both_voices_and_the_chair_records_the_conference(app) -> None:
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    chair = db.session.scalar(select(StaffUser).where(StaffUser.email == "chair@heard.example"))
    client = PageClient(app.test_client())
    client.sign_in_as(chair)

    coming = _conference(FEATURED[0])
    pack = client.get(f"/conferences/{coming.id}/pack")
    assert pack.status == 200
    assert "Football on Saturdays" in pack.text  # the advocate's record of Maya's words
    assert "Maya is going to school every day now" in pack.text  # her mother's portal views
    drawing = pack.soup.select_one("img[src^='/attachments/']")
    assert drawing is not None
    image = client.get(drawing["src"])
    assert (image.status, image.response.mimetype) == (200, "image/png")

    just_held = _conference(FEATURED[1])
    url = f"/conferences/{just_held.id}/record"
    form = client.get(url)
    values = _form_values(form)
    for name in {field["name"] for field in form.soup.select("input[type=radio]")}:
        if name in values:
            continue  # pre-filled by the portal (the advocate's record suggests CP5)
        if name.endswith("-plan_outcome"):
            values[name] = "continued"
        elif name.endswith("-harm_category"):
            values[name] = "neglect"
        elif name.endswith("-attendance"):
            values[name] = "none"
        elif name.endswith("-attended"):
            values[name] = "no"
        elif name == "quorate":
            values[name] = "yes"
    assert values[f"child-{just_held.children[0].child_id}-code"] == ["CP5"]
    saved = client.post(url, values)
    assert saved.error_summary == []
    assert (saved.status, saved.location) == (303, f"/conferences/{just_held.id}")
    assert "Feedback invitations queued for 2 family members" in client.get(saved.location).text

    db.session.expire_all()
    assert just_held.status == ConferenceStatus.HELD
    feedback = db.session.scalars(
        select(Invitation).where(
            Invitation.conference_id == just_held.id, Invitation.form == FormKind.FEEDBACK
        )
    ).all()
    assert len(feedback) == 2
    queued = db.session.scalars(
        select(Message).where(Message.invitation_id.in_([i.id for i in feedback]))
    ).all()
    assert [m.status for m in queued] == [MessageStatus.QUEUED] * 2
