"""The fix plan: per device, the config to apply, in order, merged across findings.

Findings carry their fix as ``remediation`` text (config lines as the platform writes
them). The plan is derived from that text and the platform, here in the report layer:

- **Cisco IOS / ASA**: indentation is the hierarchy. Each line becomes a path
  ``(parent, child, ...)``; identical paths from several findings are one line, and lines
  under the same top-level parent (``interface X``, ``policy-map P``, ``ip access-list
  extended N``, ``sip-ua``) are one part. A part goes where its last line was asked for,
  so definitions (class-map, policy-map) stay before their use (service-policy). An ACL
  entry ``permit ip S D`` covers ``permit udp|tcp S D ...`` entries of the same list
  (sequence number or ASA ``line N`` aside): the covered entries are dropped, their
  findings credited to the covering one. Exec lines (``clear``/``show``) run after
  ``end``; ``!`` lines are comments. Rollback: ``no X`` for ``X`` (and ``X`` for ``no
  X``); an IOS ACL entry ``N permit ...`` rolls back with ``no N``; an ASA ``access-list
  A line N ...`` with ``no access-list A ...``; a setting whose previous value shows in
  the evidence (``aging time 1``) rolls back to that line.
- **RouterOS**: each line is a whole command (``/path verb args``, ``place-before``
  kept); duplicates are one line; an ``add`` whose arguments are a subset of another
  ``add`` on the same path covers it. Rollback: ``remove [find comment=...]`` (or the
  added rule's own arguments) for ``add``; for ``set``, the previous values when the
  evidence shows every one of them, else none.
- **Phones and other platforms of ``settings`` syntax**: setting lines, deduplicated, in
  order; ``[section]`` lines (INI-style files) are context; lines in parentheses are
  manual steps, shown as comments. Rollback: the previous value from the evidence.

Check order (what to apply first): the paths calls need (firewall, NAT, ALG, ARP), then
access ports and QoS, then SIP settings, then counters to clear, then phones.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fleetaudit.model import Finding, Report
from fleetaudit.phones import is_phone
from fleetaudit.platforms import Platform, registry
from fleetaudit.platforms.base import ConfigSyntax


def _declared(platform: str) -> Platform:
    """The platform's declaration; a stored run's unknown platform gets settings lines."""
    return registry().get(platform) or Platform(platform, platform, "ssh", "")


ORDER = [
    "FW002", "FW001", "NAT001", "ALG001", "ARP001", "PSEC001", "QOS002", "QOS001",
    "SIP001", "SIP002", "SIP003",
]  # fmt: skip
EXEC = ("clear ", "show ", "write ", "copy ")
PLACEHOLDER = re.compile(r"<[a-z][a-z ]*>")


def check_rank(check: str) -> tuple[int, str]:
    return (ORDER.index(check) if check in ORDER else len(ORDER), check)


@dataclass
class Part:
    """One piece of config: its lines (context lines first), what it resolves, its undo."""

    lines: list[str]
    resolves: list[str] = field(default_factory=list)  # finding fingerprints
    rollback: list[str] = field(default_factory=list)
    exec_mode: bool = False
    position: int = 0

    @property
    def placeholders(self) -> list[str]:
        return sorted({m for line in self.lines for m in PLACEHOLDER.findall(line)})

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "resolves": self.resolves,
            "rollback": self.rollback or None,
            "mode": "exec" if self.exec_mode else "config",
            "placeholders": self.placeholders,
        }


@dataclass
class DevicePlan:
    host: str
    platform: str
    role: str | None
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # manual steps

    @property
    def comment(self) -> str:
        return _declared(self.platform).comment

    def apply_text(self) -> str:
        c = self.comment
        out: list[str] = []
        config = [p for p in self.parts if not p.exec_mode]
        execs = [p for p in self.parts if p.exec_mode]
        mode = _declared(self.platform).config_mode
        if mode and config:
            out.append(mode[0])
        for p in config:
            out.append(f"{c} resolves: {self.resolved(p)}")
            if p.placeholders:
                out.append(f"{c} edit first: replace {' '.join(p.placeholders)}")
            out += p.lines
        if mode and config:
            out.append(mode[1])
        for p in execs:
            out.append(f"{c} resolves: {self.resolved(p)}")
            out += p.lines
        out += [f"{c} note: {ascii_safe(n)}" for n in self.notes]
        return "\n".join(out) + "\n"

    def resolved(self, part: Part) -> str:
        """The findings a part resolves, as ``CHECK subject`` (the host is the device's)."""
        return ascii_safe("; ".join(fp.replace(f"|{self.host}|", " ") for fp in part.resolves))

    def merge_adjacent(self) -> None:
        """Neighbouring parts that resolve the same findings read as one."""
        merged: list[Part] = []
        for p in self.parts:
            last = merged[-1] if merged else None
            if last and last.resolves == p.resolves and last.exec_mode == p.exec_mode:
                last.lines += p.lines
                last.rollback = p.rollback + last.rollback  # undone in reverse
            else:
                merged.append(p)
        self.parts = merged

    def rollback_text(self) -> str:
        parts = [p for p in reversed(self.parts) if p.rollback]
        if not parts:
            return ""
        lines = [line for p in parts for line in p.rollback]
        mode = _declared(self.platform).config_mode
        if mode:
            lines = [mode[0], *lines, mode[1]]
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "platform": self.platform,
            "role": self.role,
            "parts": [p.to_json() for p in self.parts],
            "notes": self.notes,
            "apply": self.apply_text(),
            "rollback": self.rollback_text() or None,
        }


