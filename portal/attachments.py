"""Checking and cleaning an uploaded drawing or letter before it is kept.

The type is decided by the file's content (its first bytes), never by its name or the type the
browser claims. Images are decoded and encoded again, which drops everything but the pixels:
EXIF (GPS included), XMP, ICC profiles, text chunks and anything appended to the file (a
polyglot's second half); a turned photo is turned upright first. Images over HALVE_ABOVE are
kept at half their width and height, so the largest one accepted is cleaned in about 350 MB
at most (bench/attachments.py measures each kind in a fresh process). A PDF's pages are copied
into a new document without its catalogue, so document-level actions, JavaScript, embedded
files and metadata stay behind; annotations, which can carry actions, are removed from every
page.

The file kept on disk is sealed (portal.crypto: a Fernet token under the newest data key) and
opened only to be served; its row holds a keyed HMAC of the content, never a plain hash.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter

from portal.crypto import keyed_digest, open_sealed, seal

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
EXTENSIONS = {JPEG: "jpg", PNG: "png", PDF: "pdf"}
# A photo from a phone is 12 to 50 megapixels; more is refused (a decompression bomb is far more).
MAX_PIXELS = 50_000_000
TOO_LARGE = f"The image is too large. Use a photo of {MAX_PIXELS // 1_000_000} megapixels or less"
# Above this an image is kept at half its width and height (a 50 MP photo at 12.5 MP, what a
# 12 MP phone takes): a JPEG decoded at half size by libjpeg, a quarter of the memory; a PNG
# halved just after decoding. Whole, the largest took 780 MB (1 GB in CMYK) to clean.
HALVE_ABOVE = 25_000_000
# libjpeg decodes a progressive JPEG only once its last scan is in, so it holds every sample of
# the whole image at once (two bytes each), whatever size it decodes to. Up to this many (a 50 MP
# photo in a camera's 4:2:2; a phone's 4:2:0 has fewer) the peak stays near 300 MB; 50 MP in
# CMYK would take 500 MB.
MAX_PROGRESSIVE_SAMPLES = 2 * MAX_PIXELS
# Modes Image.reduce can halve; a palette, 1-bit or 16-bit grey PNG (two bytes a pixel at most)
# is kept whole.
_HALVABLE = ("L", "LA", "RGB", "RGBA", "I", "F")
# Rows halved at a time: even, so each band halves to whole rows.
_BAND_ROWS = 256
# What the row's content_hmac is an HMAC for (portal.crypto.keyed_digest).
DIGEST_PURPOSE = "attachment-content"
# Page-level keys that can act or carry hidden content: actions, annotations, metadata.
_UNSAFE_PAGE_KEYS = ("/Annots", "/AA", "/Metadata", "/PieceInfo", "/Thumb", "/B")


class RefusedFile(ValueError):
    """The file cannot be kept; the message says why, in words for the person uploading."""


@dataclass(frozen=True)
class CleanedFile:
    content_type: str
    data: bytes

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    byte_size: int
    content_hmac: str


def content_hmac(data: bytes) -> str:
    """The keyed digest of a cleaned file's content that finds the same file uploaded twice."""
    return keyed_digest(data, DIGEST_PURPOSE)


def sniff(head: bytes) -> str | None:
    """The content type the file's first bytes say it is, if it is one we take."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def read_limited(stream: IO[bytes], max_bytes: int) -> bytes:
    """The upload's bytes; refused if there are more than ``max_bytes``."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RefusedFile(f"The file must be smaller than {max_bytes // (1024 * 1024)} MB")
    return data


def clean(data: bytes) -> CleanedFile:
    if not data:
        raise RefusedFile("The selected file is empty")
    content_type = sniff(data[:16])
    if content_type is None:
        raise RefusedFile("The file must be a JPEG, PNG or PDF")
    if content_type == PDF:
        return CleanedFile(PDF, _clean_pdf(data))
    return CleanedFile(content_type, _clean_image(data, "JPEG" if content_type == JPEG else "PNG"))


def _clean_image(data: bytes, image_format: str) -> bytes:
    unreadable = RefusedFile("The image could not be opened. Check the file and try again")
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit: a bomb is refused either way.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=[image_format]) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise RefusedFile(TOO_LARGE)
                if probe.info.get("progressive"):
                    _refuse_too_many_samples(probe)
                probe.verify()  # checks the file's structure; the image cannot be used after it
            with Image.open(BytesIO(data), formats=[image_format]) as image:
                pixels_only = _upright_pixels(image)
        out = BytesIO()
        if image_format == "JPEG":
            if pixels_only.mode not in ("RGB", "L", "CMYK"):
                pixels_only = pixels_only.convert("RGB")
            pixels_only.save(out, "JPEG", quality=90)
        else:
            pixels_only.save(out, "PNG")
        # Neither with optimize=True: for a file a few per cent smaller, a JPEG's tuned tables
        # take a second copy of every sample (100 MB at 25 MP in CMYK), a PNG's slowest
        # compression a second more at the ceiling.
        return out.getvalue()
    except RefusedFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RefusedFile(TOO_LARGE) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise unreadable from None


