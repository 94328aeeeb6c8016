"""How long cleaning an advocate's upload takes: a phone-sized photo and a PDF.

Run: .venv/bin/python bench/attachments.py [--runs 5]

The photo is 12 megapixels of random pixels (the worst case for JPEG size) with GPS EXIF; the
PDF has 20 pages and an open action running JavaScript. Both go through
``portal.advocacy.attachments.clean``, exactly as an upload does, and the median is printed;
then ``store`` (sealed with Fernet, written whole with fsync) and ``read_stored`` (opened, as the
file is served), timed the same way.
The last line printed is the figures as JSON (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet  # noqa: E402
from flask import Flask  # noqa: E402
from PIL import Image  # noqa: E402
from pypdf import PdfWriter  # noqa: E402

from bench import summary  # noqa: E402
from portal import crypto  # noqa: E402
from portal.advocacy.attachments import clean, read_stored, store  # noqa: E402


def _photo() -> bytes:
    image = Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS: latitude
    out = BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def _pdf() -> bytes:
    writer = PdfWriter()
    for _ in range(20):
        writer.add_blank_page(595, 842)
    writer.add_js("app.alert(1)")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _sealing_app() -> Flask:
    """Just enough app for sealing: a fresh data key."""
    app = Flask(__name__)
    app.config["DATA_ENCRYPTION_KEYS"] = [Fernet.generate_key().decode()]
    crypto.init_app(app)
    return app


def _seal_and_open(cleaned, runs: int) -> tuple[float, float]:
    """Median milliseconds to keep the cleaned file (seal, write whole) and to open it again."""
    kept, opened = [], []
    with _sealing_app().app_context(), tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            started = time.perf_counter()
            stored = store(cleaned, folder)
            kept.append(time.perf_counter() - started)
            started = time.perf_counter()
            assert read_stored(folder, stored.storage_name) == cleaned.data
            opened.append(time.perf_counter() - started)
    return statistics.median(kept) * 1000, statistics.median(opened) * 1000


def run(runs: int = 5) -> dict:
    """Clean the photo and the PDF ``runs`` times each; print and return the medians."""
    print(f"Cleaning uploads, median of {runs} runs, {os.cpu_count()} CPUs")
    medians = {}
    for key, name, data in (
        ("photo", "12 MP JPEG with GPS EXIF", _photo()),
        ("pdf", "20-page PDF with JavaScript", _pdf()),
    ):
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            cleaned = clean(data)
            seconds.append(time.perf_counter() - started)
        medians[key] = statistics.median(seconds) * 1000
        medians[f"{key}_seal"], medians[f"{key}_open"] = _seal_and_open(cleaned, runs)
        print(
            f"  {name}: {len(data) / 1e6:.2f} MB in, {len(cleaned.data) / 1e6:.2f} MB out, "
            f"median {medians[key]:.0f} ms; sealed and written {medians[f'{key}_seal']:.0f} ms, "
            f"opened {medians[f'{key}_open']:.0f} ms"
        )
    command = summary.rerun("bench/attachments.py")
    print(f"Rerun: {command}")
    return summary.report(
        "attachments",
        f"cleaning an upload as the advocate's form does (median of {runs})",
        f"12 MP JPEG {medians['photo']:.0f} ms (+{medians['photo_seal']:.0f} ms sealed, "
        f"{medians['photo_open']:.0f} ms opened), 20-page PDF {medians['pdf']:.0f} ms "
        f"(+{medians['pdf_seal']:.0f} ms sealed, {medians['pdf_open']:.0f} ms opened)",
        "no aim set: passes when both are cleaned",
        True,
        command,
        photo_ms=round(medians["photo"], 1),
        pdf_ms=round(medians["pdf"], 1),
        photo_seal_ms=round(medians["photo_seal"], 1),
        photo_open_ms=round(medians["photo_open"], 1),
        pdf_seal_ms=round(medians["pdf_seal"], 1),
        pdf_open_ms=round(medians["pdf_open"], 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    summary.print_last_line(run(parser.parse_args().runs))


if __name__ == "__main__":
    main()
