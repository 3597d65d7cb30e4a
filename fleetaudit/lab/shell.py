"""What a simulated device says: prompts, modes and replies (each platform's shell
subclasses :class:`Shell` in its package, ``fleetaudit/platforms/<name>/lab.py``).

A shell is a small state machine fed one line at a time (the SSH plumbing splits the
input and echoes it); it answers with a :class:`Reply`. Outputs come from fixtures; a
command without one gets the platform's own "invalid input" text, never an exception.

The lab's users are auditors with read-only privilege: there is no configuration mode,
and a line outside the platform's read-only set is answered by :meth:`Shell.refused` as
such a user is answered (IOS/ASA below privilege 15, a RouterOS ``read`` group user).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from fleetaudit.lab.fixtures import Fixtures, words

if TYPE_CHECKING:  # the host a shell plays; lab.inventory sits above the shells' layer
    from fleetaudit.lab.inventory import LabHost


@dataclass(frozen=True)
class Reply:
    body: str = ""  # the command's output, CRLF line ends
    prompt: str = ""  # what the device prints next (a prompt, "Password: ")
    close: bool = False  # the device ends the session after this reply
    status: int = 0  # exit status, for exec requests


class Shell:
    """Common ground: a device, who logged in, and the fixtures it answers from."""

    builtins: ClassVar[tuple[str, ...]] = ()  # slugs answered without a fixture
    vocabulary: ClassVar[tuple[str, ...]] = ()  # more known words, to place the ``^``

    def __init__(self, host: LabHost, fixtures: Fixtures, user: str) -> None:
        self.host = host
        self.fixtures = fixtures
        self.user = user

    @staticmethod
    def login_name(username: str) -> str:
        """The user name proper, where the device lets a login carry options."""
        return username

    @property
    def echo(self) -> bool:
        """False while the device reads a password."""
        return True

    @property
    def answering(self) -> bool:
        """True while a login/enable dialogue waits for an answer (a user name, a password)."""
        return False

    def refused(self, line: str, interactive: bool) -> Reply:
        """The answer to a line outside the read-only set; nothing of it is run."""
        raise NotImplementedError

    def greeting(self) -> str:
        return self.prompt()

    def prompt(self) -> str:
        raise NotImplementedError

    def line(self, line: str) -> Reply:
        """One line typed at the prompt (without its line end)."""
        raise NotImplementedError

    def execute(self, command: str) -> Reply:
        """An SSH exec request: the output and an exit status, no prompt."""
        raise NotImplementedError

    def resolve(self, line: str) -> str | None:
        """The slug of the builtin or fixture command ``line`` stands for."""
        return self.fixtures.expand(line, self.builtins)

    def first_unknown(self, line: str) -> int:
        """Index of the word the device stumbles on (== word count: the line is incomplete).

        Fixtures and builtins can make a line incomplete; the vocabulary (commands the
        platform has but this device may not answer) only moves the ``^`` along.
        """
        answered = self.fixtures.matched_words(line, self.builtins)
        known = self.fixtures.matched_words(line, self.vocabulary, include_outputs=False)
        known = min(known, len(words(line)) - 1)
        return max(answered, known)
