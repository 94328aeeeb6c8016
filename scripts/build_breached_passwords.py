"""Remake portal/auth/data/ncsc-top-100k.txt.gz, the most common breached passwords.

Source: the NCSC's "PwnedPasswordsTop100k.txt" (https://www.ncsc.gov.uk/static-assets/documents/
PwnedPasswordsTop100k.txt; background: https://www.ncsc.gov.uk/blog-post/passwords-passwords):
the 100,000 passwords seen most often in Troy Hunt's Have I Been Pwned Pwned Passwords, that is
in real breaches. The same list is in SecLists (MIT licence) as
Passwords/Common-Credentials/100k-most-used-passwords-NCSC.txt, without the NCSC's five-line
header; either file will do.

Each password is normalised as portal/auth/breached.py checks it (lower case; spaces, hyphens,
underscores and dots taken out), repeats are dropped (100,000 become 97,475), the order (most
common first) is kept, and the result is gzipped with no timestamp, so the same input always gives
the same bytes. Some of the NCSC's lines are mis-encoded UTF-8 ("Ð¿Ð°Ñ€Ð¾Ð»ÑŒ" for "пароль"):
they are kept as they are.

Run: .venv/bin/python scripts/build_breached_passwords.py PwnedPasswordsTop100k.txt
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal.auth.breached import MOST_COMMON_FILE, normalise  # noqa: E402

NCSC_HEADER_END = "--"  # the NCSC's own file opens with "***" notes, then this line


def passwords(text: str) -> list[str]:
    lines = text.splitlines()
    if lines and lines[0].startswith("***"):
        lines = lines[lines.index(NCSC_HEADER_END) + 1 :]
    seen: dict[str, None] = {}
    for line in lines:
        normalised = normalise(line)
        if normalised:
            seen.setdefault(normalised, None)
    return list(seen)


def main(source: Path) -> None:
    kept = passwords(source.read_text(encoding="utf-8"))
    MOST_COMMON_FILE.parent.mkdir(exist_ok=True)
    body = "".join(f"{password}\n" for password in kept).encode()
    MOST_COMMON_FILE.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    size = MOST_COMMON_FILE.stat().st_size
    print(
        f"{len(kept):,} passwords written to {MOST_COMMON_FILE.relative_to(ROOT)} ({size:,} bytes)"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