def _refuse_too_many_samples(probe: Image.Image) -> None:
    """Refuse a progressive JPEG over MAX_PROGRESSIVE_SAMPLES, saying the megapixels it may have.

    Samples a pixel: each component's share of the sampling grid (``layer`` holds each one's
    id, sampling factors and table): 1 for grey, 1.5 for a phone's 4:2:0, 3 for 4:4:4, 4 CMYK.
    """
    sampling = [(h, v) for _, h, v, _ in getattr(probe, "layer", [])] or [(1, 1)] * 4
    grid = max(h for h, _ in sampling) * max(v for _, v in sampling)
    per_pixel = sum(h * v for h, v in sampling) / grid
    if probe.width * probe.height * per_pixel > MAX_PROGRESSIVE_SAMPLES:
        megapixels = int(MAX_PROGRESSIVE_SAMPLES / per_pixel) // 1_000_000
        raise RefusedFile(f"The image is too large. Use a photo of {megapixels} megapixels or less")


def _upright_pixels(image: Image.Image) -> Image.Image:
    """The pixels as they looked on the camera's screen, and only what drawing them needs.

    Every step works on the one decoded image, in place where it can: at 50 MP each whole copy
    is 200 MB (Pillow keeps four bytes a pixel for RGB).
    """
    full_size = image.size
    halve = image.width * image.height > HALVE_ABOVE
    if halve and image.format == "JPEG":
        image.draft(None, (image.width // 2, image.height // 2))  # libjpeg decodes at half size
    image.load()
    if halve and image.size == full_size and image.mode in _HALVABLE:
        half = _halved(image)
        half.info = image.info  # the orientation is read from it below
        image.close()  # the whole decoded image goes now, before the turn needs room
        image = half
    ImageOps.exif_transpose(image, in_place=True)  # turned as the camera said
    # Only what drawing the pixels needs: no EXIF, XMP, ICC profile, comment or text chunks.
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}
    return image


def _halved(image: Image.Image) -> Image.Image:
    """Half the width and height, each pixel the mean of two by two (Image.reduce).

    A band of rows at a time: Image.reduce of a whole image with alpha first makes a
    premultiplied copy of all of it, another 200 MB at the ceiling.
    """
    half = Image.new(image.mode, ((image.width + 1) // 2, (image.height + 1) // 2))
    for top in range(0, image.height, _BAND_ROWS):
        band = image.crop((0, top, image.width, min(top + _BAND_ROWS, image.height)))
        half.paste(band.reduce(2), (0, top // 2))
    return half


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise RefusedFile(
                "The PDF is protected with a password. Upload a copy without a password"
            )
        writer = PdfWriter()
        for page in reader.pages:
            # Taken off before copying, so what they point at is not copied either.
            for key in _UNSAFE_PAGE_KEYS:
                if key in page:
                    del page[key]
            writer.add_page(page)
        if not writer.pages:
            raise RefusedFile("The PDF has no pages")
        writer.metadata = None  # no document information (author, software, dates)
        out = BytesIO()
        writer.write(out)
        return out.getvalue()
    except RefusedFile:
        raise
    except Exception:  # pypdf raises many kinds of error for a damaged or hostile file
        raise RefusedFile("The PDF could not be opened. Check the file and try again") from None


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (a temporary file beside it, renamed)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def store(cleaned: CleanedFile, folder: str | os.PathLike[str]) -> StoredFile:
    """Seal the file and write it under a random name, whole or not at all."""
    directory = Path(folder)
    directory.mkdir(parents=True, exist_ok=True)
    storage_name = secrets.token_hex(16)
    write_whole(directory / storage_name, seal(cleaned.data))
    return StoredFile(
        storage_name=storage_name,
        byte_size=len(cleaned.data),
        content_hmac=content_hmac(cleaned.data),
    )


def stored_path(folder: str | os.PathLike[str], storage_name: str) -> Path | None:
    """The stored file's path, or None if it is not there."""
    path = Path(folder) / storage_name
    return path if path.is_file() else None


def read_stored(folder: str | os.PathLike[str], storage_name: str) -> bytes | None:
    """The stored file's content, opened; None if it is not there.

    Raises portal.crypto.DataKeyError for a file no key opens (`flask keys rotate` seals one
    left unsealed).
    """
    path = stored_path(folder, storage_name)
    return None if path is None else open_sealed(path.read_bytes())
