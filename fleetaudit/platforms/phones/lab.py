"""Phones over real HTTP(S), on the same asyncio loop as the SSH lab.

Each phone answers its vendor's calls (``fleetaudit.platforms.phones.vendors``) from fixture files
``inventory/lab/<phone>/<command_slug>.txt``, with its vendor's login: Basic (Poly),
Digest or, with ``data.lab.auth: basic``, Basic (Yealink), a ``/cgi-bin/dologin`` session whose ``sid`` comes in the query or the
posted form (Grandstream) or none (Cisco). HTTPS
(``data.lab.tls: true``) uses a certificate signed by a lab CA made once per process
(:func:`lab_ca_file`). Faults from ``data.lab.fault`` (optionally only for the call
``data.lab.command``): ``wrong_password`` (401), ``server_error`` (500), ``hang`` (never
answers), ``not_json`` (an HTML page instead), ``truncated`` (the body cut short),
``slow`` (answers after ``data.lab.delay`` seconds).
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import hashlib
import ipaddress
import json
import secrets
import ssl
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from fleetaudit.lab.fixtures import Fixtures
from fleetaudit.lab.inventory import LabHost
from fleetaudit.lab.received import ReceivedLog, violation
from fleetaudit.platforms.phones.vendors import GRANDSTREAM_LOGIN, VENDORS, Call, find_call

CONTENT_TYPES = {
    "json": "application/json",
    "xml": "text/xml",
    "text": "text/plain",
    "html": "text/html",
}
SERVERS = {
    "poly_phone": "Poly HTTP Server",
    "cisco_phone": "Allegro-Software-RomPager/4.34",
    "yealink_phone": "yealink embed httpd",
    "grandstream_phone": "lighttpd",
}
LOGIN_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Login</title></head>\n"
    '<body><form action="/login" method="post"><input name="username">'
    '<input name="password" type="password"></form></body></html>\n'
)
ERROR_PAGE = (
    "<html><head><title>500 Internal Server Error</title></head><body>error</body></html>\n"
)

_tls: tuple[Path, ssl.SSLContext] | None = None


def _make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A lab CA and a server certificate for 127.0.0.1/::1/localhost, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fleetaudit lab CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName("localhost")] + [
        x509.IPAddress(ipaddress.ip_address(a)) for a in ("127.0.0.1", "::1")
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fleetaudit lab phone")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = (folder / "lab-ca.pem", folder / "phone.pem", folder / "phone.key")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _tls_context() -> tuple[Path, ssl.SSLContext]:
    global _tls
    if _tls is None:
        folder = Path(tempfile.mkdtemp(prefix="fleetaudit-lab-tls-"))
        ca, cert, key = _make_certificates(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        _tls = (ca, context)
    return _tls


def lab_ca_file() -> Path:
    """The CA that signs every lab phone's HTTPS certificate (trust it to verify them)."""
    return _tls_context()[0]


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _digest_fields(header: str) -> dict[str, str]:
    fields = {}
    for part in header[len("Digest ") :].split(","):
        key, _, value = part.strip().partition("=")
        fields[key.strip()] = value.strip().strip('"')
    return fields


