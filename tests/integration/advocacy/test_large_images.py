"""The largest photos (issue 15, finding 9): a ceiling a phone photo fits under, refused just
above it with the figure in the message, and the largest image accepted cleaned as any other
(no metadata, turned upright) within a memory budget, measured in a fresh process."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from bench.attachments import MEMORY_BUDGET_MB, clean_in_fresh_process, largest_accepted
from portal.attachments import MAX_PIXELS, MAX_PROGRESSIVE_SAMPLES, RefusedFile, clean
from portal.crypto import open_sealed
from portal.extensions import db
from portal.models import Attachment, Role
from tests.factories import add_child, make_conference, make_staff, refer

# 8000 x 6250 is exactly the ceiling; one row more is over it.
WIDTH, HEIGHT = 8000, 6250
TOO_LARGE = "The image is too large. Use a photo of 50 megapixels or less"


@pytest.fixture
def assigned(app, signed_in, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_DIR", str(tmp_path / "attachments"))
    advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(chair=make_staff(Role.CHAIR))
    return signed_in(Role.ADVOCATE, advocate), refer(conference, add_child(conference), advocate)


def _upload(client, referral, content: bytes, filename: str, content_type: str):
    url = f"/advocacy/referrals/{referral.id}/attachments/new"
    data = {
        "csrf_token": client.get(url).csrf_token(),
        "file": (BytesIO(content), filename, content_type),
        "description": "A drawing of my house",
        "sharing": "conference",
    }
    return client.post(url, data, content_type="multipart/form-data")


def _one_colour_jpeg(size: tuple[int, int]) -> bytes:
    """Cheap to make and small to send: a grey JPEG (one byte a pixel while it is built)."""
    out = BytesIO()
    Image.new("L", size, 128).save(out, "JPEG")
    return out.getvalue()


def test_the_ceiling_is_what_a_phone_photo_needs() -> None:
    assert MAX_PIXELS == WIDTH * HEIGHT == 50_000_000


def test_an_image_just_over_the_ceiling_is_refused_with_the_figure(assigned) -> None:
    client, referral = assigned
    page = _upload(client, referral, _one_colour_jpeg((WIDTH, HEIGHT + 1)), "big.jpg", "image/jpeg")
    assert page.status == 400
    assert page.error_summary == [TOO_LARGE]
    assert db.session.scalars(select(Attachment)).all() == []


def test_a_progressive_jpeg_has_a_ceiling_in_samples_and_says_its_own_figure() -> None:
    """libjpeg holds every sample of a progressive JPEG until its last scan: 50 MP in CMYK
    would take 500 MB, so a progressive JPEG is limited by samples, and told its own figure."""
    assert MAX_PROGRESSIVE_SAMPLES == 2 * MAX_PIXELS  # 50 MP in a camera's 4:2:2
    cmyk = Image.new("CMYK", (5000, 5000 + 1), (0, 0, 0, 255))
    out = BytesIO()
    cmyk.save(out, "JPEG", progressive=True)
    with pytest.raises(RefusedFile) as refused:
        clean(out.getvalue())
    assert str(refused.value) == "The image is too large. Use a photo of 25 megapixels or less"
    out = BytesIO()
    cmyk.crop((0, 0, 5000, 5000)).save(out, "JPEG", progressive=True)
    assert clean(out.getvalue()).content_type == "image/jpeg"
    phone = BytesIO()
    Image.new("RGB", (WIDTH, HEIGHT), "white").save(phone, "JPEG", progressive=True)
    assert clean(phone.getvalue()).content_type == "image/jpeg"  # 4:2:0: 1.5 samples a pixel


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_the_largest_image_accepted_is_kept_upright_and_without_metadata(
    assigned, app, kind
) -> None:
    """At the ceiling, turned by its EXIF (the camera was on its side) and carrying a location:
    kept at half its width and height (decoded at half size), upright, with no metadata."""
    client, referral = assigned
    original = largest_accepted(kind)
    with Image.open(BytesIO(original)) as before:
        assert before.size == (WIDTH, HEIGHT)
        assert before.getexif().get_ifd(0x8825)  # the file does carry a location
    page = _upload(client, referral, original, f"IMG_0001.{kind}", f"image/{kind}")
    assert page.status == 302, page.error_summary
    attachment = db.session.scalars(select(Attachment)).one()
    stored = Path(app.config["ATTACHMENT_DIR"]) / attachment.storage_name
    data = open_sealed(stored.read_bytes())
    with Image.open(BytesIO(data)) as after:
        assert after.format == kind.upper()
        assert after.size == (HEIGHT // 2, WIDTH // 2)  # turned as the camera said
        assert dict(after.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp"} & after.info.keys()
    for marker in [b"Exif", b"eXIf", b"PhoneMaker"]:
        assert marker not in data


@pytest.mark.parametrize("kind", ["cmyk-jpeg", "png", "progressive-jpeg", "progressive-cmyk"])
def test_the_largest_image_accepted_is_cleaned_within_the_memory_budget(tmp_path, kind) -> None:
    """In a fresh process, so nothing else this run did counts: the process's peak resident
    memory (VmHWM: Pillow's and libjpeg's buffers as well as Python's) stays under the budget.
    The kinds that need the most (bench/attachments.py measures the RGB JPEG too)."""
    path = tmp_path / kind
    path.write_bytes(largest_accepted(kind))
    measured = clean_in_fresh_process(path)
    assert measured.peak_mb < MEMORY_BUDGET_MB, measured
