"""Collect a phone over its web interface with httpx: one Nornir task per phone.

Every request a vendor table (``fleetaudit.platforms.phones.vendors``) lists is made once; each
answer becomes :class:`Evidence` keyed by the call's command. What goes wrong is data:
a refused connection or an untrusted certificate -> ``unreachable``, 401 -> ``auth_failed``,
no answer in time -> ``timeout`` (the phone's remaining calls are skipped, so one hung
phone costs one timeout), a 5xx / an HTML page instead of JSON or XML / a truncated body
-> that call's evidence is an error and the host ``partial``.

Per-host settings in inventory data ``phone:``::

    phone:
      scheme: https          # default; http only where the inventory says so (warned)
      verify: /path/ca.pem   # default true (system CAs); false: do not verify (warned)
      config_server: http://cucm.example.com:6970   # Cisco: where SEP<MAC>.cnf.xml is
"""

from __future__ import annotations

import json
import re
import ssl
import time
import xml.etree.ElementTree as ET
from collections.abc import Generator
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import httpx

from fleetaudit.errors import UsageError
from fleetaudit.evidence import Evidence, EvidenceStatus, HostCollection
from fleetaudit.model import PLAIN_HTTP, UNVERIFIED_TLS, HostStatus
from fleetaudit.platforms.phones.vendors import GRANDSTREAM_LOGIN, VENDORS, Call, Vendor

if TYPE_CHECKING:
    from nornir.core.inventory import Host


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def settings_of(host: Host) -> tuple[str, bool | str, str | None]:
    """(scheme, verify, config_server) from ``data.phone``, validated."""
    data = host.get("phone") or {}
    if not isinstance(data, dict):
        raise UsageError(f"{host.name}.data.phone: expected a mapping (scheme, verify, ...)")
    scheme = str(data.get("scheme", "https"))
    if scheme not in ("http", "https"):
        raise UsageError(f"{host.name}.data.phone.scheme is {scheme!r}; use http or https")
    verify = data.get("verify", True)
    if not isinstance(verify, bool | str):
        raise UsageError(f"{host.name}.data.phone.verify: true, false or a CA file path")
    config = data.get("config_server")
    return scheme, verify, str(config) if config else None


def _verify(verify: bool | str) -> ssl.SSLContext | bool:
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    return verify


def _good_body(call: Call, response: httpx.Response) -> str | None:
    """Why the body is not what the call returns (an error page, a cut document); None: ok."""
    text = response.text
    if call.body == "json":
        try:
            json.loads(text)
        except ValueError:
            kind = response.headers.get("content-type", "unknown type").split(";")[0]
            looks = "an HTML page" if "<html" in text[:500].lower() else f"{kind} text"
            return f"expected JSON, got {looks} ({len(text)} bytes)"
    elif call.body == "xml":
        try:
            ET.fromstring(text.strip())
        except ET.ParseError as exc:
            return f"expected XML, got text that does not parse ({exc})"
    elif call.body == "html":
        if "</html>" not in text[-2000:].lower():
            return f"expected a whole HTML page, got {len(text)} bytes without </html>"
        if 'type="password"' in text.lower() or "loginform" in text.lower():
            return "expected the status page, got the login page"
    elif "<html" in text[:500].lower():
        return "expected a configuration file, got an HTML page"
    return None


class _Stop(Exception):
    """The phone cannot be asked anything more: the host status says why."""

    def __init__(self, status: HostStatus, error: str) -> None:
        super().__init__(error)
        self.status, self.error = status, error