class PhoneServer:
    """One phone's HTTP(S) listener: authentication, routing to fixtures, faults."""

    def __init__(self, host: LabHost, fixtures: Fixtures, log: ReceivedLog | None = None) -> None:
        self.host = host
        self.fixtures = fixtures
        self.log = log if log is not None else ReceivedLog()
        self.vendor = VENDORS[host.platform]
        self.nonce = secrets.token_hex(16)
        self.sessions: set[str] = set()
        self.writers: set[asyncio.StreamWriter] = set()

    @property
    def tls(self) -> ssl.SSLContext | None:
        return _tls_context()[1] if self.host.tls else None

    async def start(self, bind: str, port: int) -> asyncio.Server:
        return await asyncio.start_server(self.serve, bind, port, ssl=self.tls)

    def close_connections(self) -> None:
        for writer in list(self.writers):
            writer.close()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, ValueError, ssl.SSLError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; False when the connection is done."""
        request = await reader.readline()
        if not request.strip():
            return False
        method, target, _ = request.decode("latin-1").split(" ", 2)
        headers: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length") or 0))
        call = self._call(method, target)
        self._receive(method, target, call)
        status, kind, text, extra = self.answer(method, target, headers, body)
        fault = self.host.fault if self._faulty(call) else None
        if fault == "hang" and status == 200:
            await reader.read()  # never answers; returns when the client gives up
            return False
        if fault == "slow":
            await asyncio.sleep(self.host.delay_s)
        if status == 200 and fault == "server_error":
            status, kind, text = 500, "text/html", ERROR_PAGE
        elif status == 200 and fault == "not_json":
            kind, text = "text/html", LOGIN_PAGE
        payload = text.encode()
        length = len(payload) + (100 if status == 200 and fault == "truncated" else 0)
        head = [
            f"HTTP/1.1 {status} {_REASONS.get(status, 'OK')}",
            f"Server: {SERVERS[self.host.platform]}",
            f"Content-Type: {kind}",
            f"Content-Length: {length}",
            *extra,
        ]
        if status == 200 and fault == "truncated":
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload[: len(payload) // 2])
            await writer.drain()
            return False
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        await writer.drain()
        return headers.get("connection", "").lower() != "close"

    def _receive(self, method: str, target: str, call: Call | None) -> None:
        """Log the request (its path only: a query may carry a session id); a call the
        vendor module does not declare is a violation, the login dialogue excepted."""
        path = urlsplit(target).path
        line = f"{method} {path}"
        if call is not None:
            reason = violation(self.host.platform, call.command)
        else:
            login = method == "POST" and path == GRANDSTREAM_LOGIN and self.auth == "session"
            reason = None if login else "not one of the web calls this phone's audit declares"
        self.log.record(self.host.name, self.host.platform, "http", line, reason)

    def _faulty(self, call: Call | None) -> bool:
        if self.host.fault in (None, "wrong_password", "closed"):
            return False
        return self.host.fault_command is None or (
            call is not None and call.command == self.host.fault_command
        )

    def _call(self, method: str, target: str) -> Call | None:
        return find_call(self.host.platform, method, _without_session(target))

    def answer(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, str, list[str]]:
        """(status, content type, body, extra headers) for one request."""
        if self.auth == "session" and urlsplit(target).path == GRANDSTREAM_LOGIN:
            return self._login(body)
        if not self._authorised(method, target, headers, body):
            challenge = {
                "basic": [f'WWW-Authenticate: Basic realm="{self._realm}"'],
                "digest": [
                    f'WWW-Authenticate: Digest realm="{self._realm}", qop="auth", '
                    f'nonce="{self.nonce}", algorithm=MD5'
                ],
            }.get(self.auth, [])
            if self.auth == "session":
                return 200, "application/json", '{"response": "error", "body": "unauthorized"}', []
            return 401, "text/html", "<html><body>401 Unauthorized</body></html>\n", challenge
        call = self._call(method, target)
        text = self.fixtures.get(call.command) if call else None
        if call is None or text is None:
            return 404, "text/html", "<html><body>404 Not Found</body></html>\n", []
        return 200, CONTENT_TYPES[call.body], text, []

    @property
    def auth(self) -> str:
        """The scheme this phone asks for: its vendor's, or ``data.lab.auth`` where the
        vendor's firmware differs (Yealink: Digest unless told Basic)."""
        scheme = self.host.auth or self.vendor.auth
        return "digest" if scheme == "challenge" else scheme

    @property
    def _realm(self) -> str:
        return self.vendor.vendor

    def _login(self, body: bytes) -> tuple[int, str, str, list[str]]:
        form = dict(parse_qsl(body.decode("utf-8", "replace")))
        if self.host.fault == "wrong_password" or (
            form.get("username") != self.host.username or form.get("password") != self.host.password
        ):
            return (
                200,
                "application/json",
                '{"response": "error", "body": "bad username or password"}',
                [],
            )
        sid = secrets.token_hex(8)
        self.sessions.add(sid)
        return (
            200,
            "application/json",
            json.dumps({"response": "success", "body": {"sid": sid}}),
            [],
        )

    def _authorised(
        self, method: str, target: str, headers: dict[str, str], body: bytes = b""
    ) -> bool:
        if self.host.fault == "wrong_password":
            return False
        given = headers.get("authorization", "")
        if self.auth == "none":
            return True
        if self.auth == "session":
            form = dict(parse_qsl(body.decode("utf-8", "replace")))
            sid = dict(parse_qsl(urlsplit(target).query)).get("sid") or form.get("sid")
            return sid in self.sessions
        if self.auth == "basic":
            expected = f"{self.host.username}:{self.host.password}".encode()
            return given == "Basic " + base64.b64encode(expected).decode()
        if not given.startswith("Digest "):
            return False
        f = _digest_fields(given)
        ha1 = _md5(f"{self.host.username}:{self._realm}:{self.host.password}")
        ha2 = _md5(f"{method}:{f.get('uri', '')}")
        expected_response = _md5(
            f"{ha1}:{f.get('nonce')}:{f.get('nc')}:{f.get('cnonce')}:{f.get('qop')}:{ha2}"
        )
        return (
            f.get("username") == self.host.username
            and f.get("nonce") == self.nonce
            and secrets.compare_digest(f.get("response", ""), expected_response)
        )


_REASONS = {200: "OK", 401: "Unauthorized", 404: "Not Found", 500: "Internal Server Error"}


def _without_session(target: str) -> str:
    """The request target as the vendor table writes it: ``sid`` dropped, unquoted.

    >>> _without_session("/cgi-bin/api.values.get?request=P47%3AP35&sid=ab12")
    '/cgi-bin/api.values.get?request=P47:P35'
    >>> _without_session("/PortInformationX?1")
    '/PortInformationX?1'
    """
    parts = urlsplit(target)
    path = unquote(parts.path)
    if not parts.query:
        return path
    if "=" not in parts.query:
        return f"{path}?{parts.query}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "sid"]
    return f"{path}?{unquote(urlencode(query))}" if query else path
