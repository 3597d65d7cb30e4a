r"""The one scrubber: secrets out of device outputs before anything parses, stores or
reports them.

It runs once per output, where evidence enters fleetaudit: the collector scrubs each
host's evidence as its task ends (CLI commands, napalm getters, phone web answers), and
the offline reader scrubs saved files (``scan``, candidate folders). :func:`scrub_evidence`
marks what it scrubbed (``Evidence.scrubbed``); the store refuses evidence without that
mark rather than scrubbing it a second time.

Text is scrubbed by netutils' ``sanitize_config`` with the filters of its kind, told by
its first character:

- markup (``<``: phone XML, HTML pages): a secret becomes ``&lt;removed&gt;``, so the
  document still parses, and reads ``<removed>``;
- JSON (``{`` or ``[``: phone APIs, napalm getters): a secret value becomes
  ``"<removed>"``, so the document still parses;
- anything else (IOS/ASA configs and show outputs, RouterOS exports and prints, phone
  ``key = value`` files, Grandstream P-value files and forms): ``<removed>``; a platform
  whose own formats hold secrets these filters miss declares filters of its own
  (``Platform.secret_filters``), applied to every text.

>>> scrub("enable secret 9 $9$abc")
'enable secret 9 <removed>'
>>> scrub("/user add name=bob password=hunter2")
'/user add name=bob password=<removed>'
>>> scrub('<Password_1_ ua="na">hunter2</Password_1_>')
'<Password_1_ ua="na">&lt;removed&gt;</Password_1_>'
>>> scrub('{"P2": "hunter2", "P47": "sip.example.com"}')
'{"P2": "<removed>", "P47": "sip.example.com"}'
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache

from netutils.config.clean import sanitize_config

from fleetaudit import platforms
from fleetaudit.evidence import Evidence, HostCollection

REMOVED = "<removed>"
MARKUP_REMOVED = "&lt;removed&gt;"  # <removed> as XML/HTML text: the document still parses

# -- CLI: IOS / ASA -------------------------------------------------------------------------
# what may stand between a secret's keyword and the secret: "7", "encrypted", "ascii 0"
_KIND = r"(?:\d{1,3}|encrypted|pbkdf2|md5|hex|ascii)"
_KEYWORDS = (
    r"password|secret|passwd|key-string|authentication-key|pre-shared-key"
    r"|message-digest-key|key|md5|wpa-psk|shared-secret"
)
# words after a keyword that are not a secret: IOS `key chain`, `crypto key generate`,
# `password encryption aes`, keyring `pre-shared-key address`; another keyword (`md5
# key-string X`: the secret follows the later one)
_NOT_SECRET = (
    rf"(?:{_KEYWORDS}|add|set|print|remove|export|chain|generate|zeroize|import|config-key"
    r"|pubkey-chain|storage|encryption|address|hostname|level)\b"
)
# `key 1` under `key chain`: a key's number, not a secret (its key-string follows)
_KEY_NUMBER = r"(?! \d+[ \t]*\r?\n\s+(?:key-string|accept-lifetime|send-lifetime)\b)"
_CLI: list[dict[str, str]] = [
    # "... password 7 0822455D0A16", "enable secret level 15 5 X", "passwd X encrypted",
    # "ntp authentication-key 1 md5 X 7", "wpa-psk ascii 0 X"; scrubbed text stays as it is
    {
        "regex": rf"(\b(?:{_KEYWORDS.replace('|key|', f'|key{_KEY_NUMBER}|')})"
        rf"(?: level \d+)?(?: {_KIND}){{0,2}})"
        rf" (?!<removed>)(?!(?:{_KIND} ){{1,2}}<removed>)(?![=:](?:\s|$))(?!{_NOT_SECRET})\S+",
        "replace": rf"\1 {REMOVED}",
        "when": "pass|secret|key|md5|wpa-psk",
    },
    {
        "regex": r"(\bkey config-key password-encrypt) (?!<removed>)\S+",
        "replace": rf"\1 {REMOVED}",
        "when": "config-key",
    },
    # SNMPv3 users: "snmp-server user U G v3 [encrypted] auth sha X priv aes 128 Y"
    {
        "regex": r"^(snmp-server user .*?\bauth (?:md5|sha\S*)) (?!<removed>)\S+",
        "replace": rf"\1 {REMOVED}",
        "when": "snmp-server user",
    },
    {
        "regex": r"^(snmp-server user .*?\bpriv (?:des56|3des|des|aes(?: (?:128|192|256))?))"
        r" (?!<removed>)(?!(?:128|192|256) <removed>)\S+",
        "replace": rf"\1 {REMOVED}",
        "when": "snmp-server user",
    },
    {
        "regex": r"(\bsnmp-server community) (?!<removed>)\S+",
        "replace": rf"\1 {REMOVED}",
        "when": "snmp-server community",
    },
    # IOS "snmp-server host 192.0.2.5 [vrf V] [informs|traps] [version 2c] COMMUNITY"
    {
        "regex": r"(\bsnmp-server host (?:\d[\d.]*|[\da-fA-F]*:[\da-fA-F:.]*|[A-Za-z][\w-]*\.[\w.-]+)"
        r"(?: vrf \S+)?(?: informs| traps)?(?: version (?:1|2c|3 \w+))?)"
        r" (?!<removed>)(?!(?:community|version|informs|traps|vrf)\b)\S+",
        "replace": rf"\1 {REMOVED}",
        "when": "snmp-server host",
    },
    # ASA "snmp-server host inside 10.0.0.5 community [0|8] X version 2c"
    {
        "regex": r"^(snmp-server host .*?\bcommunity(?: [08])?) (?!<removed>)\S+",
        "replace": rf"\1 {REMOVED}",
        "when": "snmp-server host",
    },
    # HSRP / VRRP plain-text authentication
    {
        "regex": r"(\b(?:standby|vrrp) \d+ authentication(?: text)?) (?!<removed>)(?!md5\b|text\b)\S+",
        "replace": rf"\1 {REMOVED}",
        "when": "standby|vrrp",
    },
]

# -- CLI: RouterOS (and any `key=value` text: secret=, password=) -----------------------------
# an unquoted value: up to a blank, keeping a line's closing "\" (the export continues)
_ROS_VALUE = r"\S+?(?=\\?\r?$|\s)"
_ROUTEROS: list[dict[str, str]] = [
    # password=, secret=, passphrase=, wpa2-pre-shared-key=, management-protection-key=,
    # tcp-md5-key=, private-key=, auth-key=, static-key-0= ... (not public-key=)
    {
        "regex": r"((?<![\w-])(?!public-key=)[\w-]*(?:password|secret|passphrase|psk"
        r"|key(?:-\d)?)=)"
        rf"(?!<removed>)(?:\"(?:[^\"\\\n]|\\.)*\"?|{_ROS_VALUE})",
        "replace": rf"\1{REMOVED}",
        "when": "password=|secret=|passphrase=|psk=|key=|key-",
    },
    {
        "regex": r"^(/snmp community (?:add|set) .*?\bname=)(?!<removed>)\S+",
        "replace": rf"\1{REMOVED}",
        "when": "/snmp community",
    },
    {
        "regex": rf"(\b[\w-]*community=)(?!<removed>)(?:\"[^\"]*\"|{_ROS_VALUE})",
        "replace": rf"\1{REMOVED}",
        "when": "community=",
    },
]

# -- phones -----------------------------------------------------------------------------------
# names of settings that hold a secret: account.1.password, Admin_Passwd, auth-pwd,
# static.auto_provision.aes_key_16.com, device.wifi.psk.key, sshPassword ...
_SECRET_NAME = r"(?i:passw(?:or)?d|passphrase|pwd|secret|psk|aes_key|sharekey|private_?key)"
# Grandstream P-values that hold a password: admin (P2), end user (P196), and each
# account's "Authenticate Password": P34 for account 1, P<base>+6 for the accounts laid out
# from base 400, 500, 600 (accounts 2-4; GXP templates; see phones/vendors.py)
GRANDSTREAM_SECRETS = ("P2", "P196", "P34", "P406", "P506", "P606")
_GS = rf"P(?:{'|'.join(p[1:] for p in GRANDSTREAM_SECRETS)})"
# lowercase text a filter needs to find anything: it runs only where one of them occurs
_SECRET_NEEDLES = "passw|passphrase|pwd|secret|psk|aes_key|sharekey|private"
_GS_NEEDLES = "|".join(p.lower() for p in GRANDSTREAM_SECRETS)
# a URL's password: scheme://user:PASSWORD@host
_URL = r"(://[^/\s:@\"'<>]+:)(?!<removed>|&lt;removed&gt;)[^@\s/\"'<>]+(@)"

_KEY_VALUE: list[dict[str, str]] = [
    # "account.1.password = X" (Yealink), "Admin Password: X", "P2 = X" (Grandstream)
    {
        "regex": rf"^([ \t]*[\w.\- ]*?{_SECRET_NAME}[\w.-]*[ \t]*[=:][ \t]*)(?!<removed>)[^\s].*$",
        "replace": rf"\1{REMOVED}",
        "when": _SECRET_NEEDLES,
    },
    # Grandstream P-values in a file or form: "P2 = X" / "P34=X&P35=104"
    {
        "regex": rf"(\b{_GS}[ \t]*=[ \t]*)(?!<removed>)[^&\s][^&\r\n]*",
        "replace": rf"\1{REMOVED}",
        "when": _GS_NEEDLES,
    },
    {"regex": _URL, "replace": rf"\1{REMOVED}\2", "when": "://"},
]

_JSON: list[dict[str, str]] = [
    # "reg.1.auth.password": "X", "P34": "X" (a number too)
    {
        "regex": rf"(\"(?:[^\"\r\n]*{_SECRET_NAME}[^\"\r\n]*|{_GS})\"\s*:\s*)"
        r"(?!\"<removed>\")(?:\"(?:[^\"\\\r\n]|\\.)*\"?|-?\d[\d.eE+-]*)",
        "replace": rf'\1"{REMOVED}"',
        "when": f"{_SECRET_NEEDLES}|{_GS_NEEDLES}",
    },
    {"regex": _URL, "replace": rf"\1{REMOVED}\2", "when": "://"},
]


def _markup(removed: str) -> list[dict[str, str]]:
    return [
        # <Password_1_ ua="na">X</Password_1_>, <sshPassword>X</sshPassword>, <P34>X</P34>
        # (also when the document was cut before the closing tag)
        {
            "regex": rf"(<(?:[\w.:-]*{_SECRET_NAME}[\w.:-]*|{_GS})(?:\s[^>]*)?(?<!/)>)"
            rf"(?!{removed}<)[^<]+",
            "replace": rf"\1{removed}",
            "when": f"{_SECRET_NEEDLES}|{_GS_NEEDLES}",
        },
        # Poly <reg reg.1.auth.password="X" .../>
        {
            "regex": rf"(\s[\w.:-]*{_SECRET_NAME}[\w.:-]*\s*=\s*)(?!\"{removed}\")"
            r"(?:\"[^\"]*\"?|'[^']*'?)",
            "replace": rf'\1"{removed}"',
            "when": _SECRET_NEEDLES,
        },
    ]


FILTERS = {
    # JSON and XML fragments in text (a line of a document) are scrubbed too
    "text": [*_CLI, *_ROUTEROS, *_KEY_VALUE, _JSON[0], *_markup(REMOVED)],
    "json": _JSON,
    "markup": [
        *_markup(MARKUP_REMOVED),
        {"regex": _URL, "replace": rf"\1{MARKUP_REMOVED}\2", "when": "://"},
    ],
}


@cache
def _filters(kind: str) -> tuple[dict[str, str], ...]:
    """The filters of a kind; text gets every platform's own after the CLI ones."""
    if kind != "text":
        return tuple(FILTERS[kind])
    own = [dict(f) for p in platforms.registry().values() for f in p.secret_filters]
    cli = len(_CLI) + len(_ROUTEROS)
    return (*FILTERS["text"][:cli], *own, *FILTERS["text"][cli:])


