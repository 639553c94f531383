"""Finding links in Markdown: what is found, and that the time it takes grows with the text
alone, however the text is made (100 kB of unclosed `[a](` once made `check` run minutes)."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portico.content.links import find_links

# The pattern inline links were found with until it turned out to backtrack quadratically:
# on short texts, where its cost does not matter, it is the specification of what is found.
BACKTRACKING = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\]\n]*\])*)\]"
    r"\(\s*(?P<angle><)?(?P<target>[^\s)>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
PIECES = st.sampled_from(["[", "]", "(", ")", "!", "<", ">", '"', "'", " ", "\n", "\t", "a",
                          "](", "[a](", "\n\n", ' "t"', "x.md", "[b]"])
ONE_MB = 1_000_000
PATHOLOGICAL = {  # a unit repeated to a megabyte
    "unclosed links": "[a](",
    "open brackets": "[",
    "nested, never closed": "[ [a] ",
    "targets, never closed": "[a](x ",
    "titles, never closed": '[a](x "',
    "reference labels": "[a\n",
    "HTML tags, never closed": "<a ",
}
BOUND = 30  # seconds


@settings(max_examples=400, deadline=None)
@given(text=st.lists(PIECES, max_size=30).map("".join))
def test_inline_links_are_what_the_backtracking_pattern_found(text: str) -> None:
    inline = [link for link in find_links(text) if link.inline]
    expected = [(m.group("target"), m.span("target"), m.span(), bool(m.group("bang")),
                 m.group("text")) for m in BACKTRACKING.finditer(text)]
    assert [(link.target, (link.start, link.end), link.whole, link.image, link.text)
            for link in inline] == expected


def test_a_link_its_image_its_title_and_its_line() -> None:
    text = 'Intro\n\nSee [the plan](../plan.md "Plan") and ![chart](<files/c.svg>).\n'
    links = find_links(text)
    assert [(link.target, link.line_offset, link.image, link.text) for link in links] == [
        ("../plan.md", 2, False, "the plan"), ("files/c.svg", 2, True, "chart")]


@pytest.mark.parametrize("shape", sorted(PATHOLOGICAL))
def test_a_megabyte_of_pathological_text_is_scanned_in_linear_time(shape: str) -> None:
    # Linear, this takes about a second on a slow shared machine; the quadratic pattern
    # took 39 s for 64 kB, so a megabyte would take hours. The bound is generous on purpose;
    # the scan runs in a child process so that a regression fails at the bound, not after
    # hours (a regular expression cannot be interrupted).
    unit = PATHOLOGICAL[shape]
    code = ("import sys; from portico.content.links import find_links; "
            f"find_links({unit!r} * ({ONE_MB} // {len(unit)}))")
    started = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-c", code], check=True, timeout=BOUND)
    except subprocess.TimeoutExpired:
        pytest.fail(f"finding links in 1 MB of {shape} took more than {BOUND} s")
    assert time.perf_counter() - started < BOUND
