"""Checking and cleaning an uploaded drawing or letter before it is kept.

The type is decided by the file's content (its first bytes), never by its name or the type the
browser claims. Images are decoded and encoded again, which drops everything but the pixels:
EXIF (GPS included), XMP, ICC profiles, text chunks and anything appended to the file (a
polyglot's second half). A PDF's pages are copied into a new document without its catalogue,
so document-level actions, JavaScript, embedded files and metadata stay behind; annotations,
which can carry actions, are removed from every page.

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
# A photo from a phone is 12 to 50 megapixels; more than this is a decompression bomb.
MAX_PIXELS = 60_000_000
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
                    raise RefusedFile(
                        "The image is too large. Use a photo of 60 megapixels or less"
                    )
                probe.verify()  # checks the file's structure; the image cannot be used after it
            with Image.open(BytesIO(data), formats=[image_format]) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)  # as it looked on the camera's screen
        pixels_only = upright.copy()
        # Only what drawing the pixels needs: no EXIF, XMP, ICC profile or text chunks.
        transparency = pixels_only.info.get("transparency")
        pixels_only.info = {} if transparency is None else {"transparency": transparency}
        out = BytesIO()
        if image_format == "JPEG":
            if pixels_only.mode not in ("RGB", "L", "CMYK"):
                pixels_only = pixels_only.convert("RGB")
            pixels_only.save(out, "JPEG", quality=90, optimize=True)
        else:
            pixels_only.save(out, "PNG", optimize=True)
        return out.getvalue()
    except RefusedFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RefusedFile("The image is too large. Use a photo of 60 megapixels or less") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise unreadable from None


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
