"""Outgoing HTTP to partners, safe against server-side request forgery.

A partner URL comes from configuration, but a wrong (or hijacked) DNS name must not turn Pledge
into a client for the machines behind its firewall or the cloud metadata service:

- HTTPS only (plain HTTP only where ``PLEDGE_PARTNERS_ALLOW_PRIVATE``: the test suite);
- the host name is resolved once, every address must be public (no private, loopback,
  link-local, shared or reserved range), and the connection goes to that vetted address, with
  the name kept for TLS (SNI and certificate check) and the Host header, so a second DNS answer
  cannot swap in an internal address (DNS rebinding);
- redirects are never followed: a 3xx is refused, as it could point anywhere.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from . import conf

MAX_RESPONSE_BYTES = 64 * 1024


class TransportRefused(Exception):
    """The request was not made (or its answer not accepted) for safety; do not retry."""


class TransportFailed(Exception):
    """The partner could not be reached or did not answer; worth retrying. Holds no reply text."""


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TransportFailed("the partner's host name does not resolve") from None
    return list(dict.fromkeys(answer[4][0] for answer in answers))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # Certificate and SNI for the configured name, although we connect to its address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout: float | None = None,
    allow_private: bool | None = None,
) -> int:
    """POST ``body`` to ``url``; returns the HTTP status (never a 3xx: those are refused)."""
    allow_private = conf.allow_private_addresses() if allow_private is None else allow_private
    timeout = conf.timeout() if timeout is None else timeout
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and allow_private):
        raise TransportRefused("partner URLs must use HTTPS")
    if parts.username or parts.password:
        raise TransportRefused("partner URLs carry no credentials; use the signing secret")
    host = parts.hostname
    if not host:
        raise TransportRefused("the partner URL has no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise TransportRefused("the partner URL has an invalid port") from None
    addresses = resolve(host, port)
    if not allow_private and not all(is_public_address(address) for address in addresses):
        raise TransportRefused(
            "the partner's host resolves to a private, loopback or link-local address"
        )
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=addresses[0], timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        status = response.status
        response.read(MAX_RESPONSE_BYTES)  # drained, never logged: it may echo our payload
    except ssl.SSLCertVerificationError:
        raise TransportRefused("the partner's TLS certificate does not verify") from None
    except (OSError, http.client.HTTPException) as error:
        raise TransportFailed(type(error).__name__) from None
    finally:
        connection.close()
    if 300 <= status < 400:
        raise TransportRefused(f"the partner answered with a redirect ({status}); not followed")
    return status
