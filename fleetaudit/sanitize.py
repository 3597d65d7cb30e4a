r"""The one scrubber: secrets out of device outputs before anything parses, stores or
reports them.

It runs once per output, where evidence enters fleetaudit: the collector scrubs each
host's evidence as its task ends (CLI commands, napalm getters, phone web answers), and
the offline reader scrubs saved files (``scan``, candidate folders). :func:`scrub_evidence`
marks what it scrubbed (``Evidence.scrubbed``); the store refuses evidence without that
mark rather than scrubbing it a second time.

Text is scrubbed with the filters of its kind (netutils ``sanitize_config`` filters: each
``regex`` replaced by ``replace`` over the whole text, multi-line), told by its first
character:

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
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

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
def filters_of(kind: str) -> tuple[dict[str, str], ...]:
    """The filters of a kind; text gets every platform's own after the CLI ones."""
    if kind != "text":
        return tuple(FILTERS[kind])
    own = [dict(f) for p in platforms.registry().values() for f in p.secret_filters]
    cli = len(_CLI) + len(_ROUTEROS)
    return (*FILTERS["text"][:cli], *own, *FILTERS["text"][cli:])


#: filters whose every match lies on one line, starting on a line that holds one of its
#: ``when`` words (lowercased): they run on those lines only (the CLI kinds a config is
#: made of). The one lookahead past a line's end (`key 1` then `key-string`) sees up to
#: the next line with text. Filters that may span lines (markup, JSON) and platforms'
#: own filters run on the whole text.
_LINE_LOCAL = frozenset(f["regex"] for f in (*_CLI, *_ROUTEROS, *_KEY_VALUE))
#: what a text must hold for a filter to match at all, tested before the filter runs: a
#: markup secret is a tag (``<``); an attribute or a JSON member has its ``="``/``":``;
#: a Grandstream P-value is ``P2 =``. (The attribute filter, tried at every blank of a
#: config that holds the word "password", took four fifths of the scrubbing time.)
_REQUIRES = {
    **{f["regex"]: "<" for f in (_markup(REMOVED)[0], _markup(MARKUP_REMOVED)[0])},
    **{f["regex"]: "=\\s*[\"']" for f in (_markup(REMOVED)[1], _markup(MARKUP_REMOVED)[1])},
    _JSON[0]["regex"]: '"\\s*:',
    _KEY_VALUE[1]["regex"]: rf"\b{_GS}[ \t]*=",
}


@dataclass(frozen=True)
class _Filter:
    pattern: re.Pattern[str]
    replace: str
    needles: tuple[str, ...]
    line_local: bool
    requires: re.Pattern[str] | None

    @classmethod
    def of(cls, spec: Mapping[str, str]) -> _Filter:
        requires = _REQUIRES.get(spec["regex"])
        return cls(
            re.compile(spec["regex"], re.MULTILINE),  # as netutils' sanitize_config
            spec["replace"],
            tuple(spec["when"].split("|")) if spec.get("when") else ("",),
            spec["regex"] in _LINE_LOCAL,
            None if requires is None else re.compile(requires),
        )

    def may_match(self, text: str, lowered: str, seen: dict[str, bool]) -> bool:
        """Whether ``text`` (``lowered``) holds one of the filter's words, and what it
        requires. ``seen``: what is known of each word in ``lowered`` (filters share
        most words; each look is a scan of the whole text)."""
        for needle in self.needles:
            held = seen.get(needle)
            if held is None:
                held = seen[needle] = needle in lowered
            if held:
                break
        else:
            return False
        return self.requires is None or self.requires.search(text) is not None


@cache
def _compiled(kind: str) -> tuple[_Filter, ...]:
    """The filters of a kind, compiled once (the ``re`` module's own cache holds 512
    patterns: a run's per-host prompt patterns would push these out of it)."""
    return tuple(_Filter.of(f) for f in filters_of(kind))


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
    seen: dict[str, bool] = {}  # the words looked for in ``lowered``: each scan done once
    for item in _compiled(kind):
        if not item.may_match(text, lowered, seen):
            continue
        if item.line_local and len(lowered) == len(text):
            scrubbed = _on_lines(item, text, lowered)
        else:  # (lowercasing changed the length: offsets would not match)
            scrubbed = item.pattern.sub(item.replace, text)
        if scrubbed != text:
            text, lowered = scrubbed, scrubbed.lower()
            seen.clear()
    return routeros_snmp_communities(text) if kind == "text" else text


def _on_lines(item: _Filter, text: str, lowered: str) -> str:
    """``item`` applied to the lines of ``text`` holding one of its words (``lowered`` is
    ``text`` lowercased), each with the lines up to the next one with text after it; the
    same result as applying it to the whole text, for a line-local filter."""
    pieces: list[str] = []
    done = 0  # offset of text copied to pieces
    for start, end in _segments(item.needles, lowered):
        pieces += [text[done:start], item.pattern.sub(item.replace, text[start:end])]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _segments(needles: tuple[str, ...], lowered: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the runs of lines holding a needle, each run ending
    after the next line with text (a line end never ends a segment)."""
    starts = set()
    for needle in needles:
        at = lowered.find(needle)
        while at != -1:
            line = lowered.rfind("\n", 0, at) + 1
            starts.add(line)
            after = lowered.find("\n", at)
            at = -1 if after == -1 else lowered.find(needle, after + 1)
    segments: list[tuple[int, int]] = []
    for start in sorted(starts):
        end = _line_end(lowered, start)
        while end < len(lowered):  # the lines after, up to one with text
            following = _line_end(lowered, end + 1)
            has_text = bool(lowered[end + 1 : following].strip())
            end = following
            if has_text:
                break
        if segments and start <= segments[-1][1]:
            segments[-1] = (segments[-1][0], max(end, segments[-1][1]))
        else:
            segments.append((start, end))
    return segments


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end == -1 else end


def routeros_snmp_communities(text: str) -> str:
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
