"""YAML is composed by libyaml when PyYAML has it (a 2,000-risk register loads in a third of
the time), and reads exactly as PyYAML's own parser does: the same values, the same line
of every value, the same refusals with the same `file:line: message`."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from portico.content import yamlfile

REPO = Path(__file__).resolve().parents[2]
# Texts libyaml reads differently (accepts, or marks a line apart) from PyYAML.
TRICKY = ["audience: [leadership, board?]\n", "a:\n\tb: 1\n", "? key\n: value\n",
          "criteria: {id: x, weight!: 3}\n", "items: [a,\n  b]\n", "a: [x ?y]\n",
          "- [a, b]\n- {c: d}\n"]


def _outcome(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(yamlfile, "_FAST", None)
        try:
            doc = yamlfile._parse_yaml(text, "clients/acme/risks.yml", 1)
        except Exception as exc:  # noqa: BLE001  (the outcome is compared, whatever it is)
            return ("refused", str(exc))
        return ("read", repr(doc.data), doc.lines, doc.key_lines)


@pytest.mark.skipif(yamlfile._FAST is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", TRICKY)
def test_texts_libyaml_reads_otherwise_are_read_as_pyyaml_reads_them(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch)


@pytest.mark.skipif(yamlfile._FAST is None, reason="PyYAML without libyaml")
def test_the_demo_and_its_damaged_copies_read_the_same_both_ways(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(22)
    files = sorted((REPO / "clients").rglob("*.yml"))
    assert files
    for path in files:
        text = path.read_text("utf-8")
        assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch), path
    register = "risks:\n" + "".join(
        f"  - id: RISK-{n:03d}\n    title: Risk {n}, and what it costs\n    likelihood: 3\n"
        f"    impact: 4\n    raised: 2026-03-0{n % 9 + 1}\n    decisions: [\"0003\", '0004']\n"
        f"    description: >\n      Written over\n      two lines.\n" for n in range(50))
    assert yamlfile._plain_enough(register)  # the content model's own shapes: libyaml reads it
    assert _outcome(register, True, monkeypatch) == _outcome(register, False, monkeypatch)
    base = (REPO / "clients/harborline/risks.yml").read_text("utf-8")[:2500]
    for _ in range(400):  # one to three characters inserted, deleted or replaced
        chars = list(base)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(chars))
            if rng.random() < 0.5:
                chars.insert(at, rng.choice(" :-\t\n'\"#&*![]{}|>%@`,?x0\\"))
            else:
                del chars[at]
        text = "".join(chars)
        assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch), text
