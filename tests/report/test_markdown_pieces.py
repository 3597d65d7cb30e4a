"""Markdown written in pieces is the text the whole report would be."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fleetaudit.report.markdown import stripped_end


@given(st.lists(st.text(alphabet="ab \n\t|")))
def test_pieces_join_to_the_joined_and_stripped_lines(lines: list[str]) -> None:
    assert "".join(stripped_end(lines)) == "\n".join(lines).rstrip() + "\n"
