"""Finding every process a command started, however it started them: each inherits a marker in
its environment. A process group would not do: honcho starts each of its processes in a session
of its own."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

MARKER = "HEARD_TEST_RUN_MARK"


def marked(mark: str) -> dict[int, str]:
    """Each live process whose environment carries ``MARKER=mark``: its command line."""
    wanted = f"{MARKER}={mark}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:  # gone meanwhile, or another user's
            continue
        if wanted in environment:  # a zombie's environment reads empty: it is not counted
            found[int(entry.name)] = command
    return found


def left(mark: str, seen: dict[int, str]) -> dict[int, str]:
    """The marked processes, and those ``seen`` before, still there, even as a zombie no one
    waited for: once a runner has exited, every process it started should have been waited for."""
    return marked(mark) | {
        pid: command for pid, command in seen.items() if Path(f"/proc/{pid}").exists()
    }


def kill_marked(mark: str) -> None:
    """Clean up after a failed run: SIGKILL to each marked process."""
    for pid in marked(mark):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
