"""SIP response codes as Cisco's ``show sip-ua statistics`` names them, with what each
means for a trunk and what usually causes it (our words, from the seeds' tables)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SipCode:
    code: int
    reason: str
    meaning: str
    likely_cause: str
    expected: bool = False  # a normal part of signalling, not a fault by itself


_Row = tuple[str, int, str, str, str] | tuple[str, int, str, str, str, bool]
_CODES: list[_Row] = [
    (
        "BadRequest",
        400,
        "Bad Request",
        "the far end could not parse the request",
        "malformed signalling, often rewritten by a SIP ALG on the path",
    ),
    (
        "Unauthorized",
        401,
        "Unauthorized",
        "the registrar asks for digest credentials",
        "normal first answer to REGISTER; only a fault if no request ever succeeds",
        True,
    ),
    (
        "PaymentRequired",
        402,
        "Payment Required",
        "the provider refuses service for billing",
        "account balance or contract with the provider",
    ),
    (
        "Forbidden",
        403,
        "Forbidden",
        "the server understood and refuses: wrong credentials, "
        "unknown or disabled account, or a caller that is not registered",
        "wrong username/password/realm on the trunk, or the source address is not allowed",
    ),
    (
        "NotFound",
        404,
        "Not Found",
        "the called user or number does not exist at that domain",
        "wrong number format or SIP domain; behind NAT, a registration made with a private address",
    ),
    (
        "MethodNotAllowed",
        405,
        "Method Not Allowed",
        "the method is not supported there",
        "a feature (e.g. INFO, MESSAGE) the provider does not offer",
    ),
    (
        "NotAcceptable",
        406,
        "Not Acceptable",
        "the response cannot meet the request's Accept headers",
        "mismatched SIP extensions",
    ),
    (
        "ProxyAuthReqd",
        407,
        "Proxy Authentication Required",
        "the proxy asks for credentials",
        "normal challenge to INVITE; a fault only if calls never authenticate",
        True,
    ),
    (
        "ReqTimeout",
        408,
        "Request Timeout",
        "no final answer in time",
        "a firewall or NAT dropping signalling or the answers to it; the provider unreachable",
    ),
    (
        "Conflict",
        409,
        "Conflict",
        "the user is already registered elsewhere",
        "two devices registering the same account",
    ),
    ("Gone", 410, "Gone", "the user existed and no longer does", "stale number or account"),
    (
        "ReqEntityTooLarge",
        413,
        "Request Entity Too Large",
        "the message is too big",
        "oversized SDP or headers; UDP fragmentation on the path",
    ),
    (
        "ReqURITooLarge",
        414,
        "Request-URI Too Long",
        "the Request-URI is too long",
        "misbuilt dial string",
    ),
    (
        "UnsupportedMediaType",
        415,
        "Unsupported Media Type",
        "the body format is not accepted",
        "SDP or content type the provider does not support",
    ),
    (
        "BadExtension",
        420,
        "Bad Extension",
        "a required SIP extension is unknown",
        "Require header (e.g. 100rel) the provider does not support",
    ),
    (
        "SETooSmall",
        422,
        "Session Interval Too Small",
        "the session timer is too short",
        "session-expires below the provider's minimum",
    ),
    (
        "TempNotAvailable",
        480,
        "Temporarily Unavailable",
        "the callee is not reachable now",
        "the far phone is unregistered or offline; registrations dropping",
    ),
    (
        "CallLegNonExistent",
        481,
        "Call/Transaction Does Not Exist",
        "the request matches no dialog",
        "NAT bindings that expired mid-call; a SIP ALG rewriting dialog identifiers",
    ),
    (
        "LoopDetected",
        482,
        "Loop Detected",
        "the request came back to the server",
        "routing loop between gateway and provider",
    ),
    (
        "TooManyHops",
        483,
        "Too Many Hops",
        "Max-Forwards reached zero",
        "routing loop, or max-forwards set too low",
    ),
    (
        "AddrIncomplete",
        484,
        "Address Incomplete",
        "the dialled number is incomplete",
        "dial-peer digit handling strips or truncates digits",
    ),
    ("Ambiguous", 485, "Ambiguous", "the address matches several users", "dial plan overlap"),
    ("BusyHere", 486, "Busy Here", "the callee is busy", "a normal call outcome", True),
    (
        "RequestCancel",
        487,
        "Request Terminated",
        "the call was cancelled before answer",
        "a normal call outcome (caller hung up)",
        True,
    ),
    (
        "NotAcceptableMedia",
        488,
        "Not Acceptable Here",
        "no codec or media setting in common",
        "codec list or order differs from the provider's (e.g. PCMU, PCMA, G729)",
    ),
    (
        "BadEvent",
        489,
        "Bad Event",
        "the subscription event is not understood",
        "an unsupported SUBSCRIBE/NOTIFY package",
    ),
    ("InternalError", 500, "Server Internal Error", "the server failed", "provider fault"),
    (
        "NotImplemented",
        501,
        "Not Implemented",
        "the server lacks the feature",
        "a method the provider does not implement",
    ),
    (
        "BadGateway",
        502,
        "Bad Gateway",
        "an upstream server answered badly",
        "provider-side routing fault",
    ),
    (
        "ServiceUnavail",
        503,
        "Service Unavailable",
        "the server is overloaded or down, or has no route",
        "provider outage, or no trunk/route for the number",
    ),
    (
        "GatewayTimeout",
        504,
        "Server Time-out",
        "an upstream server did not answer in time",
        "provider-side timeout, DNS failure",
    ),
    (
        "BadSipVer",
        505,
        "Version Not Supported",
        "the SIP version is not supported",
        "broken signalling, often from a middlebox",
    ),
    (
        "PreCondFailure",
        580,
        "Precondition Failure",
        "media preconditions cannot be met",
        "QoS/precondition negotiation mismatch",
    ),
    (
        "BusyEverywhere",
        600,
        "Busy Everywhere",
        "every destination is busy",
        "a normal call outcome",
        True,
    ),
    ("Decline", 603, "Decline", "the callee declined", "a normal call outcome", True),
    (
        "NotExistAnywhere",
        604,
        "Does Not Exist Anywhere",
        "the number exists nowhere",
        "wrong number or number format",
    ),
]

BY_COUNTER: dict[str, SipCode] = {
    row[0].lower(): SipCode(row[1], row[2], row[3], row[4], len(row) > 5) for row in _CODES
}
# "NotAcceptable" is 406 under Client Error but 606 under Global Failure
GLOBAL_NOT_ACCEPTABLE = SipCode(
    606, "Not Acceptable", "no acceptable session anywhere", "codec or media mismatch"
)


def explain_counter(section: str, name: str) -> SipCode | None:
    if section == "Global Failure" and name.lower() == "notacceptable":
        return GLOBAL_NOT_ACCEPTABLE
    return BY_COUNTER.get(name.lower())
