"""X-Forwarded-* headers, believed only from the proxies in front (issue 15).

Behind a TLS-terminating proxy the app takes the client's address, the scheme and the host from
the proxy's X-Forwarded-* headers (Werkzeug's ``ProxyFix``, ``PROXY_FIX_HOPS`` of them): the
per-address rate limits, the https redirect and Twilio's signatures depend on them. Anyone who
reaches the app without passing through the proxy could write those headers too, and be a new
address at every request. With ``TRUSTED_PROXY_CIDRS`` set, the headers are read only when the
connection itself (``REMOTE_ADDR``) comes from inside one of those ranges; from anyone else they
are removed unread, so the request is taken for what it is. Empty (the default), every peer is
believed: right only when nothing but the proxy can reach the app.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Every header ProxyFix reads; removed from an untrusted peer's request, so nothing later can.
FORWARDED = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
)


def parse_networks(cidrs: Iterable[str]) -> list[Network]:
    """``10.0.0.0/8``, ``192.168.1.7``, ``fd00::/8``…; ValueError for anything else."""
    return [ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs]


class TrustedProxies:
    """WSGI middleware: ``ProxyFix`` for requests from a peer in ``networks`` (or from any peer
    when ``networks`` is empty); the forwarded headers dropped for everyone else."""

    def __init__(self, app: WSGIApplication, hops: int, networks: Iterable[str]) -> None:
        self.app = app
        self.through_proxy = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops)
        self.networks = parse_networks(networks)

    def trusts(self, peer: str | None) -> bool:
        if not self.networks:
            return True
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:  # no address (a unix socket) or not one: not a trusted proxy
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes] | Iterator[bytes]:
        if self.trusts(environ.get("REMOTE_ADDR")):
            return self.through_proxy(environ, start_response)
        for name in FORWARDED:
            environ.pop(name, None)
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    """Wrap the app when ``PROXY_FIX_HOPS`` proxies stand in front of it."""
    hops = app.config["PROXY_FIX_HOPS"]
    if hops:
        # Wrapping wsgi_app is Flask's documented way to add WSGI middleware; mypy sees a method.
        app.wsgi_app = TrustedProxies(  # type: ignore[method-assign]
            app.wsgi_app, hops, app.config.get("TRUSTED_PROXY_CIDRS", [])
        )
