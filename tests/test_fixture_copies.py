"""One copy of each device output used by tests (issue 9): a test output identical to the
lab's copy or to another test's is a relative symlink to that one copy. Empty outputs stay
files: a link from an empty output to an unrelated command's empty output would mislead."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).parent.parent
TESTS = REPO / "tests"
LAB = REPO / "inventory" / "lab"
OUTPUT_SUFFIXES = {".txt", ".json", ".cfg", ".rsc"}


def _outputs(top: Path) -> list[Path]:
    return [
        p
        for p in sorted(top.rglob("*"))
        if p.suffix in OUTPUT_SUFFIXES
        and not p.is_symlink()
        and p.is_file()
        and p.stat().st_size > 0
        and "corpus" not in p.relative_to(top).parts
    ]


def _by_digest(paths: list[Path]) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in paths:
        groups[hashlib.sha256(path.read_bytes()).hexdigest()].append(path)
    return groups


def test_no_test_output_copies_a_lab_output() -> None:
    lab = _by_digest(_outputs(LAB))
    copies = [
        f"{p.relative_to(REPO)} == {lab[digest][0].relative_to(REPO)}"
        for digest, paths in _by_digest(_outputs(TESTS)).items()
        if digest in lab
        for p in paths
    ]
    assert not copies, "make these relative symlinks to the lab's copy:\n" + "\n".join(copies)


def test_no_two_test_outputs_are_identical() -> None:
    copies = [
        " == ".join(str(p.relative_to(REPO)) for p in paths)
        for paths in _by_digest(_outputs(TESTS)).values()
        if len(paths) > 1
    ]
    assert not copies, "keep one copy, symlink the others to it:\n" + "\n".join(copies)


def test_every_shared_output_is_a_relative_link_inside_the_repository() -> None:
    links = [p for p in TESTS.rglob("*") if p.is_symlink()]
    assert links
    for link in links:
        target = link.readlink()
        assert not target.is_absolute(), f"{link}: absolute link {target}"
        assert link.resolve().is_relative_to(REPO.resolve()), f"{link} leaves the repository"
        assert link.resolve().is_file(), f"{link}: dangling link {target}"