def kind_of(text: str) -> str:
    """``markup``, ``json`` or ``text``: which filters a text gets, by its first character.

    >>> kind_of('<?xml version="1.0"?>'), kind_of(' {"a": 1}'), kind_of("hostname gw1")
    ('markup', 'json', 'text')
    """
    head = text.lstrip()[:1]
    return "markup" if head == "<" else "json" if head in ("{", "[") else "text"


def scrub(text: str) -> str:
    """Text with every secret we know of replaced by ``<removed>`` (``&lt;removed&gt;`` in
    markup). Scrubbing scrubbed text changes nothing.

    >>> scrub("snmp-server user ops NMS v3 auth sha AuthPass priv aes 128 PrivPass")
    'snmp-server user ops NMS v3 auth sha <removed> priv aes 128 <removed>'
    >>> scrub("static.auto_provision.aes_key_16.com = 0123456789abcdef")
    'static.auto_provision.aes_key_16.com = <removed>'
    """
    kind = kind_of(text)
    lowered = text.lower()
    wanted = [f for f in _filters(kind) if any(n in lowered for n in f["when"].split("|"))]
    text = sanitize_config(text, wanted)
    return _routeros_snmp_communities(text) if kind == "text" else text


def _routeros_snmp_communities(text: str) -> str:
    """Community names in an export's ``/snmp community`` section (one entry a line,
    ``name=`` anywhere on it or its continuation lines)."""
    if "/snmp community" not in text:
        return text
    lines = text.split("\n")
    inside = False
    for n, line in enumerate(lines):
        if line.startswith("/"):
            inside = line.strip() == "/snmp community"
        elif inside:
            lines[n] = re.sub(
                rf"\bname=(?!<removed>)(?:\"[^\"]*\"|{_ROS_VALUE})", f"name={REMOVED}", line
            )
    return "\n".join(lines)


def scrub_evidence(evidence: Evidence) -> Evidence:
    """``evidence`` with its output and error scrubbed, marked ``scrubbed``; evidence
    already marked is returned as it is (scrubbing is done once)."""
    if evidence.scrubbed:
        return evidence
    return dataclasses.replace(
        evidence,
        output=scrub(evidence.output),
        error=scrub(evidence.error) if evidence.error else evidence.error,
        scrubbed=True,
    )


def scrub_collection(found: HostCollection) -> HostCollection:
    """One host's collection with every evidence scrubbed; changed in place and returned.

    The host's own ``error`` is fleetaudit's words (the commands it refused or that failed,
    by name, and why) and is kept as it is: the commands are the user's templates, stored
    verbatim with their evidence anyway; what a device printed is in the evidence."""
    found.evidence = {command: scrub_evidence(e) for command, e in found.evidence.items()}
    return found