def ascii_safe(text: str) -> str:
    """Comments pasted into a device CLI stay ASCII."""
    return text.replace("→", "->").encode("ascii", "replace").decode()


# -- Cisco: indentation is the hierarchy -----------------------------------------------


def _paths(text: str) -> list[tuple[str, ...]]:
    stack: list[tuple[int, str]] = []
    paths = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = (*(line for _, line in stack), raw)
        paths.append(path)
        stack.append((indent, raw))
    # keep leaves only: a line that has children is context
    return [p for p in paths if not any(q[: len(p)] == p and len(q) > len(p) for q in paths)]


ACL = re.compile(
    r"^(?:(?P<asa>access-list \S+)(?: line \d+)? extended |\s*\d+ )?"
    r"(?P<action>permit|deny) (?P<proto>\S+) (?P<rest>.*)$"
)


def _acl(path: tuple[str, ...]) -> tuple[str, str, str, list[str]] | None:
    m = ACL.match(path[-1])
    if not m or (not m["asa"] and len(path) < 2):
        return None
    key = m["asa"] or path[0]
    return key, m["action"], m["proto"], m["rest"].split()


def _covers(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    pa, pb = _acl(a), _acl(b)
    if pa is None or pb is None or a == b:
        return False
    return (
        pa[0] == pb[0]
        and pa[1] == pb[1]
        and pa[2] == "ip"
        and pb[2] in ("ip", "udp", "tcp")
        and pb[3][: len(pa[3])] == pa[3]
        and (pb[2] != "ip" or len(pb[3]) > len(pa[3]))
    )


def _negate(line: str) -> str:
    body = line.lstrip(" ")
    indent = line[: len(line) - len(body)]
    if body.startswith("no "):
        return indent + body[3:]
    m = re.match(r"(\d+) (permit|deny|remark) ", body)
    if m:
        return f"{indent}no {m[1]}"
    m = re.match(r"access-list (\S+) line \d+ (.*)$", body)
    if m:
        return f"{indent}no access-list {m[1]} {m[2]}"
    return f"{indent}no {body}"


def _previous(line: str, evidence: list[str]) -> str | None:
    """The evidence line that sets the same thing to another value, if any."""
    timer = re.fullmatch(r"timeout (\S+) \S+", line.strip())
    for text in evidence if timer else []:  # ASA: several timers share one line
        old = re.search(rf"\b{re.escape(timer[1])} (\S+)", text) if timer else None
        if old and text.startswith("timeout "):
            return f"timeout {timer[1]} {old[1]}" if timer else None
    head = line.split()[:-1]
    if len(head) < 2 or not re.fullmatch(r"[\d:]+", line.split()[-1]):
        return None  # only values (timers, counts) are settings; names are entries
    for text in evidence:
        words = text.split()
        if words[:-1] == head and words != line.split():
            indent = line[: len(line) - len(line.lstrip(" "))]
            return indent + " ".join(words)
    return None


def _cisco(findings: list[Finding], plan: DevicePlan) -> None:
    leaves: dict[tuple[str, ...], list[str]] = {}  # path -> fingerprints
    order: dict[tuple[str, ...], int] = {}
    evidence: dict[tuple[str, ...], list[str]] = {}
    counter = 0
    for f in findings:
        for path in _paths(f.remediation):
            counter += 1
            leaves.setdefault(path, [])
            if f.fingerprint not in leaves[path]:
                leaves[path].append(f.fingerprint)
            order[path] = max(order.get(path, 0), counter)
            evidence.setdefault(path, []).extend(r.text.strip() for r in f.evidence)
    for b in list(leaves):
        cover = next((a for a in leaves if _covers(a, b)), None)
        if cover is not None:
            leaves[cover] += [fp for fp in leaves.pop(b) if fp not in leaves[cover]]
    parts: dict[tuple[str, bool], Part] = {}
    for path, fps in leaves.items():
        top = path[0]
        body = top.strip()
        if body.startswith("!"):
            continue  # comments in remediations are advice, carried by "resolves"
        exec_mode = len(path) == 1 and body.startswith(EXEC)
        part = parts.setdefault((top, exec_mode), Part([], exec_mode=exec_mode))
        for i, line in enumerate(path):
            if i < len(path) - 1 and line in part.lines:
                continue  # context already written
            part.lines.append(line)
        part.resolves += [fp for fp in fps if fp not in part.resolves]
        part.position = max(part.position, order[path])
        if not exec_mode:
            undo = _previous(path[-1], evidence[path]) or _negate(path[-1])
            part.rollback += [c for c in path[:-1] if c not in part.rollback] + [undo]
    plan.parts = sorted(parts.values(), key=lambda p: p.position)


# -- RouterOS: one whole command a line ------------------------------------------------


def _ros_split(line: str) -> tuple[str, str, list[str]] | None:
    m = re.match(r"^(/[^=]*?) (add|set|remove|disable|enable) ?(.*)$", line.strip())
    if not m:
        return None
    lexer = shlex.shlex(m[3], posix=False, punctuation_chars=False)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    depth = 0
    for token in lexer:  # keep [find ...] selectors whole
        if depth and words:
            words[-1] += " " + token
        else:
            words.append(token)
        depth += token.count("[") - token.count("]")
    return m[1], m[2], words


def _ros_rollback(line: str, evidence: list[str]) -> list[str]:
    split = _ros_split(line)
    if split is None:
        return []
    path, verb, words = split
    args = [w for w in words if not w.startswith("place-before=")]
    if verb == "add":
        comment = next((w for w in args if w.startswith("comment=")), None)
        return [f"{path} remove [find {comment or ' '.join(args)}]"]
    if verb != "set":
        return []
    selector = [w for w in words if "=" not in w or w.startswith("[")]
    old = []
    for w in words:
        if "=" not in w or w.startswith("["):
            continue
        key = w.split("=", 1)[0]
        found = next(
            (m[1] for t in evidence if (m := re.search(rf"(?<![\w-]){re.escape(key)}=(\S+)", t))),
            None,
        )
        if found is None:
            return []
        old.append(f"{key}={found}")
    return [" ".join([path, "set", *selector, *old])]


def _ros_covers(a: str, b: str) -> bool:
    sa, sb = _ros_split(a), _ros_split(b)
    if not sa or not sb or a == b or sa[1] != "add" or sb[1] != "add" or sa[0] != sb[0]:
        return False
    keep = {w for w in sa[2] if not w.startswith("place-before=")}
    return keep < {w for w in sb[2] if not w.startswith("place-before=")}


def _routeros(findings: list[Finding], plan: DevicePlan) -> None:
    lines: dict[str, Part] = {}
    for f in findings:
        for line in f.remediation.splitlines():
            if not line.strip():
                continue
            if line.lstrip().startswith("#"):
                continue
            part = lines.setdefault(line, Part([line], position=len(lines)))
            if f.fingerprint not in part.resolves:
                part.resolves.append(f.fingerprint)
            rollback = _ros_rollback(line, [r.text for r in f.evidence])
            part.rollback = part.rollback or rollback
    for b in list(lines):
        cover = next((a for a in lines if _ros_covers(a, b)), None)
        if cover is not None:
            lines[cover].resolves += [f for f in lines.pop(b).resolves]
    rollbacks_seen: set[str] = set()
    for part in lines.values():  # two rules with one comment: one remove
        part.rollback = [r for r in part.rollback if r not in rollbacks_seen]
        rollbacks_seen.update(part.rollback)
    plan.parts = list(lines.values())


# -- settings (phones, INI-style files, anything else) ----------------------------------

SETTING = re.compile(r'^\s*"?(?P<key>[\w.\-]+)"?\s*(?P<sep>=|:)\s*(?P<value>.*)$')


def _setting_rollback(line: str, evidence: list[str]) -> list[str]:
    m = SETTING.match(line)
    if not m or m["sep"] != "=":
        return []
    for text in evidence:
        e = SETTING.match(text)
        if e and e["key"] == m["key"]:
            old = e["value"].rstrip(",").strip().strip('"')
            quoted = m["value"].startswith('"')
            value = f'"{old}"' if quoted else old
            spacing = " = " if " = " in line else "="
            undo = f"{m['key']}{spacing}{value}"
            return [] if undo.strip() == line.strip() else [undo]
    return []


def _settings(findings: list[Finding], plan: DevicePlan) -> None:
    parts: dict[tuple[str, str], Part] = {}
    for f in findings:
        section = ""
        for line in f.remediation.splitlines():
            text = line.strip()
            if not text:
                continue
            if text.startswith("(") and text.endswith(")"):
                if text[1:-1] not in plan.notes:
                    plan.notes.append(text[1:-1])
                continue
            if re.fullmatch(r"\[[^\]]+\]", text) or text.startswith(";"):
                section = text if text.startswith("[") else section
                continue
            part = parts.setdefault(
                (section, line), Part([section, line] if section else [line], position=len(parts))
            )
            if f.fingerprint not in part.resolves:
                part.resolves.append(f.fingerprint)
            rollback = _setting_rollback(line, [r.text for r in f.evidence])
            if rollback and not part.rollback:
                part.rollback = ([section] if section else []) + rollback
    plan.parts = list(parts.values())


# -- the plan -------------------------------------------------------------------------


#: how fix lines merge, per configuration syntax a platform declares (``config_syntax``)
RENDERERS: dict[ConfigSyntax, Callable[[list[Finding], DevicePlan], None]] = {
    "indented": _cisco,
    "commands": _routeros,
    "settings": _settings,
}


def plan(report: Report) -> list[DevicePlan]:
    """One plan per device with failing findings that carry a fix, network devices first."""
    failing = [f for f in report.findings if f.status == "fail" and f.remediation.strip()]
    hosts = {h.name: h for h in report.hosts}
    plans = []
    for name in dict.fromkeys(h.name for h in report.hosts):
        mine = sorted(
            (f for f in failing if f.host == name),
            key=lambda f: (check_rank(f.check), f.subject),
        )
        if not mine:
            continue
        host = hosts[name]
        device = DevicePlan(name, host.platform, host.role)
        RENDERERS[_declared(host.platform).config_syntax](mine, device)
        device.merge_adjacent()
        plans.append(device)
    return sorted(plans, key=lambda p: is_phone(p.platform))


def render_text(report: Report) -> str:
    """``--format fixes``: plain text, one block per device, nothing wrapped."""
    plans = plan(report)
    if not plans:
        return "# nothing to fix: no failing finding carries a fix\n"
    out = []
    for p in plans:
        c = p.comment
        title = f"{p.host} ({p.platform}{', ' + p.role if p.role else ''})"
        out += [f"{c} ==== {title}: apply, in this order ====", p.apply_text().rstrip("\n")]
        rollback = p.rollback_text()
        if rollback:
            out += [f"{c} ==== {p.host}: rollback (undoes the above) ====", rollback.rstrip("\n")]
        out.append("")
    return "\n".join(out)


def to_json(report: Report) -> list[dict[str, Any]]:
    return [p.to_json() for p in plan(report)]
