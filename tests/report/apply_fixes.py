"""Apply a fix plan's text to a saved config, as the device would: a small per-platform
applier for the tests (IOS/ASA: lines under their parents, `no X` removes X or is kept as
the running-config shows it, IOS ACL sequence numbers, ASA `access-list A line N`;
RouterOS: `add` (with `place-before`) and `set` on an `/export`)."""

from __future__ import annotations

import re

from fleetaudit.report.fixes import _paths, _ros_split


def _block_end(lines: list[str], start: int, depth: int) -> int:
    end = start + 1
    while end < len(lines) and _indent(lines[end]) > depth:
        end += 1
    return end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" ")) if line.strip() else 99


def _find(lines: list[str], lo: int, hi: int, text: str, depth: int) -> int | None:
    for i in range(lo, hi):
        if _indent(lines[i]) == depth and lines[i].strip() == text.strip():
            return i
    return None


def apply_cisco(config: str, plan_text: str) -> str:
    lines = config.splitlines()
    body = [
        line
        for line in plan_text.splitlines()
        if line.strip()
        and not line.startswith("!")
        and line not in ("configure terminal", "end")
        and not line.startswith(("clear ", "show "))
    ]
    end_at = max(
        (i for i, line in enumerate(lines) if line.strip() in ("end", ": end")), default=len(lines)
    )
    for path in _paths("\n".join(body)):
        lo, hi = 0, end_at
        for depth, parent in enumerate(path[:-1]):
            at = _find(lines, lo, hi, parent, depth)
            if at is None:
                lines.insert(hi, parent)
                at = hi
                end_at += 1
            lo, hi = at + 1, _block_end(lines, at, depth)
        depth = len(path) - 1
        leaf = path[-1].strip()
        end_at += _apply_leaf(lines, lo, hi, depth, leaf)
    return "\n".join(lines) + "\n"


def _apply_leaf(lines: list[str], lo: int, hi: int, depth: int, leaf: str) -> int:
    pad = " " * depth
    if leaf.startswith("no "):
        at = _find(lines, lo, hi, leaf[3:], depth)
        if at is not None:
            del lines[at]
            return -1
        lines.insert(hi, pad + leaf)
        return 1
    timer = re.fullmatch(r"timeout (\S+) (\S+)", leaf)  # ASA keeps timers on shared lines
    if timer:
        for i in range(lo, hi):
            if re.match(rf"timeout .*\b{timer[1]} \S+", lines[i]):
                lines[i] = re.sub(rf"\b{timer[1]} \S+", f"{timer[1]} {timer[2]}", lines[i])
                return 0
    asa = re.match(r"access-list (\S+) line (\d+) (.*)$", leaf)
    if asa:
        entries = [i for i in range(lo, hi) if lines[i].startswith(f"access-list {asa[1]} ")]
        n = int(asa[2])
        at = entries[n - 1] if n <= len(entries) else (entries[-1] + 1 if entries else hi)
        lines.insert(at, f"access-list {asa[1]} {asa[3]}")
        return 1
    seq = re.match(r"(\d+) ", leaf)
    if seq:
        for i in range(lo, hi):
            m = re.match(r"\s*(\d+) ", lines[i])
            if m and int(m[1]) > int(seq[1]):
                lines.insert(i, pad + leaf)
                return 1
        lines.insert(hi, pad + leaf)
        return 1
    words = leaf.split()
    for i in range(lo, hi):
        if (
            _indent(lines[i]) == depth
            and lines[i].split()[:-1] == words[:-1]
            and re.fullmatch(r"[\d:]+", words[-1])  # a value (timer, count), not a name
        ):
            lines[i] = pad + leaf
            return 0
    if _find(lines, lo, hi, leaf, depth) is None:
        lines.insert(hi, pad + leaf)
        return 1
    return 0


def apply_routeros(export: str, plan_text: str) -> str:
    joined: list[str] = []
    for line in export.splitlines():
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1] + line.lstrip()
        else:
            joined.append(line)
    for command in plan_text.splitlines():
        split = _ros_split(command) if command.startswith("/") else None
        if split is None:
            continue
        path, verb, words = split
        head = next((i for i, line in enumerate(joined) if line.strip() == path), None)
        if head is None:  # a new section goes where RouterOS prints it: before /system, /tool
            head = next(
                (i for i, line in enumerate(joined) if line.startswith(("/system", "/tool"))),
                len(joined),
            )
            joined.insert(head, path)
        end = head + 1
        while end < len(joined) and not joined[end].startswith("/"):
            end += 1
        if verb == "add":
            before = next((w for w in words if w.startswith("place-before=")), None)
            args = " ".join(w for w in words if w != before)
            at = end
            if before:
                comment = re.search(r'comment=("[^"]*"|\S+)', before)
                assert comment, before
                want = comment[1].rstrip("]")
                at = next(i for i in range(head, end) if f"comment={want}" in joined[i])
            joined.insert(at, f"add {args}")
        elif verb == "set":
            selector = [w for w in words if "=" not in w or w.startswith("[")]
            values = [w for w in words if w not in selector]
            at = _ros_item(joined, head + 1, end, selector)
            if at is None:  # a terse export prints no item left at its defaults
                joined.insert(end, " ".join(["set", *selector, *values]))
                continue
            for value in values:
                key = value.split("=", 1)[0]
                if re.search(rf"(?<![\w-]){re.escape(key)}=", joined[at]):
                    joined[at] = re.sub(
                        rf"(?<![\w-]){re.escape(key)}=\S+", lambda _m, v=value: v, joined[at]
                    )
                else:
                    joined[at] += " " + value
    return "\n".join(joined) + "\n"


def _ros_item(lines: list[str], lo: int, hi: int, selector: list[str]) -> int | None:
    if not selector:
        return next((i for i in range(lo, hi) if lines[i].startswith("set ")), None)
    name = selector[0]
    m = re.match(r"\[ ?find (?:where )?(\S+)=(\S+?) ?\]", name)
    if m:
        key, value = m[1], m[2]
        return next((i for i in range(lo, hi) if f" {key}={value}" in f" {lines[i]} "), None)
    return next(
        (
            i
            for i in range(lo, hi)
            if lines[i].startswith(f"set {name} ") or f" name={name} " in lines[i]
        ),
        None,
    )
