"""The loader raises nothing but our own error type, whatever YAML it is given."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portico.content.errors import ContentError
from portico.content.load import load_practice

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20), st.dates())
values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.sampled_from(["id", "title", "status", "likelihood", "impact", "risks",
                                     "items", "start", "end", "name", "engagement", "x"]),
                    children, max_size=5)), max_leaves=20)
FILES = ["client.yml", "risks.yml", "roadmap.yml"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(FILES), data=values)
def test_structured_yaml_never_crashes(tmp_path: Path, name: str, data: object) -> None:
    _load_with(tmp_path, name, yaml.safe_dump(data))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from([*FILES, "notes/2026-01-01-x.md", "decisions/0001-x.md"]),
       text=st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_arbitrary_text_never_crashes(tmp_path: Path, name: str, text: str) -> None:
    _load_with(tmp_path, name, text)


def _load_with(root: Path, name: str, text: str) -> None:
    client = root / "clients/acme"
    client.mkdir(parents=True, exist_ok=True)
    for old in client.rglob("*"):
        if old.is_file():
            old.unlink()
    (client / "client.yml").write_text("name: A\nengagement:\n  start: 2026-01-01\n")
    path = client / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        load_practice(root)
    except ContentError as exc:
        assert exc.problems and all(p.path.startswith("clients/acme") for p in exc.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=300), st.builds(yaml.safe_dump, values)))
def test_readers_hygiene_never_crashes(tmp_path: Path, text: str) -> None:
    from portico.protection.reader_hygiene import check_readers_file

    path = tmp_path / "readers.yml"
    path.write_text(text, encoding="utf-8")
    for problem in check_readers_file(path, "clients/acme/readers.yml"):
        assert problem.path == "clients/acme/readers.yml" and problem.line >= 0


anchored = st.recursive(
    st.sampled_from(["a", "1", "*x", "[*x, *x]", "{k: *x}"]),
    lambda inner: st.builds(lambda items: "[" + ", ".join(items) + "]", st.lists(inner, max_size=6)),
    max_leaves=40)


@settings(max_examples=150, deadline=None)
@given(value=anchored, depth=st.integers(0, 200))
def test_aliases_and_nesting_give_a_model_or_our_error(value: str, depth: int) -> None:
    from portico.content.yamlfile import parse_yaml

    text = f"x: &x [1, 2, 3]\ny: {'[' * depth}{value}{']' * depth}\n"
    try:
        parse_yaml(text, "clients/acme/risks.yml")
    except ContentError as exc:
        assert exc.problems and all(p.path == "clients/acme/risks.yml" for p in exc.problems)