def http_failure(exc: httpx.HTTPError, timeout: float) -> tuple[EvidenceStatus, HostStatus, str]:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return "timeout", "timeout", f"no connection in {timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", "timeout", f"no answer in {timeout:g} s"
    if isinstance(exc, httpx.ConnectError) and "CERTIFICATE" in text.upper():
        return (
            "error",
            "unreachable",
            f"TLS: the phone's certificate is not trusted ({text.splitlines()[0]}); give "
            "data.phone.verify a CA file, or set it to false to skip verification",
        )
    if isinstance(exc, httpx.ConnectError) and ("SSL" in text.upper() or "TLS" in text.upper()):
        return (
            "error",
            "unreachable",
            f"TLS handshake failed ({text.splitlines()[0]}): the phone may not serve https "
            "on this port; https is the default, a phone that only speaks plain http needs "
            "data.phone.scheme: http (and is reported as audited unencrypted)",
        )
    if isinstance(exc, httpx.ConnectError):
        return "error", "unreachable", f"connection refused or no route: {text.splitlines()[0]}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "error", "partial", f"truncated answer: {text.splitlines()[0]}"
    return "error", "partial", f"{type(exc).__name__}: {text.splitlines()[0]}"


class ChallengeAuth(httpx.Auth):
    """Basic or Digest, whichever scheme the phone's 401 challenge names; learnt on the
    first request, then used for the rest of the session."""

    def __init__(self, user: str, password: str) -> None:
        self._schemes: dict[str, httpx.Auth] = {
            "basic": httpx.BasicAuth(user, password),
            "digest": httpx.DigestAuth(user, password),
        }
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme is not None:
            yield from self._schemes[self._scheme].auth_flow(request)
            return
        response = yield request
        scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if response.status_code == 401 and scheme in self._schemes:
            self._scheme = scheme
            yield from self._schemes[scheme].auth_flow(request)


