"""The `portico` command as a user runs it: messages, exit status, files written."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from portico.cli import main

Write = Callable[..., Path]


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    return result.exit_code, result.output


def test_check_reports_file_line_and_exits_1_without_traceback(practice: Write) -> None:
    root = practice({"clients/acme/risks.yml": "risks:\n  - id: A\n    title: t\n    likelihood: 7\n"
                                               "    impact: 1\n    owner: x\n    status: open\n"})
    result = subprocess.run([sys.executable, "-m", "portico", "--root", str(root), "check"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "clients/acme/risks.yml:4: likelihood must be 1..5, got 7" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_passes_clean_repo(practice: Write) -> None:
    code, out = run(practice(), "check")
    assert code == 0 and "ok: 1 client checked" in out


def test_github_annotations(practice: Write, monkeypatch: object) -> None:
    root = practice({"clients/acme/roadmap.yml": "items:\n  - id: R1\n    title: x\n    status: nope\n"})
    result = CliRunner(env={"GITHUB_ACTIONS": "true"}).invoke(main, ["--root", str(root), "check"])
    assert "::error file=clients/acme/roadmap.yml,line=4::status must be one of" in result.output


def test_new_client_decision_note_pass_check(practice: Write) -> None:
    root = practice(client=False)
    (root / "clients").mkdir(exist_ok=True)
    code, out = run(root, "new", "client", "beta-co", "--name", "Beta: \"Co\"")
    assert code == 0 and "wrote clients/beta-co/client.yml" in out
    code, out = run(root, "new", "decision", "beta-co", "Adopt managed Postgres")
    assert code == 0 and "wrote clients/beta-co/decisions/0001-adopt-managed-postgres.md" in out
    code, out = run(root, "new", "decision", "beta-co", "Buy a TMS", "--format", "nygard")
    assert code == 0 and "decisions/0002-buy-a-tms.md" in out
    code, out = run(root, "new", "note", "beta-co", "Kick-off", "--kind", "meeting")
    assert code == 0 and "-kick-off.md" in out
    code, out = run(root, "check")
    assert code == 0, out
    first = (root / "clients/beta-co/client.yml").read_text()
    assert first.startswith("# yaml-language-server: $schema=../../schemas/client.schema.json")


def test_new_refuses_to_overwrite(practice: Write) -> None:
    root = practice()
    code, out = run(root, "new", "client", "acme", "--name", "Again")
    assert code == 1 and "already exists" in out


def test_schema_writes_json_schemas(practice: Write) -> None:
    root = practice()
    code, _ = run(root, "schema")
    assert code == 0
    risks = json.loads((root / "schemas/risks.schema.json").read_text())
    risk = risks["$defs"]["Risk"]["properties"]
    assert risk["likelihood"]["maximum"] == 5
    assert "critical" not in json.dumps(risk["status"]) and "monitoring" in json.dumps(risk["status"])


def test_every_command_has_help() -> None:
    for args in (["--help"], ["check", "--help"], ["new", "client", "--help"],
                 ["new", "decision", "--help"], ["new", "note", "--help"], ["schema", "--help"],
                 ["build", "--help"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and "Usage:" in result.output


def test_reader_link_carries_the_secret_in_the_fragment_only() -> None:
    repo = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(main, ["--root", str(repo), "reader", "link", "harborline", "demo",
                                       "--url", "https://portals.example/harborline/?x=1"],
                                input="anchor-tidal-lantern-velvet-orbit-maple\n")
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert link.startswith("https://portals.example/harborline/?x=1#k=")
    assert "anchor" not in link
    wrong = CliRunner().invoke(main, ["--root", str(repo), "reader", "link", "harborline", "demo",
                                      "--url", "https://x/"], input="not the passphrase\n")
    assert wrong.exit_code == 1 and "that passphrase is not reader 'demo''s" in wrong.output


def test_reader_add_list_remove(practice: Write) -> None:
    root = practice()
    code, out = run(root, "reader", "add", "acme", "dana", "--label", "Dana Reyes, CEO")
    assert code == 0
    passphrase = out.strip().splitlines()[-1].strip()
    assert len(passphrase.split("-")) == 6
    stored = (root / "clients/acme/readers.yml").read_text()
    assert passphrase not in stored and "Dana Reyes, CEO" in stored
    code, out = run(root, "reader", "list", "acme")
    assert "dana" in out and "Dana Reyes, CEO" in out
    code, out = run(root, "reader", "remove", "acme", "dana")
    assert code == 0 and "dana" not in (root / "clients/acme/readers.yml").read_text()


def test_short_chosen_passphrase_is_refused(practice: Write) -> None:
    root = practice()
    result = CliRunner().invoke(main, ["--root", str(root), "reader", "add", "acme", "x",
                                       "--passphrase-stdin"], input="too short\n")
    assert result.exit_code == 1 and "12" in result.output


def add_chosen(root: Path, passphrase: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "reader", "add", "acme", "dana",
                                       *extra, "--passphrase-stdin"], input=passphrase + "\n")
    assert "Traceback" not in result.output and not isinstance(result.exception, ValueError)
    return result.exit_code, result.output


def test_a_weak_chosen_passphrase_is_refused_with_its_estimate(practice: Write) -> None:
    root = practice()
    code, out = add_chosen(root, "Password1234")
    assert code == 1
    assert out == ("error: passphrase too weak: about 14 bits by the zxcvbn estimate, at least 60 "
                   "needed; omit --passphrase-stdin to get a generated six-word passphrase "
                   "(about 77 bits)\n")
    assert not (root / "clients/acme/readers.yml").exists()


def test_a_passphrase_made_of_the_readers_and_clients_names_is_refused(practice: Write) -> None:
    from portico.readers import check_chosen_passphrase

    root = practice()
    passphrase = "acme logistics dana reyes ceo"
    check_chosen_passphrase(passphrase)  # 76 bits to zxcvbn when it knows no names
    code, out = add_chosen(root, passphrase, "--label", "Dana Reyes, CEO")
    assert code == 1 and "passphrase too weak: about 49 bits" in out


def test_a_strong_chosen_passphrase_is_accepted(practice: Write) -> None:
    root = practice()
    code, out = add_chosen(root, "mauve tractor sings under 41 brittle moons")
    assert code == 0, out
    assert "added reader dana" in out and "mauve" not in (root / "clients/acme/readers.yml").read_text()


def test_a_generated_passphrase_would_pass_the_chosen_passphrase_check(practice: Write) -> None:
    from portico.readers import MIN_CHOSEN_PASSPHRASE_BITS, generate_passphrase, passphrase_bits

    root = practice()
    assert min(passphrase_bits(generate_passphrase(), ["dana", "acme", "Acme Logistics"])
               for _ in range(50)) >= MIN_CHOSEN_PASSPHRASE_BITS
    code, out = add_chosen(root, generate_passphrase())
    assert code == 0, out
