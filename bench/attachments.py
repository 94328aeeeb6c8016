"""How long cleaning an advocate's upload takes, and how much memory it needs at its peak.

Run: .venv/bin/python bench/attachments.py [--runs 5]

Cases: a 12 megapixel phone photo of random pixels (the worst case for JPEG size) with GPS
EXIF; a 20-page PDF with an open action running JavaScript; and the largest images accepted
(``largest_accepted``): at MAX_PIXELS (8000 x 6250) an RGB JPEG and a CMYK JPEG (four bytes a
pixel once decoded) turned by their EXIF, an RGBA PNG turned by its eXIf chunk and a progressive
JPEG in 4:2:2, and a progressive CMYK JPEG at its own, lower ceiling (MAX_PROGRESSIVE_SAMPLES).
Each is mostly one colour so it fits under the upload limit, as a real one must, and goes
through ``portal.attachments.clean`` exactly as an upload does.

Time: the median of ``--runs`` cleanings in this process; then, for the photo and the PDF,
``store`` (sealed with Fernet, written whole with fsync) and ``read_stored`` (opened, as the file
is served), timed the same way.

Memory: each case is cleaned once more in a fresh Python process of its own, so one case's peak
cannot hide another's. The child reads the file, notes its peak resident memory so far (the
interpreter, its imports and the file), cleans it with ``tracemalloc`` on, and notes both again.
The peak is the kernel's VmHWM (/proc/self/status): everything the process touched, Pillow's and
libjpeg's own buffers included. Not ``ru_maxrss``: on Linux it carries the spawning process's
peak over fork and exec (a child of a 600 MB process reads 600 MB before doing anything), so it
would measure the parent. tracemalloc counts only what Python itself allocated (bytes objects,
the encoder's output): printed beside the peak, never instead of it. The budget
(MEMORY_BUDGET_MB) is for the whole child process's peak.

The last line printed is the figures as JSON (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from flask import Flask  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from pypdf import PdfWriter  # noqa: E402

from bench import summary  # noqa: E402
from portal import crypto  # noqa: E402
from portal.attachments import MAX_PIXELS, clean, read_stored, store  # noqa: E402

# The most a web process may grow to while cleaning the largest image accepted.
MEMORY_BUDGET_MB = 400
LARGEST = (8000, 6250)  # exactly MAX_PIXELS: run() checks it

# Run in a fresh interpreter by clean_in_fresh_process: argv[1] is the file to clean.
_CHILD = """
import json, resource, sys, time, tracemalloc
from portal.attachments import clean

def peak_mb():
    try:  # Linux: this address space's peak, which exec starts afresh
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
    except OSError:  # elsewhere ru_maxrss (bytes on macOS), which may carry the parent's peak
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20

with open(sys.argv[1], "rb") as file:
    data = file.read()
before = peak_mb()
tracemalloc.start()
started = time.perf_counter()
cleaned = clean(data)
seconds = time.perf_counter() - started
python_peak = tracemalloc.get_traced_memory()[1] / 2**20
tracemalloc.stop()
print(json.dumps({"before_mb": before, "peak_mb": peak_mb(), "python_peak_mb": python_peak,
                  "seconds": seconds, "bytes_out": len(cleaned.data)}))
"""


@dataclass(frozen=True)
class Measured:
    """One cleaning in a process of its own; megabytes are MiB."""

    before_mb: float  # the child's peak resident memory before cleaning (interpreter, file)
    peak_mb: float  # ... and after: the whole process's high-water mark
    python_peak_mb: float  # tracemalloc's peak during cleaning: Python's allocations only
    seconds: float  # one cleaning, with tracemalloc on (slower than the timed runs)
    bytes_out: int

    @property
    def cleaning_mb(self) -> float:
        """How far cleaning raised the high-water mark."""
        return self.peak_mb - self.before_mb


def clean_in_fresh_process(path: Path) -> Measured:
    """Clean the file at ``path`` in a new Python process and return what it measured."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code, a path we wrote
        [sys.executable, "-c", _CHILD, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"cleaning {path.name} failed in the child:\n{done.stderr}")
    return Measured(**json.loads(done.stdout.splitlines()[-1]))


def _photo() -> bytes:
    image = Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS: latitude
    out = BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def _camera_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was on its side, so the picture must be turned
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)})
    return exif


def largest_accepted(kind: str) -> bytes:
    """The largest image of a kind accepted, turned by its EXIF and carrying a location; mostly
    one colour, with a few lines drawn on it.

    "jpeg" (RGB), "cmyk-jpeg" and "png" (RGBA) are exactly MAX_PIXELS. A progressive JPEG is
    decoded with every sample of the whole image held at once, so its ceiling is in samples
    (MAX_PROGRESSIVE_SAMPLES): "progressive-jpeg" is MAX_PIXELS in a camera's 4:2:2 (two samples
    a pixel), "progressive-cmyk" half as many pixels (5000 x 5000) in CMYK (four).
    """
    mode, colour, image_format, size, options = {
        "jpeg": ("RGB", (200, 30, 90), "JPEG", LARGEST, {}),
        "cmyk-jpeg": ("CMYK", (20, 200, 90, 10), "JPEG", LARGEST, {}),
        "png": ("RGBA", (200, 30, 90, 200), "PNG", LARGEST, {}),
        "progressive-jpeg": (
            "RGB",
            (200, 30, 90),
            "JPEG",
            LARGEST,
            {"progressive": True, "subsampling": "4:2:2"},
        ),
        "progressive-cmyk": (
            "CMYK",
            (20, 200, 90, 10),
            "JPEG",
            (5000, 5000),
            {"progressive": True},
        ),
    }[kind]
    image = Image.new(mode, size, colour)
    draw = ImageDraw.Draw(image)
    for n in range(0, size[0], 500):
        draw.line([(n, 0), (size[0] - n, size[1] - 1)], fill=(0,) * len(mode), width=9)
    out = BytesIO()
    image.save(out, image_format, exif=_camera_exif(), **options)
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