class PhoneSession:
    """One phone's client: authentication, the calls, evidence."""

    def __init__(self, host: Host, connect_timeout: float, command_timeout: float) -> None:
        self.host = host
        self.platform = str(host.platform)
        self.vendor: Vendor = VENDORS[self.platform]
        scheme, verify, self.config_server = settings_of(host)
        port = host.port or (443 if scheme == "https" else 80)
        self.timeout = command_timeout
        auth: httpx.Auth | None = None
        user, password = host.username or "", host.password or ""
        if self.vendor.auth == "basic":
            auth = httpx.BasicAuth(user, password)
        elif self.vendor.auth == "digest":
            auth = httpx.DigestAuth(user, password)
        elif self.vendor.auth == "challenge":
            auth = ChallengeAuth(user, password)
        self.client = httpx.Client(
            base_url=f"{scheme}://{host.hostname}:{port}",
            auth=auth,
            verify=_verify(verify),
            timeout=httpx.Timeout(command_timeout, connect=connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": "fleetaudit (read-only audit)"},
        )
        self.params: dict[str, str] = {}

    def close(self) -> None:
        self.client.close()

    def login(self) -> None:
        """Grandstream: a session id from ``/cgi-bin/dologin``; others log in per request."""
        if self.vendor.auth != "session":
            return
        try:
            response = self.client.post(
                GRANDSTREAM_LOGIN,
                data={"username": self.host.username or "", "password": self.host.password or ""},
            )
        except httpx.HTTPError as exc:
            _, status, error = http_failure(exc, self.timeout)
            raise _Stop("unreachable" if status == "partial" else status, error) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code in (401, 403) or (
            isinstance(body, dict) and body.get("response") == "error"
        ):
            raise _Stop("auth_failed", "authentication failed: check the username/password")
        sid = body.get("body", {}).get("sid") if isinstance(body, dict) else None
        if response.status_code != 200 or not sid:
            raise _Stop("partial", f"login answered HTTP {response.status_code} without a session")
        self.params = {"sid": str(sid)}
        self.client.cookies.set("session-identity", str(sid))  # as the web UI sends it

    def fetch(self, call: Call, url: str | None = None) -> Evidence:
        started, clock = _now(), time.monotonic()

        def done(status: EvidenceStatus, output: str = "", error: str | None = None) -> Evidence:
            return Evidence(
                self.host.name,
                self.platform,
                call.command,
                status,
                output,
                started,
                time.monotonic() - clock,
                error,
            )

        try:
            target, content = url or call.path, call.payload
            if self.params and call.form:  # Grandstream's web UI posts the sid in the form
                content = f"{content}&{urlencode(self.params)}" if content else None
            elif self.params:  # httpx's params= would replace the query the call carries
                target += ("&" if "?" in target else "?") + urlencode(self.params)
            kind = "application/x-www-form-urlencoded" if call.form else "application/json"
            response = self.client.request(
                call.method,
                target,
                content=content,
                headers={"Content-Type": kind} if content else None,
            )
            text = response.text
        except httpx.HTTPError as exc:
            status, host_status, error = http_failure(exc, self.timeout)
            if host_status in ("unreachable", "timeout"):
                raise _Stop(host_status, error) from None
            return done(status, error=error)
        if response.status_code in (401, 403):
            raise _Stop("auth_failed", "authentication failed: check the username/password")
        if response.status_code >= 300:
            return done("error", error=f"HTTP {response.status_code} {response.reason_phrase}")
        bad = _good_body(call, response)
        if bad:
            return done("error", text[:2000], bad)
        return done("ok", text)

    def cisco_config_url(self, evidence: dict[str, Evidence]) -> str | None:
        """``SEP<MAC>.cnf.xml`` on the config server (inventory) or the phone's TFTP
        server's HTTP port 6970, the file the phone itself loads."""
        info = evidence.get("GET /DeviceInformationX")
        network = evidence.get("GET /NetworkConfigurationX")
        mac = _xml_text(info.output if info and info.status == "ok" else "", "MACAddress")
        if not mac:
            return None
        base = self.config_server
        if base is None:
            tftp = _xml_text(
                network.output if network and network.status == "ok" else "", "TFTPServer1"
            )
            base = f"http://{tftp}:6970" if tftp else None
        mac = re.sub(r"[^0-9A-Fa-f]", "", mac).upper()
        return f"{base.rstrip('/')}/SEP{mac}.cnf.xml" if base else None


def _xml_text(text: str, tag: str) -> str | None:
    match = re.search(rf"<{tag}>\s*([^<]*?)\s*</{tag}>", text)
    return match.group(1) if match and match.group(1) else None


def insecure(scheme: str, verify: bool | str) -> str | None:
    """The report's warning when a phone is audited without (verified) TLS."""
    if scheme == "http":
        return (
            f"warning: {PLAIN_HTTP}: the web login and the phone's answers crossed the "
            "network unencrypted"
        )
    if verify is False:
        return f"warning: {UNVERIFIED_TLS}: anyone on the path could have answered"
    return None


def collect_phone(
    host: Host, site: str | None, connect_timeout: float, command_timeout: float
) -> HostCollection:
    """Collect one phone; never raises for anything the phone does."""
    found = _collect_phone(host, site, connect_timeout, command_timeout)
    scheme, verify, _ = settings_of(host)
    warning = insecure(scheme, verify)
    if warning:
        found.error = f"{found.error}; {warning}" if found.error else warning
    return found


def _collect_phone(
    host: Host, site: str | None, connect_timeout: float, command_timeout: float
) -> HostCollection:
    platform = str(host.platform)
    found = HostCollection(host.name, platform, site, host.get("role"))
    session = PhoneSession(host, connect_timeout, command_timeout)
    try:
        session.login()
        for call in session.vendor.calls:
            url = None
            if call.pattern:  # Cisco: SEP<MAC>.cnf.xml from the config server
                url = session.cisco_config_url(found.evidence)
                if url is None:
                    found.evidence[call.command] = Evidence(
                        host.name,
                        platform,
                        call.command,
                        "error",
                        started=_now(),
                        error="the phone's MAC or config server is unknown; set "
                        "data.phone.config_server",
                    )
                    continue
            found.evidence[call.command] = session.fetch(call, url)
    except _Stop as stop:
        found.status, found.error = stop.status, stop.error
        if found.evidence and stop.status == "timeout":
            found.status = "partial"
            found.error = f"{stop.error}; later calls not made"
        return found
    finally:
        session.close()
    bad = [e for e in found.evidence.values() if e.status != "ok"]
    if bad:
        found.status = "partial"
        found.error = "; ".join(f"{e.command}: {e.status} ({e.error})" for e in bad)
    return found
