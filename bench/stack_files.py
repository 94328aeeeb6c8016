"""The files bench/stack.py makes for a run: the certificate, nginx's own configuration, and the
site rendered from deploy/nginx/heard.conf."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

PLACEHOLDER = re.compile(r"\$\{(HEARD_[A-Z0-9_]+)\}")
TEMPS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def render_nginx(template: str, values: dict[str, str]) -> str:
    """deploy/nginx/heard.conf with its ${HEARD_...} placeholders filled (as envsubst would,
    leaving nginx's own $variables); a placeholder without a value is an error."""

    def value(found: re.Match[str]) -> str:
        if found[1] not in values:
            raise KeyError(f"heard.conf: no value for ${{{found[1]}}}")
        return values[found[1]]

    return PLACEHOLDER.sub(value, template)


def make_certificate(cert_file: Path, key_file: Path) -> None:
    """A self-signed certificate for 127.0.0.1 and localhost, good for two days (openssl)."""
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            shutil.which("openssl") or "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(key_file), "-out", str(cert_file),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip


def write_nginx_main(folder: Path) -> None:
    """nginx.conf for a run in ``folder``: in the foreground, its temporary files and logs
    there, including the site (heard.conf) from the same folder."""
    for temp in TEMPS:
        (folder / temp).mkdir()
    # As root, nginx's workers would otherwise run as nobody, who cannot read this folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/nginx-error.log warn;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        "    sendfile on;\n"
        + "".join(f"    {temp}_temp_path {folder}/{temp.split('_')[0]};\n" for temp in TEMPS)
        + f"    include {folder}/heard.conf;\n"
        "}\n"
    )
