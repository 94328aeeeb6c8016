"""A child draws in each house of the Three Houses (issue 20): the drawing comes with the
answer's own POST, is checked, cleaned and sealed as an advocate's upload is, can be kept,
replaced or removed, and is shown (each view audited) where staff read the child's words."""

from __future__ import annotations

import base64
import os
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image, ImageDraw, PngImagePlugin
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from portal.attachments import read_stored
from portal.extensions import db
from portal.family_forms.childrens_questions import CHILD_VIEWS
from portal.family_forms.drawings import DRAWING_MAX_BYTES, cleaned_drawing
from portal.family_forms.services import save_answer
from portal.models import AuditEvent, ConferenceChild, Drawing, FormResponse, Role
from tests.integration.family_forms.test_childrens_forms import _child_with_own_link
from tests.pages import PageClient

PREFIX = "data:image/png;base64,"


@pytest.fixture
def attachment_dir(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "attachments"
    monkeypatch.setitem(app.config, "ATTACHMENT_DIR", str(folder))
    return folder


def drawn_png(size: tuple[int, int] = (800, 600), colour: str = "#1d70b8", **info: str) -> bytes:
    """A canvas's PNG: white paper and a stroke; ``info`` becomes text chunks (metadata)."""
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).line((100, 200, 400, 250), fill=colour, width=8)
    chunks = PngImagePlugin.PngInfo()
    for key, value in info.items():
        chunks.add_text(key, value)
    out = BytesIO()
    image.save(out, "PNG", pnginfo=chunks)
    return out.getvalue()


def as_url(data: bytes) -> str:
    return PREFIX + base64.b64encode(data).decode()


def _three_houses(client: PageClient, chair=None) -> int:
    conference = _child_with_own_link(client, 7, chair=chair)
    client.submit("/your-say/start", on="/your-say/")
    return conference.id


def _drawings() -> list[Drawing]:
    return list(db.session.scalars(select(Drawing).order_by(Drawing.id)))


def test_the_houses_offer_a_drawing_pad_and_other_pages_load_nothing_of_it(
    client: PageClient,
) -> None:
    _three_houses(client)
    for house in ("good_things", "worries", "wishes"):
        page = client.get(f"/your-say/q/{house}")
        pad = page.soup.select_one("[data-heard-draw]")
        assert pad is not None
        assert pad.has_attr("hidden")  # shown by the script only
        canvas = pad.select_one("canvas")
        assert canvas["role"] == "img"
        assert canvas["aria-label"] == "A drawing by Ivy"
        assert [b.get_text(strip=True) for b in pad.select("button")] == [
            *("Black", "Blue", "Red", "Green", "Purple", "Eraser", "Undo", "Clear"),
        ]
        assert page.soup.select_one('script[src*="/static/dist/draw."][src$=".mjs"]') is not None
        assert page.soup.select_one("input[type=hidden][name=drawing]") is not None
    for other in ("danger_now", "feel_at_home", "helper"):
        page = client.get(f"/your-say/q/{other}")
        assert page.soup.select_one('script[src*="/draw."]') is None
        assert page.soup.select_one("[data-heard-draw]") is None


def test_a_drawing_is_cleaned_sealed_and_kept_with_the_answer(
    client: PageClient, attachment_dir: Path
) -> None:
    _three_houses(client)
    sent = drawn_png(Comment="secret GPS 51.5,-0.1")
    saved = client.submit("/your-say/q/good_things", {"text": "My dog", "drawing": as_url(sent)})
    assert saved.status == 302
    (drawing,) = _drawings()
    assert drawing.answer.value == {"text": "My dog"}
    on_disk = (attachment_dir / drawing.storage_name).read_bytes()
    assert b"\x89PNG" not in on_disk  # sealed
    assert b"IDAT" not in on_disk
    kept = read_stored(attachment_dir, drawing.storage_name)
    assert kept is not None
    assert kept.startswith(b"\x89PNG")
    assert b"secret GPS" not in kept  # cleaned: the pixels only
    assert Image.open(BytesIO(kept)).size == (800, 600)
    assert drawing.byte_size == len(kept) <= DRAWING_MAX_BYTES
    # Back on the page: the drawing is shown, to keep or remove; the child's own only.
    page = client.get("/your-say/q/good_things")
    image = page.soup.select_one("img.heard-draw__kept")
    assert image["alt"] == "A drawing by Ivy"
    assert client.get(image["src"]).response.get_data() == kept
    assert client.get("/your-say/q/worries/drawing").status == 404


def test_keep_replace_and_remove(client: PageClient, attachment_dir: Path) -> None:
    _three_houses(client)
    client.submit("/your-say/q/wishes", {"drawing": as_url(drawn_png())})
    (first,) = _drawings()
    first_file = first.storage_name
    assert client.submit("/your-say/q/wishes", {"text": "A bigger bed"}).status == 302
    (kept,) = _drawings()
    assert kept.storage_name == first_file  # sent nothing: kept as it was
    client.submit("/your-say/q/wishes", {"drawing": as_url(drawn_png(colour="#d4351c"))})
    (replaced,) = _drawings()
    assert replaced.storage_name != first_file
    assert not (attachment_dir / first_file).exists()  # no file left behind
    client.submit("/your-say/q/wishes", {"text": "A bigger bed", "remove_drawing": "y"})
    assert _drawings() == []
    assert os.listdir(attachment_dir) == []