CASES = (  # key, what it is, how it is made, whether sealing is timed too
    ("photo", "12 MP JPEG with GPS EXIF", _photo, True),
    ("pdf", "20-page PDF with JavaScript", _pdf, True),
    ("largest_jpeg", "50 MP RGB JPEG, turned by EXIF", lambda: largest_accepted("jpeg"), False),
    (
        "largest_cmyk",
        "50 MP CMYK JPEG, turned by EXIF",
        lambda: largest_accepted("cmyk-jpeg"),
        False,
    ),
    ("largest_png", "50 MP RGBA PNG, turned by eXIf", lambda: largest_accepted("png"), False),
    (
        "largest_progressive",
        "50 MP progressive JPEG (4:2:2), turned by EXIF",
        lambda: largest_accepted("progressive-jpeg"),
        False,
    ),
    (
        "largest_progressive_cmyk",
        "25 MP progressive CMYK JPEG, turned by EXIF",
        lambda: largest_accepted("progressive-cmyk"),
        False,
    ),
)


def run(runs: int = 5) -> dict:
    """Time each case ``runs`` times, measure its memory once in a fresh process; print them."""
    assert LARGEST[0] * LARGEST[1] == MAX_PIXELS, "the largest case must be exactly the ceiling"
    print(f"Cleaning uploads, median of {runs} runs, {summary.machine()}")
    print(f"Memory: each case cleaned once more in a fresh process; budget {MEMORY_BUDGET_MB} MB")
    figures: dict[str, float] = {}
    peaks: dict[str, Measured] = {}
    with tempfile.TemporaryDirectory() as folder:
        for key, name, make, sealed in CASES:
            data = make()
            seconds = []
            for _ in range(runs):
                started = time.perf_counter()
                cleaned = clean(data)
                seconds.append(time.perf_counter() - started)
            figures[f"{key}_ms"] = round(statistics.median(seconds) * 1000, 1)
            line = (
                f"  {name}: {len(data) / 1e6:.2f} MB in, {len(cleaned.data) / 1e6:.2f} MB out, "
                f"median {figures[f'{key}_ms']:.0f} ms"
            )
            if sealed:
                seal_ms, open_ms = _seal_and_open(cleaned, runs)
                figures[f"{key}_seal_ms"], figures[f"{key}_open_ms"] = (
                    round(seal_ms, 1),
                    round(open_ms, 1),
                )
                line += f"; sealed and written {seal_ms:.0f} ms, opened {open_ms:.0f} ms"
            path = Path(folder) / key
            path.write_bytes(data)
            del data, cleaned
            measured = peaks[key] = clean_in_fresh_process(path)
            figures[f"{key}_peak_mb"] = round(measured.peak_mb, 1)
            figures[f"{key}_cleaning_mb"] = round(measured.cleaning_mb, 1)
            figures[f"{key}_python_peak_mb"] = round(measured.python_peak_mb, 1)
            print(line)
            print(
                f"    memory: process peak {measured.peak_mb:.0f} MB (VmHWM), "
                f"{measured.before_mb:.0f} MB before cleaning, so cleaning "
                f"+{measured.cleaning_mb:.0f} MB; Python's own allocations peaked at "
                f"{measured.python_peak_mb:.0f} MB (tracemalloc)"
            )
    largest = max(peaks[k].peak_mb for k in peaks if k.startswith("largest"))
    passed = largest < MEMORY_BUDGET_MB
    command = summary.rerun("bench/attachments.py")
    print(f"Rerun: {command}")
    return summary.report(
        "attachments",
        f"cleaning an upload as the advocate's form does (median of {runs}; "
        "peak memory in a fresh process per case)",
        f"12 MP JPEG {figures['photo_ms']:.0f} ms, 20-page PDF {figures['pdf_ms']:.0f} ms; "
        f"50 MP JPEG {figures['largest_jpeg_ms']:.0f} ms, CMYK {figures['largest_cmyk_ms']:.0f} "
        f"ms, PNG {figures['largest_png_ms']:.0f} ms; highest peak of the largest images "
        f"{largest:.0f} MB",
        f"the largest image accepted cleaned in a process peaking under {MEMORY_BUDGET_MB} MB",
        passed,
        command,
        **figures,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    summary.print_last_line(run(parser.parse_args().runs))


if __name__ == "__main__":
    main()
