"""A throwaway PostgreSQL cluster of our own, for runs that restart or stop the server.

The machine's shared PostgreSQL (127.0.0.1:5432) is never touched: the cluster lives in a new
folder under /tmp, listens on a free port, and is stopped and removed on the way out, whatever
happened (an exception, Ctrl-C or SIGTERM).

    with PrivatePostgres() as postgres:
        url = postgres.create_database("heard")   # postgresql+psycopg://postgres@127.0.0.1:…
        postgres.restart()                         # pg_ctl restart -m fast

initdb refuses to run as root, so as root every PostgreSQL command runs as the user
``postgres`` (``runuser``); as anyone else, as that user. The binaries are looked for in
``PG_BIN``, then /usr/lib/postgresql/<newest>/bin, then on the PATH.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def postgres_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += versions
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivatePostgres:
    """``with PrivatePostgres() as postgres:`` a running cluster, gone afterwards."""

    def __init__(self, port: int | None = None) -> None:
        self.bin = postgres_binaries()
        self.port = port or free_port()
        self.folder: Path | None = None
        self._running = False

    @property
    def data_dir(self) -> Path:
        assert self.folder is not None, "start() first"
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _as_postgres(self, *command: str, timeout: float = 120) -> str:
        """Run a PostgreSQL command as the user postgres when we are root; its output."""
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(  # noqa: S603 - fixed commands built here
            [*prefix, *command], capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0:
            log = self.folder / "server.log" if self.folder else None
            tail = log.read_text()[-2000:] if log and log.exists() else ""
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}{tail}"
            )
        return done.stdout

    def _pg_ctl(self, action: str, *extra: str) -> None:
        assert self.bin is not None
        assert self.folder is not None
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            str(self.bin / "pg_ctl"),
            action,
            "-D",
            str(self.data_dir),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            *extra,
        )

    def start(self) -> Self:
        if self.bin is None:
            raise PostgresUnavailable(
                "No PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql, "
                "or set PG_BIN"
            )
        self.folder = Path(tempfile.mkdtemp(prefix="heard-fault-pg-", dir="/tmp"))
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.folder, postgres.pw_uid, postgres.pw_gid)
        try:
            self._as_postgres(
                str(self.bin / "initdb"),
                "-D",
                str(self.data_dir),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",  # initdb's own files only; the server keeps fsync on
                "-E",
                "UTF8",
                "--locale",
                "C",
            )
            self._pg_ctl("start")
            self._running = True
        except BaseException:
            self.stop()
            raise
        return self

    def restart(self, mode: str = "fast") -> float:
        """``pg_ctl restart -m fast``: every connection is cut, then the server comes back.
        Returns how long pg_ctl took, in seconds."""
        began = time.perf_counter()
        self._pg_ctl("restart", "-m", mode)
        return time.perf_counter() - began

    def halt(self, mode: str = "fast") -> None:
        """Stop the server but keep its data: ``resume()`` starts it again."""
        self._pg_ctl("stop", "-m", mode)
        self._running = False

    def resume(self) -> None:
        self._pg_ctl("start")
        self._running = True

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')  # our own fixed name
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is worth keeping) and remove its folder."""
        if self._running:
            try:
                self._pg_ctl("stop", "-m", "immediate")
            except (RuntimeError, subprocess.TimeoutExpired):
                self._kill_postmaster()
            self._running = False
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _kill_postmaster(self) -> None:
        pid_file = self.data_dir / "postmaster.pid"
        if pid_file.exists():
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