@pytest.mark.parametrize(
    ("drawing", "message"),
    [
        ("data:image/jpeg;base64,/9j/4AAQ", "The drawing could not be saved. Try drawing it again"),
        (PREFIX + "not base64!", "The drawing could not be saved. Try drawing it again"),
        (  # a JPEG claiming to be a PNG
            PREFIX + base64.b64encode(b"\xff\xd8\xff\xe0" + b"0" * 100).decode(),
            "The drawing could not be saved. Try drawing it again",
        ),
        (  # a PNG's signature, then nothing a PNG holds
            PREFIX + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 100).decode(),
            "The drawing could not be saved. Try drawing it again",
        ),
        (PREFIX, "The drawing could not be saved. Try drawing it again"),
    ],
    ids=["jpeg-url", "not-base64", "jpeg-inside", "broken-png", "empty-png"],
)
def test_anything_but_a_real_png_is_refused_in_words(
    client: PageClient, attachment_dir: Path, drawing: str, message: str
) -> None:
    _three_houses(client)
    refused = client.submit("/your-say/q/worries", {"text": "Shouting", "drawing": drawing})
    assert refused.status == 400
    assert refused.error_summary == [message]
    assert refused.soup.select_one(".govuk-error-summary a")["href"] == "#drawing"
    assert _drawings() == []
    assert not attachment_dir.exists() or os.listdir(attachment_dir) == []


def _noise_png(size: tuple[int, int]) -> bytes:
    out = BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "png",
    [_noise_png((400, 300)), drawn_png(size=(2000, 100)), drawn_png(size=(7000, 7000))],
    ids=["over-300-kb", "too-wide", "160-kb-of-49-megapixels"],
)
def test_a_drawing_too_big_is_refused(client: PageClient, attachment_dir: Path, png) -> None:
    _three_houses(client)
    refused = client.submit("/your-say/q/worries", {"drawing": as_url(png)})
    assert refused.status == 400
    assert refused.error_summary == [
        "The drawing is too big to save. Press Clear and draw it again"
    ]
    assert _drawings() == []


def test_the_pack_shows_the_drawing_beside_the_words_and_audits_each_view(
    client: PageClient, signed_in, attachment_dir: Path
) -> None:
    from tests.factories import make_staff

    chair = make_staff(Role.CHAIR)
    conference_id = _three_houses(client, chair=chair)
    client.submit("/your-say/q/good_things", {"text": "My dog", "drawing": as_url(drawn_png())})
    (drawing,) = _drawings()
    drawing_url = f"/conferences/{conference_id}/drawings/{drawing.id}"
    chair_page = signed_in(Role.CHAIR, chair)
    assert chair_page.get(drawing_url).status == 404  # not sent yet: not shown yet
    client.submit("/your-say/q/danger_now", {"choice": "no"})
    client.submit("/your-say/q/feel_at_home", {"choice": "happy"})
    client.submit("/your-say/q/feel_at_school", {"choice": "calm"})
    assert client.submit("/your-say/check").location == "/your-say/done"

    pack = chair_page.get(f"/conferences/{conference_id}/pack")
    image = pack.soup.select_one("img.heard-drawing")
    assert image["alt"] == "A drawing by Ivy"
    assert image["src"] == drawing_url
    row = image.find_parent(class_="govuk-summary-list__row")
    assert "My dog" in row.get_text()  # beside the words the helper wrote
    db.session.execute(AuditEvent.__table__.delete())
    db.session.commit()
    shown = chair_page.get(drawing_url)
    assert shown.status == 200
    assert shown.response.mimetype == "image/png"
    assert shown.response.get_data() == read_stored(attachment_dir, drawing.storage_name)
    events = [
        (e.action.value, e.record_type, e.record_id, e.conference_id)
        for e in db.session.scalars(select(AuditEvent))
    ]
    assert events == [("view", "drawing", drawing.id, conference_id)]
    views = signed_in(Role.COORDINATOR).get(f"/conferences/{conference_id}/family-views")
    assert views.soup.select_one("img.heard-drawing")["src"] == drawing_url
    assert chair_page.get(f"/conferences/{conference_id}/drawings/{drawing.id + 1}").status == 404


def test_taking_the_child_off_the_conference_deletes_the_drawings_file(
    client: PageClient, signed_in, attachment_dir: Path
) -> None:
    conference_id = _three_houses(client)
    client.submit("/your-say/q/good_things", {"text": "My dog", "drawing": as_url(drawn_png())})
    (drawing,) = _drawings()
    assert (attachment_dir / drawing.storage_name).exists()
    child_id = db.session.scalar(
        select(ConferenceChild.child_id).where(ConferenceChild.conference_id == conference_id)
    )
    url = f"/conferences/{conference_id}/children/{child_id}/remove"
    assert signed_in(Role.COORDINATOR).submit(url).status == 302
    assert _drawings() == []
    assert os.listdir(attachment_dir) == []  # no file left that nothing could find


def test_a_drawing_whose_answer_is_not_saved_leaves_no_file(
    app: Flask, client: PageClient, attachment_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _three_houses(client)
    response = db.session.scalar(select(FormResponse))
    question = next(q for q in CHILD_VIEWS.questions if q.id == "wishes")
    cleaned = cleaned_drawing(as_url(drawn_png()))

    def lost() -> None:
        raise OperationalError("COMMIT", {}, Exception("the connection was lost"))

    with app.test_request_context("/your-say/q/wishes"):
        monkeypatch.setattr(db.session, "commit", lost)
        with pytest.raises(OperationalError):
            save_answer(response, question, {"text": "A bigger bed"}, cleaned)
        monkeypatch.undo()
        db.session.rollback()
    assert _drawings() == []
    assert os.listdir(attachment_dir) == []
