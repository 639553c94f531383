"""The forms a marker takes in a built portal: every escape the leak scan looks for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from portico.protection.forms import _all_forms, marker_forms


def test_marker_forms_cover_each_encoding_once() -> None:
    forms = marker_forms("Zoë & O'Brien/Ops")
    assert set(forms.values()) == {"plain", "html", "json", "url"}
    assert "zo\\u00eb & o'brien/ops" in forms
    assert all(needle == needle.lower() for needle in forms)


def test_a_plain_phrase_is_looked_for_as_written_and_url_encoded() -> None:
    assert marker_forms("Calder Home Goods") == {
        "calder+home+goods": "url", "calder%20home%20goods": "url",
        "calder home goods": "plain"}
    assert marker_forms("RISK-002") == {"risk-002": "plain"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "aZ09 ._~-/&<>\"'\\%+é\u00a0\u2019"), max_size=12))
def test_the_short_way_for_plain_markers_gives_every_form_the_long_way_does(marker: str) -> None:
    """Plain markers (letters, digits, spaces, `._~-`) skip the escaping that cannot change
    them; any marker, plain or not, gets exactly the forms of working each escape out."""
    assert marker_forms(marker) == _all_forms(marker)
