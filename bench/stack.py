"""The whole stack as a council runs it, on 127.0.0.1: nginx in front, two web instances, workers.

nginx terminates TLS with a self-signed certificate made for the run (openssl), redirects
plain HTTP to https and serves /static/ from disk, with the configuration rendered from
deploy/nginx/heard.conf (the file an operator installs). Behind it, two gunicorn instances run
``deploy/gunicorn.conf.py`` in production configuration (``PROXY_FIX_HOPS=1``, nginx trusted,
rate limits counted in Redis under a key prefix of the run's own), and ``flask worker`` (one
or more: ``workers=``) runs beside them. Every port is a free one; every file (configuration,
certificate, logs) is in a temporary folder removed afterwards. The database is given, already
migrated (``migrate=True`` runs ``flask db upgrade`` first); nothing else is touched.

    from bench.stack import Stack

    with Stack(database="postgresql+psycopg://postgres@127.0.0.1:5432/mine") as stack:
        stack.https_url            # https://127.0.0.1:<port>, what families and Twilio call
        stack.http_url             # plain HTTP: redirected
        stack.cert_file            # the certificate to verify it with (requests: verify=)
        stack.secret_key           # the app's SECRET_KEY (a new one unless given: links made
                                   # by a test's own app need its key, secret_key=...)
        stack.kill_web(0)          # kill -9 the first instance (gunicorn's master and workers)
        stack.start_web(0)         # start it again, back when its /readyz answers 200
        stack.restart_web(1)       # SIGTERM (graceful), then start again
        stack.restart_web(1, code=Path("/tmp/release"))   # ...running another release's code
        stack.switch_web(1, code=...)  # out of nginx's rotation (reload), restart, back in
        stack.kill_worker(0); stack.start_worker(0)   # kill -9 a worker, start it again
        stack.log("web-0")         # an instance's output: the app's JSON lines, one a request
        stack.log("worker-0")      # a worker's; "nginx-error", "heard-access" (nginx's)

Instances are numbered 0 and 1 (``stack.webs[i].port``; the nginx template has two upstream
servers, so two is what it takes), workers from 0 (``stack.workers``). ``settings`` adds to
(or overrides) every app process's environment: a lower LINK_RATE_LIMIT, the fake Twilio...
nginx sets an instance that refused a connection aside for 10 s (fail_timeout) before
trying it again. Needs nginx (Debian's: ``apt-get install nginx``), openssl, Redis and the
database.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stack_files import make_certificate, render_nginx, write_nginx_main  # noqa: E402

NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "heard.conf"
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
BIN = Path(sys.executable).parent


class StackUnavailable(RuntimeError):
    """nginx or openssl is not installed here."""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).is_file()), None
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Process:
    name: str
    command: list[str]
    port: int | None = None
    popen: subprocess.Popen | None = None
    code: Path = ROOT  # the release it runs: its working directory and PYTHONPATH

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None


class Stack:
    """nginx, ``web_instances`` gunicorn instances and ``workers`` ``flask worker``s; see the
    module's docstring. Start with ``with Stack(...) as stack`` or ``start()``/``stop()``."""

    def __init__(
        self,
        database: str,
        *,
        redis_url: str | None = None,
        settings: dict[str, str] | None = None,
        web_instances: int = 2,
        web_workers: int = 2,
        workers: int = 1,
        migrate: bool = False,
        static_dir: Path | None = None,
        secret_key: str | None = None,
        code: Path = ROOT,
    ) -> None:
        if nginx_binary() is None:
            raise StackUnavailable("nginx is not installed: apt-get install nginx")
        if shutil.which("openssl") is None:
            raise StackUnavailable("openssl is not installed: apt-get install openssl")
        self.database = database
        self.redis_url = redis_url or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        self.settings = settings or {}
        self.migrate = migrate
        self.static_dir = static_dir or ROOT / "static"
        self.secret_key = secret_key or secrets.token_hex(32)
        self.key_prefix = f"stack-{secrets.token_hex(6)}"
        self._down: set[int] = set()  # instances out of nginx's rotation
        self.http_port, self.https_port = free_port(), free_port()
        self.https_url = f"https://127.0.0.1:{self.https_port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        self.folder = Path(tempfile.mkdtemp(prefix="heard-stack-"))
        self.cert_file, self.key_file = self.folder / "cert.pem", self.folder / "key.pem"
        gunicorn = [str(BIN / "gunicorn"), "--config", str(GUNICORN_CONFIG), "wsgi:app"]
        self.webs = [Process(f"web-{n}", gunicorn, port=free_port()) for n in range(web_instances)]
        self.web_workers = web_workers
        self.workers = [
            Process(f"worker-{n}", [str(BIN / "flask"), "worker"]) for n in range(workers)
        ]
        for process in [*self.webs, *self.workers]:
            process.code = code
        self.nginx = Process(
            "nginx",
            [nginx_binary() or "nginx", "-p", str(self.folder), "-c", "nginx.conf", "-e", "stderr"],
        )

    # The app's environment: production, behind one proxy, Redis for the rate limits.
    def environment(self, **extra: str) -> dict[str, str]:
        from config import TEST_DATA_KEY

        return {
            **os.environ,
            "HEARD_CONFIG": "production",
            "DATABASE_URL": self.database,
            "SECRET_KEY": self.secret_key,
            "DATA_ENCRYPTION_KEYS": TEST_DATA_KEY,  # the runs' data is invented
            "REDIS_URL": self.redis_url,
            "RATELIMIT_KEY_PREFIX": self.key_prefix,
            "PUBLIC_BASE_URL": self.https_url,
            "PROXY_FIX_HOPS": "1",
            "TRUSTED_PROXY_CIDRS": "127.0.0.1/32",
            "WEB_CONCURRENCY": str(self.web_workers),
            "FLASK_APP": "wsgi:app",
            "RETENTION_HOUR": "off",  # the worker never removes a run's data on its own
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            **self.settings,
            **extra,
        }

    def log_file(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def log(self, name: str) -> str:
        """A process's output so far (``web-0``, ``web-1``, ``worker-0``, ``nginx``)."""
        path = self.log_file(name)
        return path.read_text(errors="replace") if path.exists() else ""

    # Starting and stopping
    def start(self) -> Self:
        try:
            self._make_certificate()
            self._write_nginx_config()
            if self.migrate:
                subprocess.run(  # noqa: S603 - our own flask, fixed arguments
                    [str(BIN / "flask"), "db", "upgrade"],
                    cwd=ROOT,
                    env=self.environment(),
                    check=True,
                    capture_output=True,
                )
            for number in range(len(self.webs)):
                self._spawn(self.webs[number], PORT=str(self.webs[number].port))
            self._spawn(self.nginx)
            for number in range(len(self.webs)):
                self.wait_web_ready(number)
            self._wait_nginx()
            for worker in self.workers:
                self._spawn(worker)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Everything stopped at once (nginx and the worker SIGTERM, gunicorn SIGINT: its quick
        shutdown; SIGKILL for whatever is left after 10 s) and the folder removed."""
        processes = [self.nginx, *self.webs, *self.workers]
        for process in processes:
            if process.running:
                assert process.popen is not None
                process.popen.send_signal(signal.SIGINT if process in self.webs else signal.SIGTERM)
        for process in processes:
            self._terminate(process)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # Faults and releases
    def kill_web(self, number: int) -> None:
        """kill -9 an instance: its gunicorn master and every worker, as a machine dying would."""
        self._kill(self.webs[number])

    def start_web(self, number: int, ready_within: float = 60) -> None:
        web = self.webs[number]
        if web.running:
            raise RuntimeError(f"{web.name} is already running")
        self._spawn(web, PORT=str(web.port))
        self.wait_web_ready(number, ready_within)

    def restart_web(self, number: int, ready_within: float = 60, code: Path | None = None) -> None:
        """A graceful restart (SIGTERM: gunicorn finishes the requests it holds), then start;
        with ``code``, on that release's code (a checkout of another commit)."""
        self._terminate(self.webs[number])
        if code is not None:
            self.webs[number].code = code
        self.start_web(number, ready_within)

    def rotate(self, number: int, serving: bool) -> None:
        """Take an instance out of nginx's upstream (``down``) or put it back, and reload nginx
        (SIGHUP: new connections follow the new configuration; nginx's old workers finish the
        requests they hold). As an operator does with the installed file and ``nginx -s
        reload`` (docs/operations.md)."""
        self._down = (self._down | {number}) if not serving else (self._down - {number})
        self._write_site()
        assert self.nginx.popen is not None
        self.nginx.popen.send_signal(signal.SIGHUP)
        time.sleep(1)  # nginx starts its new workers within a few ms; a margin on a busy machine

    def switch_web(self, number: int, code: Path | None = None, ready_within: float = 60) -> None:
        """A release's switch of one instance with nothing lost in flight: out of rotation,
        a graceful restart (on ``code`` if given), back into rotation."""
        self.rotate(number, serving=False)
        self.restart_web(number, ready_within, code)
        self.rotate(number, serving=True)

    def kill_worker(self, number: int = 0) -> None:
        """kill -9 a worker wherever it is (mid-batch: what it claimed waits out its lease)."""
        self._kill(self.workers[number])

    def start_worker(self, number: int = 0) -> None:
        worker = self.workers[number]
        if worker.running:
            raise RuntimeError(f"{worker.name} is already running")
        self._spawn(worker)

    def restart_worker(self, number: int = 0, code: Path | None = None) -> None:
        """Stop a worker gracefully (SIGTERM: it finishes its batch), start it again; with
        ``code``, on that release's code."""
        self._terminate(self.workers[number])
        if code is not None:
            self.workers[number].code = code
        self.start_worker(number)

    def wait_web_ready(self, number: int, within: float = 60) -> None:
        """Until the instance's own /readyz (plain HTTP, straight to it) answers 200."""
        web = self.webs[number]
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if not web.running:
                raise RuntimeError(f"{web.name} exited:\n{self.log(web.name)[-3000:]}")
            if _status("127.0.0.1", web.port, "/readyz") == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"{web.name} not ready within {within} s:\n{self.log(web.name)[-3000:]}")

    # Inside
    def _spawn(self, process: Process, **extra: str) -> None:
        config = process.code / "deploy" / "gunicorn.conf.py"  # the release's own, if it has one
        command = [
            str(config) if part == str(GUNICORN_CONFIG) and config.exists() else part
            for part in process.command
        ]
        if process is not self.nginx:
            extra["PYTHONPATH"] = str(process.code)
        with self.log_file(process.name).open("ab") as log:
            process.popen = subprocess.Popen(  # noqa: S603 - our own commands, fixed here
                command,
                cwd=self.folder if process is self.nginx else process.code,
                env=self.environment(**extra),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill -9 reaches the workers
            )

    def _kill(self, process: Process) -> None:
        if process.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGKILL)
        process.popen.wait(timeout=10)

    def _terminate(self, process: Process) -> None:
        if process.popen is None or process.popen.poll() is not None:
            return
        process.popen.send_signal(signal.SIGTERM)
        try:
            process.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._kill(process)
        # Whatever the master left behind in its group (a worker mid-request) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGKILL)

    def _make_certificate(self) -> None:
        make_certificate(self.cert_file, self.key_file)

    def _write_site(self) -> None:
        site = render_nginx(
            NGINX_TEMPLATE.read_text(),
            {
                "HEARD_PUBLIC_ORIGIN": self.https_url,
                "HEARD_SERVER_NAME": "127.0.0.1 localhost",
                "HEARD_LISTEN": "127.0.0.1",
                "HEARD_HTTP_PORT": str(self.http_port),
                "HEARD_HTTPS_PORT": str(self.https_port),
                "HEARD_CERT": str(self.cert_file),
                "HEARD_KEY": str(self.key_file),
                "HEARD_STATIC": str(self.static_dir),
                "HEARD_WEB_1": f"127.0.0.1:{self.webs[0].port}",
                "HEARD_WEB_2": f"127.0.0.1:{self.webs[-1].port}",
                "HEARD_LOGS": str(self.folder),
            },
        )
        for number in self._down:
            server = f"server 127.0.0.1:{self.webs[number].port} "
            site = site.replace(server, f"{server}down ", 1)
        (self.folder / "heard.conf").write_text(site)

    def _write_nginx_config(self) -> None:
        self._write_site()
        write_nginx_main(self.folder)

    def _wait_nginx(self, within: float = 20) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if not self.nginx.running:
                error = self.log("nginx") + self.log("nginx-error")
                raise RuntimeError(f"nginx exited:\n{error[-3000:]}")
            if _status("127.0.0.1", self.http_port, "/") is not None:
                return
            time.sleep(0.1)
        raise RuntimeError("nginx did not answer")


def _status(host: str, port: int, path: str) -> int | None:
    """The status of a GET over plain HTTP, or None when nothing answers."""
    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def https_context(stack: Stack) -> ssl.SSLContext:
    """An SSL context that trusts the stack's own certificate (and only it)."""
    return ssl.create_default_context(cafile=str(stack.cert_file))
