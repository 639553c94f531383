"""The `portico` command as a user runs it: messages, exit status, files written."""

from __future__ import annotations

import json
import re
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
    code, out = run(root, "new", "board", "beta-co", "2026-12-10")
    assert code == 0 and "wrote clients/beta-co/board/2026-12-10-q4-board-pack.md" in out
    pack = (root / "clients/beta-co/board/2026-12-10-q4-board-pack.md").read_text()
    assert 'title: "Q4 board pack"' in pack and 'period: "2026-Q4"' in pack
    code, out = run(root, "new", "board", "beta-co", "2026-02-30")
    assert code == 2 and "2026-02-30 does not exist (February 2026 has 28 days)" in out
    code, out = run(root, "new", "board", "beta-co", "26-12-10")
    assert code == 2 and "must be a date written YYYY-MM-DD" in out
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
                 ["new", "decision", "--help"], ["new", "note", "--help"], ["new", "board", "--help"], ["schema", "--help"],
                 ["build", "--help"], ["reader", "--help"], ["reader", "add", "--help"],
                 ["reader", "link", "--help"], ["reader", "list", "--help"],
                 ["reader", "remove", "--help"], ["record", "--help"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and "Usage:" in result.output


def link(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "reader", "link", "acme", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_reader_link_adds_a_reader_of_its_own_and_prints_its_link_once(practice: Write) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from portico.protection.readers import add_reader, b64url, b64url_decode, load_readers

    root = practice()
    readers_file = root / "clients/acme/readers.yml"
    dana = add_reader(readers_file, "dana", "Dana Reyes, CEO", "mauve tractor sings under 41 brittle moons")
    code, out, err = link(root, "--label", "Board pack for Dana, Dec 2026",
                          "--url", "https://portals.example/acme/?x=1#old")
    assert code == 0, err
    assert "added link link-1 to clients/acme/readers.yml" in err
    assert "reader remove acme link-1" in err
    (url,) = out.splitlines()  # stdout is the link alone, ready to pipe
    assert re.fullmatch(r"https://portals\.example/acme/\?x=1#k=[A-Za-z0-9_-]{43}", url)
    scalar = url.split("#k=")[1]
    stored = readers_file.read_text()
    assert scalar not in stored and "k=" not in stored
    first, second = load_readers(readers_file)
    assert first == dana
    assert (second.id, second.kind, second.label) == ("link-1", "link", "Board pack for Dana, Dec 2026")
    assert "kind: link" in stored and stored.count("kind:") == 1  # passphrase entries unchanged
    public = ec.derive_private_key(int.from_bytes(b64url_decode(scalar), "big"),
                                   ec.SECP256R1()).public_key().public_numbers()
    assert (b64url(public.x.to_bytes(32, "big")), b64url(public.y.to_bytes(32, "big"))) == \
        (second.x, second.y)
    code, out2, _ = link(root, "--label", "Sam, CFO", "--url", "https://portals.example/acme/")
    assert code == 0 and out2.strip() != url
    code, out3, _ = link(root, "--label", "Lee", "--url", "https://p.example/", "--id", "lee-link")
    assert code == 0
    assert [r.id for r in load_readers(readers_file)] == ["dana", "link-1", "link-2", "lee-link"]
    code, out = run(root, "reader", "list", "acme")
    assert code == 0
    assert "acme: 1 reader, 3 links" in out
    assert re.search(r"^  link-1 +link +Board pack for Dana, Dec 2026$", out, re.M)
    assert re.search(r"^  dana +passphrase +Dana Reyes, CEO$", out, re.M)
    code, out = run(root, "check")
    assert code == 0, out  # a link entry passes the readers.yml hygiene checks


def test_removing_one_link_leaves_every_other_reader(practice: Write) -> None:
    from portico.protection.readers import add_reader, load_readers

    root = practice()
    readers_file = root / "clients/acme/readers.yml"
    add_reader(readers_file, "dana", "", "mauve tractor sings under 41 brittle moons")
    for label in ("one", "two", "three"):
        assert link(root, "--label", label, "--url", "https://p.example/")[0] == 0
    before = {r.id: r for r in load_readers(readers_file)}
    code, out = run(root, "reader", "remove", "acme", "link-2")
    assert code == 0 and "removed link link-2 from clients/acme/readers.yml" in out
    after = load_readers(readers_file)
    assert after == [before["dana"], before["link-1"], before["link-3"]]
    code, out, err = link(root, "--label", "four", "--url", "https://p.example/")
    assert code == 0 and "added link link-4" in err  # a revoked link's id is not reused


def test_reader_link_refuses_a_missing_label_or_a_url_that_is_not_one(practice: Write) -> None:
    root = practice()
    code, _, err = link(root, "--label", " ", "--url", "https://p.example/")
    assert code == 1 and "a link needs a --label" in err
    code, _, err = link(root, "--label", "Dana", "--url", "portals.example/acme")
    assert code == 1 and "--url must be the portal's address, starting with https://" in err
    code, _, err = link(root, "--url", "https://p.example/")
    assert code == 2 and "Missing option '--label'" in err
    assert not (root / "clients/acme/readers.yml").exists()


def test_reader_link_help_says_what_a_link_is_and_how_to_revoke_it() -> None:
    result = CliRunner().invoke(main, ["reader", "link", "--help"])
    text = " ".join(result.output.split())
    assert result.exit_code == 0
    for words in ("reader link [OPTIONS] CLIENT", "--label", "--url", "--id ID",
                  "The link is like a passphrase",
                  "browser history still records the link as visited",
                  "strips it from the address bar and the current history entry",
                  "portico reader remove CLIENT ID`, then rebuild", "never printed or stored"):
        assert words in text, words


def test_reader_add_list_remove(practice: Write) -> None:
    root = practice()
    code, out = run(root, "reader", "add", "acme", "dana", "--label", "Dana Reyes, CEO")
    assert code == 0
    passphrase = out.strip().splitlines()[-1].strip()
    assert len(passphrase.split("-")) == 8
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
                   "needed; omit --passphrase-stdin to get a generated eight-word passphrase "
                   "(about 82 bits)\n")
    assert not (root / "clients/acme/readers.yml").exists()


def test_a_passphrase_made_of_the_readers_and_clients_names_is_refused(practice: Write) -> None:
    from portico.protection.readers import check_chosen_passphrase

    root = practice()
    passphrase = "acme logistics dana reyes ceo"
    check_chosen_passphrase(passphrase)  # 76 bits to zxcvbn when it knows no names
    code, out = add_chosen(root, passphrase, "--label", "Dana Reyes, CEO")
    assert code == 1 and "passphrase too weak: about 49 bits" in out


def test_a_passphrase_built_from_the_practice_name_is_refused(practice: Write) -> None:
    """The sign-in page shows the practice's name: a passphrase made of it, a contact's
    name and the year falls to a targeted guess, however long it is."""
    from portico.protection.readers import check_chosen_passphrase

    root = practice({"mkdocs.yml": "site_name: x\nextra:\n  practice:\n"
                                   "    name: Northfield CTO Partners\n",
                     "clients/acme/client.yml": "name: Acme Logistics\ncontacts:\n"
                                                "  - name: Margaret Okafor\n    role: CEO\n"})
    for passphrase in ("Northfield CTO Partners 2026!", "northfieldctopartners-okafor"):
        check_chosen_passphrase(passphrase)  # strong enough to zxcvbn when it knows no names
        code, out = add_chosen(root, passphrase)
        assert code == 1, out
        assert out.startswith("error: passphrase too weak: about ") and "at least 60" in out
    assert not (root / "clients/acme/readers.yml").exists()


def test_a_strong_chosen_passphrase_is_accepted(practice: Write) -> None:
    root = practice()
    code, out = add_chosen(root, "mauve tractor sings under 41 brittle moons")
    assert code == 0, out
    assert "added reader dana" in out and "mauve" not in (root / "clients/acme/readers.yml").read_text()


def test_a_generated_passphrase_would_pass_the_chosen_passphrase_check(practice: Write) -> None:
    from portico.protection.readers import (
        MIN_CHOSEN_PASSPHRASE_BITS,
        generate_passphrase,
        passphrase_bits,
    )

    root = practice()
    assert min(passphrase_bits(generate_passphrase(), ["dana", "acme", "Acme Logistics"])
               for _ in range(50)) >= MIN_CHOSEN_PASSPHRASE_BITS
    code, out = add_chosen(root, generate_passphrase())
    assert code == 0, out


def test_a_link_opens_the_portal_built_after_it_until_removed(tmp_path: Path,
                                                            copy_demo: Callable[[Path], Path]) -> None:
    from portico.protection.envelope import (
        WrongPassphraseError,
        open_envelope_with_scalar,
        open_file,
    )
    from portico.protection.readers import b64url_decode

    root = copy_demo(tmp_path / "repo")
    scalars = {}
    for label in ("Board pack for Priya, Dec 2026", "Audit committee"):
        result = CliRunner().invoke(main, ["--root", str(root), "reader", "link", "lumen-health",
                                           "--label", label, "--url", "https://p.example/lumen/"])
        assert result.exit_code == 0, result.output
        scalars[label] = b64url_decode(result.stdout.strip().split("#k=")[1])

    def envelope() -> dict:
        return json.loads((root / "site/lumen-health/_portico/envelope.json").read_text())

    def opens(scalar: bytes) -> bool:
        try:
            key = open_envelope_with_scalar(envelope(), scalar)
        except WrongPassphraseError:
            return False
        manifest = envelope()["manifest"]
        open_file(key, manifest, (root / "site/lumen-health" / manifest).read_bytes())
        return True

    code, out = run(root, "build", "lumen-health")
    assert code == 0, out
    assert len(envelope()["entries"]) == 3  # the demo reader and the two links
    assert all(opens(s) for s in scalars.values())
    code, out = run(root, "reader", "remove", "lumen-health", "link-1")
    assert code == 0, out
    code, out = run(root, "build", "lumen-health")
    assert code == 0, out
    assert not opens(scalars["Board pack for Priya, Dec 2026"])
    assert opens(scalars["Audit committee"])
    result = CliRunner().invoke(main, ["--root", str(root), "verify", str(root / "site/lumen-health"),
                                       "--passphrase-stdin"],
                                input="quartz-meadow-signal-cedar-ember-drift\n")
    assert result.exit_code == 0, result.output  # the demo reader is untouched


def test_build_with_a_wrong_type_in_mkdocs_yml_names_its_line(practice: Write) -> None:
    root = practice({"mkdocs.yml": "site_name: Test practice\nextra:\n  practice: Northfield\n"})
    code, out = run(root, "build")
    assert code == 1
    assert "mkdocs.yml:3: extra.practice must be a mapping of keys to values, got the text " \
           "'Northfield'" in out
    assert "Traceback" not in out and "internal error" not in out


def test_template_text_left_as_written_warns_at_its_line(practice: Write) -> None:
    from portico.sections.board.new import PLACEHOLDERS as PACK
    from portico.sections.decisions.new import PLACEHOLDERS as DECISION
    from portico.sections.engagement.new import PLACEHOLDERS as CLIENT

    root = practice()
    for args in (["decision", "acme", "Adopt managed Postgres"],
                 ["decision", "acme", "Buy a TMS", "--format", "nygard"],
                 ["board", "acme", "2026-12-10"], ["client", "beta-co", "--name", "Beta"]):
        assert run(root, "new", *args)[0] == 0
    code, out = run(root, "check")
    assert code == 0, out
    warned = [line for line in out.splitlines() if "template text left as written" in line]
    # Every prompt each template writes is found, at the line it is on, once.
    madr = (root / "clients/acme/decisions/0001-adopt-managed-postgres.md").read_text()
    madr_lines = madr.splitlines()
    for prompt in DECISION:
        if prompt in madr_lines:
            line = madr_lines.index(prompt) + 1
            assert (f"clients/acme/decisions/0001-adopt-managed-postgres.md:{line}: warning: "
                    f"template text left as written: {prompt!r}; write your own, or delete "
                    "the line") in warned
    assert sum("0002-buy-a-tms.md" in w for w in warned) == 3
    assert sum("board/2026-12-10-q4-board-pack.md" in w for w in warned) == len(PACK)
    assert ["clients/beta-co/client.yml:7" in w for w in warned].count(True) == len(CLIENT)
    assert len(warned) == 6 + 3 + len(PACK) + len(CLIENT)
    assert run(root, "check", "--strict")[0] == 1
    # Written over, the warning goes.
    path = root / "clients/acme/decisions/0002-buy-a-tms.md"
    path.write_text(path.read_text().replace("The forces at play.", "Dispatch runs on a "
                                             "server that is out of support."))
    assert not any("The forces at play" in line for line in run(root, "check")[1].splitlines())


def test_new_refuses_an_empty_title_in_one_line(practice: Write) -> None:
    root = practice()
    for kind in ("decision", "note"):
        for title in ("", "   "):
            code, out = run(root, "new", kind, "acme", title)
            assert code == 1 and out.count("\n") == 1, out
            assert out.startswith(f"error: the {kind} needs a title"), out
    assert not (root / "clients/acme/decisions").exists() or \
        not list((root / "clients/acme/decisions").iterdir())


def test_new_file_names_end_at_a_whole_word(practice: Write) -> None:
    from portico.authoring.scaffold import slugify

    title = "Run dispatch on a managed platform instead of building our own"
    assert slugify(title) == "run-dispatch-on-a-managed-platform-instead-of"
    assert slugify("x" * 60) == "x" * 50
    root = practice()
    code, out = run(root, "new", "decision", "acme", title)
    assert code == 0 and "0001-run-dispatch-on-a-managed-platform-instead-of.md" in out, out
