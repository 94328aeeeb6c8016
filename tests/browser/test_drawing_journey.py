"""A child of 7 draws in the Three Houses on a phone (issue 20): with JavaScript at 375px, two
drawings made with the mouse on the canvas, one kept and one changed on the way back, and the
chair's pack showing both; without JavaScript, no canvas, and the form is sent all the same.
Each page is scanned by axe-core and must not scroll sideways."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.family_forms.drawings import DRAWING_MAX_BYTES
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import Drawing, FormKind, Relationship, Role
from tests.factories import add_child, add_contactable_member, make_conference, make_staff
from tests.helpers.browser import assert_accessible, no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _childs_link():
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    child = add_child(conference, first_name="Ivy", date_of_birth=date(date.today().year - 8, 1, 1))
    member = add_contactable_member(
        conference, first_name="Ivy", relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    return token_for(invitation.token_salt), conference.id, chair.email


def _draw(page, colour: str, shape: list[tuple[float, float]]) -> None:
    """Pick a colour, then draw through the points (fractions of the canvas) with the mouse."""
    page.get_by_role("button", name=colour, exact=True).click()
    canvas = page.locator("canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return box["x"] + point[0] * box["width"], box["y"] + point[1] * box["height"]

    page.mouse.move(*at(shape[0]))
    page.mouse.down()
    for point in shape[1:]:
        page.mouse.move(*at(point), steps=8)
    page.mouse.up()


def _finish(page, save) -> None:
    """From "Is someone hurting you" to "Check your answers": nothing drawn in the house of
    wishes (a drawing is never required)."""
    expect(page).to_have_url(re.compile(r"/q/danger_now$"))
    page.locator("input[name=choice][value=no]").check()
    save.click()
    expect(page).to_have_url(re.compile(r"/q/wishes$"))
    page.locator("#text").fill("A bigger bed")
    save.click()
    for question_id, feeling in (("feel_at_home", "happy"), ("feel_at_school", "worried")):
        expect(page).to_have_url(re.compile(f"/q/{question_id}$"))  # a picture answer
        page.locator(f"input[name=choice][value={feeling}]").check()
        save.click()
    for question_id in ("chair_only", "helper"):
        expect(page).to_have_url(re.compile(f"/q/{question_id}$"))
        save.click()
    expect(page).to_have_url(re.compile(r"/check$"))


def test_a_child_draws_in_two_houses_with_javascript_at_375(app, live_server, browser) -> None:
    token, conference_id, chair_email = _childs_link()
    context = browser.new_context(viewport={"width": 375, "height": 667})
    context.set_default_timeout(10_000)
    page = context.new_page()
    scanned: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    save = page.locator("main form:not([action]) button[type=submit]").first

    def look(name: str) -> None:
        assert_accessible(page, scanned)
        no_sideways_scroll(page)
        page.screenshot(path=ARTIFACTS / f"drawing-375-{name}.png", full_page=True)

    page.goto(f"{live_server}/r/{token}")
    page.locator("main .govuk-button").click()
    page.locator("form[action$='/start'] button").click()

    # The house of good things: a red house, then a blue sun; Undo takes the sun away.
    expect(page).to_have_url(re.compile(r"/q/good_things$"))
    canvas = page.locator("canvas")
    expect(canvas).to_be_visible()
    expect(canvas).to_have_attribute("aria-label", "A drawing by Ivy")
    expect(page.locator("#drawing-data")).to_have_value("")
    _draw(page, "Red", [(0.2, 0.8), (0.2, 0.4), (0.5, 0.15), (0.8, 0.4), (0.8, 0.8), (0.2, 0.8)])
    expect(page.get_by_role("button", name="Red", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    house = page.locator("#drawing-data").input_value()
    assert house.startswith("data:image/png;base64,")
    _draw(page, "Blue", [(0.85, 0.1), (0.95, 0.1), (0.95, 0.2), (0.85, 0.2)])
    sun = "[...document.querySelector('canvas').getContext('2d').getImageData(720, 60, 1, 1).data]"
    assert page.evaluate(sun) == [29, 112, 184, 255]  # blue
    assert page.locator("#drawing-data").input_value() != house
    page.get_by_role("button", name="Undo").click()
    assert page.evaluate(sun) == [255, 255, 255, 255]  # the sun is gone, the house stays
    assert page.locator("#drawing-data").input_value().startswith("data:image/png;base64,")
    page.locator("#text").fill("My dog Biscuit")
    look("good-things")
    save.click()

    # The house of worries: a green scribble, then the eraser through it.
    expect(page).to_have_url(re.compile(r"/q/worries$"))
    _draw(page, "Green", [(0.1, 0.5), (0.5, 0.3), (0.9, 0.6)])
    _draw(page, "Eraser", [(0.5, 0.1), (0.5, 0.9)])
    page.locator("#text").fill("When mum cries")
    save.click()

    _finish(page, save)

    # Changing an answer: the drawing is there to keep, replace or remove.
    page.locator("a[href*='/q/good_things?from=check']").click()
    kept = page.locator("img.heard-draw__kept")
    expect(kept).to_have_attribute("alt", "A drawing by Ivy")
    page.wait_for_function(
        "() => document.querySelector('img.heard-draw__kept').naturalWidth === 800"
    )
    expect(page.get_by_label("Remove this drawing")).not_to_be_checked()
    look("good-things-kept")
    save.click()
    expect(page).to_have_url(re.compile(r"/check$"))
    page.get_by_role("button", name="Send my answers").click()
    expect(page).to_have_url(re.compile(r"/done$"))

    drawings = list(db.session.scalars(select(Drawing).order_by(Drawing.id)))
    assert [d.answer.question_id for d in drawings] == ["good_things", "worries"]
    assert all(d.byte_size <= DRAWING_MAX_BYTES for d in drawings)
    print(  # noqa: T201 - the figure for the report
        f"\nsaved drawings: {[d.byte_size for d in drawings]} bytes"
    )

    # The chair's pack shows both, beside the words.
    chair = browser.new_context(viewport={"width": 375, "height": 667})
    chair.set_default_timeout(10_000)
    pack = chair.new_page()
    sign_in(pack, live_server, chair_email)
    pack.goto(f"{live_server}/conferences/{conference_id}/pack")
    images = pack.locator("img.heard-drawing")
    expect(images).to_have_count(2)
    for index in range(2):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        expect(image).to_have_attribute("alt", "A drawing by Ivy")
        pack.wait_for_function(
            "image => image.complete && image.naturalWidth === 800", arg=image.element_handle()
        )
    assert_accessible(pack, scanned)
    no_sideways_scroll(pack)
    pack.screenshot(path=ARTIFACTS / "drawing-375-pack.png", full_page=True)
    chair.close()
    context.close()


def test_without_javascript_there_is_no_canvas_and_the_form_is_sent(
    app, live_server, browser
) -> None:
    token, _, _ = _childs_link()
    context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    save = page.locator("main form:not([action]) button[type=submit]").first
    page.goto(f"{live_server}/r/{token}")
    page.locator("main .govuk-button").click()
    page.locator("form[action$='/start'] button").click()
    expect(page).to_have_url(re.compile(r"/q/good_things$"))
    expect(page.locator("canvas")).to_be_hidden()
    expect(page.get_by_role("button", name="Undo")).to_be_hidden()
    page.locator("#text").fill("My dog Biscuit")
    save.click()
    page.locator("#text").fill("When mum cries")
    save.click()
    _finish(page, save)
    page.get_by_role("button", name="Send my answers").click()
    expect(page).to_have_url(re.compile(r"/done$"))
    assert db.session.scalars(select(Drawing)).all() == []
    context.close()
