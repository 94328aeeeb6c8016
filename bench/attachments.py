"""How long cleaning an advocate's upload takes: a phone-sized photo and a PDF.

Run: .venv/bin/python bench/attachments.py [--runs 5]

The photo is 12 megapixels of random pixels (the worst case for JPEG size) with GPS EXIF; the
PDF has 20 pages and an open action running JavaScript. Both go through
``portal.advocacy.attachments.clean``, exactly as an upload does, and the median is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402
from pypdf import PdfWriter  # noqa: E402

from portal.advocacy.attachments import clean  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"Cleaning uploads, median of {runs} runs, {os.cpu_count()} CPUs")
    for name, data in (
        ("12 MP JPEG with GPS EXIF", _photo()),
        ("20-page PDF with JavaScript", _pdf()),
    ):
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            cleaned = clean(data)
            seconds.append(time.perf_counter() - started)
        print(
            f"  {name}: {len(data) / 1e6:.2f} MB in, {len(cleaned.data) / 1e6:.2f} MB out, "
            f"median {statistics.median(seconds) * 1000:.0f} ms"
        )
    print("Rerun: .venv/bin/python bench/attachments.py")


if __name__ == "__main__":
    main()
