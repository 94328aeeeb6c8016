"""Uploads: checked by content, cleaned of metadata and hidden payloads, stored outside static/
under a random name, and served only to those allowed, with headers that stop a browser doing
anything but show the file."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from sqlalchemy import func, select

from portal.attachments import content_hmac
from portal.crypto import is_sealed, open_sealed
from portal.extensions import db
from portal.models import (
    Attachment,
    AuditAction,
    AuditEvent,
    RecordStatus,
    Role,
    SharingLevel,
    utcnow,
)
from tests.factories import (
    add_advocate_record,
    add_attachment,
    add_child,
    make_conference,
    make_staff,
    refer,
)


@pytest.fixture
def attachment_dir(app, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "attachments"
    monkeypatch.setitem(app.config, "ATTACHMENT_DIR", str(folder))
    return folder


@pytest.fixture
def assigned(signed_in, attachment_dir):
    """(client, referral): an advocate signed in, with a child assigned to them."""
    advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(chair=make_staff(Role.CHAIR))
    referral = refer(conference, add_child(conference), advocate)
    return signed_in(Role.ADVOCATE, advocate), referral


def _upload(client, referral, content: bytes, filename: str, content_type: str, **fields):
    url = f"/advocacy/referrals/{referral.id}/attachments/new"
    token = client.get(url).csrf_token()
    data = {
        "csrf_token": token,
        "file": (BytesIO(content), filename, content_type),
        "description": "A drawing of my house",
        "sharing": "conference",
        **fields,
    }
    return client.post(url, data, content_type="multipart/form-data")


def _stored() -> tuple[Attachment, bytes]:
    from flask import current_app

    attachment = db.session.scalars(select(Attachment)).one()
    path = Path(current_app.config["ATTACHMENT_DIR"]) / attachment.storage_name
    sealed = path.read_bytes()
    assert is_sealed(sealed)  # the file on disk is a Fernet token, never the picture
    return attachment, open_sealed(sealed)


def _png(size=(30, 20), **save) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, "blue").save(out, "PNG", **save)
    return out.getvalue()


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update(
        {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}  # GPS latitude, longitude
    )
    out = BytesIO()
    Image.new("RGB", (40, 30), "red").save(
        out, "JPEG", exif=exif, icc_profile=b"profile-bytes" * 10
    )
    return out.getvalue()


def _pdf(*, javascript: bool = False, author: str | None = None, password: str | None = None):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if javascript:
        script = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello from the PDF');"),
            }
        )
        script_ref = writer._add_object(script)
        writer._root_object[NameObject("/OpenAction")] = script_ref
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {
                NameObject("/JavaScript"): DictionaryObject(
                    {NameObject("/Names"): ArrayObject([TextStringObject("run"), script_ref])}
                )
            }
        )
        writer.add_annotation(0, Link(rect=(0, 0, 50, 50), url="https://evil.example/"))
    if author:
        writer.add_metadata({"/Author": author})
    if password:
        writer.encrypt(password)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Refused -----------------------------------------------------------------------------


def test_an_oversized_file_is_refused_with_the_limit(assigned, app) -> None:
    client, referral = assigned
    too_big = _png() + b"\0" * app.config["ATTACHMENT_MAX_BYTES"]
    page = _upload(client, referral, too_big, "drawing.png", "image/png")
    assert page.status == 400
    assert page.error_summary == ["The file must be smaller than 10 MB"]
    assert db.session.scalars(select(Attachment)).all() == []


@pytest.mark.parametrize(
    ("content", "filename", "content_type"),
    [
        (b"Dear chair, I would like to say", "letter.txt", "text/plain"),
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 100,
            "drawing.png",
            "image/png",
        ),
        (b"<!DOCTYPE html><script>alert(1)</script>", "letter.jpg", "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "drawing.gif", "image/gif"),
    ],
    ids=["plain-text", "exe-named-png", "html-named-jpg", "gif"],
)
def test_a_file_that_is_not_a_jpeg_png_or_pdf_is_refused_whatever_its_name(
    assigned, attachment_dir, content, filename, content_type
) -> None:
    client, referral = assigned
    page = _upload(client, referral, content, filename, content_type)
    assert page.status == 400
    assert page.error_summary == ["The file must be a JPEG, PNG or PDF"]
    assert page.title.startswith("Error:")
    assert db.session.scalars(select(Attachment)).all() == []
    assert not attachment_dir.exists() or list(attachment_dir.iterdir()) == []


def test_a_damaged_image_an_encrypted_pdf_and_a_bomb_are_refused(assigned) -> None:
    client, referral = assigned
    damaged = _upload(client, referral, _png()[:40], "drawing.png", "image/png")
    assert damaged.error_summary == ["The image could not be opened. Check the file and try again"]
    locked = _upload(client, referral, _pdf(password="secret"), "letter.pdf", "application/pdf")
    assert locked.error_summary == [
        "The PDF is protected with a password. Upload a copy without a password"
    ]
    out = BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")  # 64 megapixels in a few kilobytes
    bomb = _upload(client, referral, out.getvalue(), "drawing.png", "image/png")
    assert bomb.error_summary == ["The image is too large. Use a photo of 50 megapixels or less"]
    assert db.session.scalars(select(Attachment)).all() == []


def test_the_form_asks_for_a_file_a_description_and_who_may_see_it(assigned) -> None:
    client, referral = assigned
    url = f"/advocacy/referrals/{referral.id}/attachments/new"
    page = client.post(
        url, {"csrf_token": client.get(url).csrf_token()}, content_type="multipart/form-data"
    )
    assert page.status == 400
    assert page.error_summary == [
        "Select a file",
        "Enter what the file is",
        "Select who may see this",
    ]


def test_a_body_over_the_request_limit_gets_a_clear_413_page(assigned, app, monkeypatch) -> None:
    client, referral = assigned
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 50_000)
    page = _upload(client, referral, b"\0" * 60_000, "drawing.png", "image/png")
    assert page.status == 413
    assert page.h1 == "The file must be smaller than 10 MB"


# --- Cleaned -----------------------------------------------------------------------------


def test_a_pdf_named_png_is_stored_and_served_as_a_pdf(assigned) -> None:
    client, referral = assigned
    page = _upload(client, referral, _pdf(), "drawing.png", "image/png")
    assert page.location == f"/advocacy/referrals/{referral.id}"
    attachment, data = _stored()
    assert attachment.content_type == "application/pdf"
    assert data.startswith(b"%PDF-")
    response = client.get(f"/attachments/{attachment.id}").response
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'inline; filename="attachment-{attachment.id}.pdf"'
    )


def test_a_photo_loses_its_gps_and_camera_details_and_is_turned_upright(assigned) -> None:
    client, referral = assigned
    original = _jpeg_with_gps()
    with Image.open(BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)  # the test file does carry a location
    page = _upload(client, referral, original, "IMG_0001.JPG", "image/jpeg")
    assert page.status == 302
    attachment, data = _stored()
    assert attachment.content_type == "image/jpeg"
    assert attachment.byte_size == len(data)
    # A keyed HMAC, not a plain hash: a dump does not confirm a guessed picture
    assert attachment.content_hmac == content_hmac(data)
    assert attachment.content_hmac != hashlib.sha256(data).hexdigest()
    assert len(attachment.storage_name) == 32
    assert "IMG" not in attachment.storage_name
    with Image.open(BytesIO(data)) as after:
        assert dict(after.getexif()) == {}
        assert after.getexif().get_ifd(0x8825) == {}
        assert "icc_profile" not in after.info
        assert "exif" not in after.info
        assert after.size == (30, 40)  # turned as the camera said, then the turn forgotten
    for marker in [b"Exif", b"PhoneMaker", b"ICC_PROFILE", b"profile-bytes"]:
        assert marker not in data


def test_a_png_loses_its_text_chunks(assigned) -> None:
    client, referral = assigned
    info = PngInfo()
    info.add_text("Location", "51.507, -0.127")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret</x:xmpmeta>")
    _upload(client, referral, _png(pnginfo=info), "drawing.png", "image/png")
    attachment, data = _stored()
    assert attachment.content_type == "image/png"
    for marker in [b"tEXt", b"iTXt", b"Location", b"xmpmeta"]:
        assert marker not in data


@pytest.mark.parametrize(
    ("make", "payload"),
    [
        (_jpeg_with_gps, b"PK\x03\x04\x14\x00\x00\x00\x08\x00evil.js" + b"\x00" * 30),
        (_png, b"<html><script>alert(document.cookie)</script></html>"),
    ],
    ids=["jpeg-plus-zip", "png-plus-html"],
)
def test_a_polyglots_second_half_is_not_kept(assigned, make, payload) -> None:
    client, referral = assigned
    page = _upload(client, referral, make() + payload, "drawing.jpg", "image/jpeg")
    assert page.status == 302
    _, data = _stored()
    assert payload not in data
    assert b"evil" not in data
    assert b"<script" not in data


def test_a_pdfs_javascript_open_action_links_and_metadata_are_removed(assigned) -> None:
    client, referral = assigned
    original = _pdf(javascript=True, author="Jo Tester")
    assert b"/OpenAction" in original
    assert b"/JavaScript" in original
    _upload(client, referral, original, "letter.pdf", "application/pdf")
    _, data = _stored()
    for marker in [b"/JavaScript", b"/OpenAction", b"/JS", b"/Annots", b"evil", b"Jo Tester"]:
        assert marker not in data, marker
    reader = PdfReader(BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root
    assert "/Names" not in root
    assert "/AcroForm" not in root
    assert "/Metadata" not in root
    assert not reader.metadata
    assert len(reader.pages) == 1
    assert "/Annots" not in reader.pages[0]


# --- Served ------------------------------------------------------------------------------


def test_the_file_is_served_with_headers_that_only_let_it_be_shown(assigned) -> None:
    client, referral = assigned
    attachment = add_attachment(referral)
    response = client.get(f"/attachments/{attachment.id}").response
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f'inline; filename="attachment-{attachment.id}.png"'
    )
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "script-src" not in policy
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "attachment")
    ).one()
    assert event.action == AuditAction.VIEW
    assert event.record_id == attachment.id
    assert event.conference_id == referral.conference_id


def test_a_file_missing_from_disk_is_not_found_not_an_error(assigned, attachment_dir) -> None:
    client, referral = assigned
    attachment = add_attachment(referral)
    (attachment_dir / attachment.storage_name).unlink()
    page = client.get(f"/attachments/{attachment.id}")
    assert page.status == 404
    assert page.h1 == "Page not found"


def test_the_chair_sees_the_file_but_another_chair_does_not(signed_in, assigned) -> None:
    _, referral = assigned
    add_advocate_record(referral)  # submitted: the files go to the chair with it
    attachment = add_attachment(referral, sharing=SharingLevel.CHAIR_ONLY)
    chair = referral.conference.chair
    assert signed_in(Role.CHAIR, chair).get(f"/attachments/{attachment.id}").status == 200
    assert signed_in(Role.CHAIR).get(f"/attachments/{attachment.id}").status == 404
    wide = make_staff(Role.CHAIR, sees_all_conferences=True)
    assert signed_in(Role.CHAIR, wide).get(f"/attachments/{attachment.id}").status == 404


@pytest.mark.parametrize("record", ["none", "draft"])
def test_no_chair_opens_a_file_before_the_record_is_submitted(signed_in, assigned, record) -> None:
    """The same rule as the pack: a file goes to the chair with the submitted record."""
    client, referral = assigned
    if record == "draft":
        add_advocate_record(referral, status=RecordStatus.DRAFT, version=0, submitted_at=None)
    shared = add_attachment(referral, sharing=SharingLevel.CONFERENCE)
    chair_only = add_attachment(referral, sharing=SharingLevel.CHAIR_ONLY)
    chair = signed_in(Role.CHAIR, referral.conference.chair)
    wide = signed_in(Role.CHAIR, make_staff(Role.CHAIR, sees_all_conferences=True))
    for attachment in (shared, chair_only):
        url = f"/attachments/{attachment.id}"
        assert chair.get(url).status == 404
        assert wide.get(url).status == 404
        assert client.get(url).status == 200  # the advocate's own, always

    if record == "draft":
        referral.record.status, referral.record.version = RecordStatus.SUBMITTED, 1
        db.session.commit()
    else:
        add_advocate_record(referral)
    assert chair.get(f"/attachments/{chair_only.id}").status == 200
    assert wide.get(f"/attachments/{shared.id}").status == 200
    assert wide.get(f"/attachments/{chair_only.id}").status == 404


def test_an_uploaded_file_is_listed_on_the_record(assigned) -> None:
    client, referral = assigned
    page = _upload(client, referral, _png(), "drawing.png", "image/png", sharing="family")
    record = client.get(page.location)
    attachment, _ = _stored()
    assert record.link("A drawing of my house") == f"/attachments/{attachment.id}"
    assert "Everyone at the conference, the family too" in record.text
    assert attachment.sharing == SharingLevel.FAMILY


def test_no_file_is_added_once_the_conference_has_started(assigned) -> None:
    client, referral = assigned
    url = f"/advocacy/referrals/{referral.id}/attachments/new"
    token = client.get(url).csrf_token()
    referral.conference.starts_at = utcnow() - timedelta(minutes=5)
    db.session.commit()

    page = client.get(url)
    assert page.status == 200
    assert "files can no longer be added" in page.text
    assert not page.soup.find("input", attrs={"type": "file"})
    refused = client.post(
        url,
        {
            "csrf_token": token,
            "file": (BytesIO(_png()), "drawing.png", "image/png"),
            "description": "A drawing of my house",
            "sharing": "conference",
        },
        content_type="multipart/form-data",
    )
    assert refused.status == 409
    assert "files can no longer be added" in refused.text
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_the_same_file_uploaded_twice_is_kept_once(assigned, attachment_dir) -> None:
    client, referral = assigned
    first = _upload(client, referral, _png(), "drawing.png", "image/png")
    again = _upload(client, referral, _png(), "drawing-again.png", "image/png")
    assert first.status == again.status == 302
    assert db.session.scalar(select(func.count(Attachment.id))) == 1
    assert len([f for f in attachment_dir.iterdir() if not f.name.startswith(".")]) == 1
    assert "already on the record" in client.get(again.location).banners[-1]
    other = _upload(client, referral, _png(size=(31, 20)), "another.png", "image/png")
    assert other.status == 302
    assert db.session.scalar(select(func.count(Attachment.id))) == 2
