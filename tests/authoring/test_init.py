"""`portico init`: a new practice that passes `check`, builds from the start, has a first
commit, and publishes once a reader of its own is added."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from portico import DISTRIBUTION, __version__
from portico.authoring.practice_init import FALLBACK_IDENTITY, init_practice
from portico.cli import main
from portico.content.load import load_portal_inputs
from portico.delivery.headers import headers_file
from portico.delivery.publish import RECORD, check_verified
from portico.manual import TOPICS
from portico.portal.render import PageWriter, render_portal
from portico.portal.view import portal_view
from portico.sections import registered

# One worker runs this module: the practice `portico init` makes is built once (module fixture),
# not once per worker.
pytestmark = pytest.mark.xdist_group("init")

REPO = Path(__file__).resolve().parents[2]
STARTER = REPO / "generator/portico/authoring/scaffold_practice"


def portico(cwd: Path, *args: str, stdin: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command as a user would, from inside the practice."""
    return subprocess.run([sys.executable, "-m", "portico", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=600, env=env)


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A practice made by `portico init`, checked and built: (its folder, init's output)."""
    folder = tmp_path_factory.mktemp("new") / "northwind-cto"
    done = portico(folder.parent, "init", folder.name, "--name", "Northwind: CTO & Co")
    assert done.returncode == 0, done.stderr
    check = portico(folder, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ok: 1 client checked, 0 warnings" in check.stdout
    build = portico(folder, "build")
    assert build.returncode == 0, build.stdout + build.stderr
    return folder, done.stdout


def test_init_writes_a_complete_practice(practice: tuple[Path, str]) -> None:
    folder, _ = practice
    for name in ("mkdocs.yml", "theme/main.html", "content/how-we-work.md", "content/glossary.md",
                 ".github/workflows/portico.yml", ".pre-commit-config.yaml", ".gitignore",
                 "requirements.txt", "README.md", "HOSTING.md", "clients/example/client.yml",
                 "clients/example/readers.yml", "schemas/client.schema.json"):
        assert (folder / name).is_file(), name
    pinned = [line for line in (folder / "requirements.txt").read_text().splitlines()
              if line and not line.startswith("#")]
    assert pinned == [f"{DISTRIBUTION}=={__version__}"]  # exactly the Portico running
    assert (folder / ".github/workflows/portico.yml").read_bytes() == \
        (REPO / ".github/workflows/portico.yml").read_bytes()
    assert "/site/" in (folder / ".gitignore").read_text().splitlines()
    assert not [p for p in folder.rglob("dot-*")]
    placeholders = [p for p in folder.rglob("*")
                    if re.search(r"__[A-Z][A-Z0-9_+-]*__", p.name) or (
                        p.suffix in {".md", ".yml", ".txt", ".csv"}
                        and re.search(r"__[A-Z][A-Z0-9_+-]*__", p.read_text()))]
    assert placeholders == []


def test_init_ships_the_hosting_guide_and_points_to_it_last(practice: tuple[Path, str]) -> None:
    """An installed Portico has no docs/ folder: the guide a CTO must read before publishing
    (origins, private sources, revocation) is written into the practice itself."""
    folder, out = practice
    assert (folder / "HOSTING.md").read_bytes() == (REPO / "docs/hosting.md").read_bytes()
    last = out.rstrip("\n").splitlines()[-1]
    assert last.startswith("before you publish, read ") and last.split()[4].endswith(
        "northwind-cto/HOSTING.md:"), last
    assert "[HOSTING.md](HOSTING.md)" in (folder / "README.md").read_text()


def test_the_shipped_hosting_guide_is_the_documented_one() -> None:
    """docs/hosting.md is the source; the starter's copy must not drift from it."""
    assert (STARTER / "HOSTING.md").read_bytes() == (REPO / "docs/hosting.md").read_bytes()


def test_practice_name_reaches_mkdocs_yml_intact(practice: tuple[Path, str]) -> None:
    folder, _ = practice
    loader = yaml.SafeLoader((folder / "mkdocs.yml").read_text())
    loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    config = loader.get_single_data()
    assert config["site_name"] == "Northwind: CTO & Co"
    assert config["extra"]["practice"]["name"] == "Northwind: CTO & Co"
    assert config["copyright"].startswith("Northwind: CTO & Co · Confidential")


def test_example_portal_opens_with_the_passphrase_init_printed_once(
        practice: tuple[Path, str]) -> None:
    folder, out = practice
    passphrase = re.search(r"^  ([a-z]+(?:-[a-z]+){7})$", out, re.MULTILINE)
    assert passphrase, out
    assert out.count(passphrase.group(1)) == 1
    assert passphrase.group(1) not in "".join(p.read_text(errors="ignore")
                                              for p in folder.rglob("*") if p.is_file())
    done = portico(folder, "verify", "site/example", "--passphrase-stdin",
                   stdin=passphrase.group(1) + "\n")
    assert done.returncode == 0 and done.stdout.startswith("ok:"), done.stdout + done.stderr


def test_build_records_what_it_verified(practice: tuple[Path, str]) -> None:
    """The contract with the pipeline: `portico build` records each portal it verified."""
    folder, _ = practice
    assert (folder / "site" / RECORD).is_file()
    assert check_verified(folder / "site") == []


def test_new_practice_publishes_only_once_a_reader_of_its_own_is_added(
        practice: tuple[Path, str], tmp_path: Path) -> None:
    """The example reader's passphrase went to a terminal: a portal only it opens is a
    practice that has not gone live, and publish says so in one line."""
    built, _ = practice
    folder = tmp_path / "practice"
    shutil.copytree(built, folder, symlinks=True)
    refused = portico(folder, "publish", "--to", str(tmp_path / "www"))
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert refused.stderr.startswith("error: refusing to publish example: the only reader is "
                                     "the example reader"), refused.stderr
    assert "portico reader add example" in refused.stderr
    assert not (tmp_path / "www").exists()
    forced = portico(folder, "publish", "--to", str(tmp_path / "forced"),
                     "--allow-example-reader")
    assert forced.returncode == 0, forced.stderr
    added = portico(folder, "reader", "add", "example", "dana", "--label", "Dana, CFO")
    assert added.returncode == 0, added.stderr
    assert portico(folder, "publish", "--to", str(tmp_path / "www")).returncode == 1  # not rebuilt
    rebuilt = portico(folder, "build")
    assert rebuilt.returncode == 0, rebuilt.stderr
    done = portico(folder, "publish", "--to", str(tmp_path / "www"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "www/example/index.html").is_file()
    assert sorted(p.name for p in (tmp_path / "www").iterdir() if p.name.startswith(".")) == \
        [".portico-published"]


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("mine")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]


def test_every_starter_file_ships_in_the_package() -> None:
    """package-data globs skip dot-files: the starter names them dot-… instead."""
    pyproject = (REPO / "pyproject.toml").read_text()
    assert '"authoring/scaffold_practice/**/*"' in pyproject
    hidden = [p for p in STARTER.rglob("*") if p.name.startswith(".")]
    assert hidden == []


def test_init_makes_the_first_commit_on_main(practice: tuple[Path, str]) -> None:
    """Board packs and What's new are read from git: the history starts at `init`."""
    folder, out = practice
    assert git(folder, "rev-parse", "--show-toplevel") == str(folder.resolve())
    assert git(folder, "symbolic-ref", "--short", "HEAD") == "main"
    assert git(folder, "rev-list", "--count", "HEAD") == "1"
    assert git(folder, "log", "-1", "--format=%s") == f"Start the practice with Portico {__version__}"
    committed = set(git(folder, "ls-files").splitlines())
    assert {"clients/example/readers.yml", "schemas/client.schema.json",
            ".github/workflows/portico.yml"} <= committed
    assert git(folder, "status", "--porcelain") == ""  # the build's site/ and cache ignored
    head = git(folder, "rev-parse", "HEAD")
    assert f"first commit {head[:12]} on branch main" in out.splitlines()[0]


def test_init_commits_as_portico_only_where_git_knows_no_one(tmp_path: Path) -> None:
    """The identity is given on that one commit; no git config is written."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
            "GIT_CONFIG_NOSYSTEM": "1"}
    done = portico(tmp_path, "init", "anon", env=env)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "anon"
    name, email = FALLBACK_IDENTITY
    assert git(folder, "log", "-1", "--format=%an <%ae> / %cn <%ce>") == \
        f"{name} <{email}> / {name} <{email}>"
    assert "user" not in (folder / ".git/config").read_text()
    assert not (home / ".gitconfig").exists()
    env |= {"GIT_CONFIG_GLOBAL": str(home / "mine.gitconfig")}
    (home / "mine.gitconfig").write_text("[user]\n\tname = Dana Reyes\n\temail = dana@example.com\n")
    done = portico(tmp_path, "init", "mine", env=env)
    assert done.returncode == 0, done.stderr
    assert git(tmp_path / "mine", "log", "-1", "--format=%an <%ae>") == \
        "Dana Reyes <dana@example.com>"


def test_init_without_git_says_so_in_one_line_and_writes_the_practice(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path / "no-tools")}  # no git on PATH
    done = portico(tmp_path, "init", "nogit", env=env)
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stdout.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and "git was not found" in notes[0], done.stdout
    assert "git init -b main" in notes[0]
    assert (tmp_path / "nogit/clients/example/client.yml").is_file()
    assert not (tmp_path / "nogit/.git").exists()


def test_no_git_writes_the_files_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "plain"), "--no-git"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "plain/.git").exists()
    assert "note:" not in result.output and "first commit" not in result.output


def test_init_inside_another_repository_makes_no_second_one(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path / "mono")], check=True)
    result = init_practice(tmp_path / "mono" / "portals", practice_name="Mono")
    assert result.commit is None and len(result.notes) == 1
    assert "is inside the git repository" in result.notes[0]
    assert not (tmp_path / "mono/portals/.git").exists()


def test_next_steps_point_at_the_docs(practice: tuple[Path, str]) -> None:
    _, out = practice
    steps = out.split("next:\n", 1)[1]
    assert "portico docs " in steps
    for topic in re.findall(r"portico docs ([a-z-]+)", steps):
        assert topic in TOPICS, topic


def test_the_example_shows_every_section_a_portal_has(practice: tuple[Path, str],
                                                       tmp_path: Path) -> None:
    """Every kind of file the content model has, so a new practice sees each section work.
    What's new is the one section left out: it needs a second commit."""
    folder, _ = practice
    inputs = load_portal_inputs(folder, "example")
    engagement = inputs.clients[0]
    today = dt.date.today()
    view = portal_view(engagement, today)
    rendered = render_portal(engagement, inputs, tmp_path / "render", today=today)
    written = {p.relative_to(rendered.docs_dir).as_posix()
               for p in rendered.docs_dir.rglob("*") if p.is_file()}
    sources = set(rendered.sources.values())
    writer = PageWriter(view, inputs, tmp_path / "cards")
    missing = []
    for section in registered():
        if section.name == "changes":
            continue
        part = view.parts.get(section.name)
        main_page = section.page(part) if part is not None else None
        documents = [doc for doc, shown in section.documents(engagement.parts.get(section.name))
                     if shown]
        shown_docs = [doc for doc in documents if str(doc.source) in sources]
        home_only = main_page is None and part is not None and section.home_card(
            part, writer) is not None  # cadences: a card on home, no page of its own
        if main_page not in written and not shown_docs and not home_only:
            missing.append(section.name)
    assert missing == []
    for source in section_sources():
        assert (folder / "clients/example" / source).is_file(), source
    attachments = [name for name in written if name.startswith("files/")]
    assert len(attachments) >= 3  # the logo, the diagram and the CSV
    decisions = (folder / "clients/example/decisions").glob("*.md")
    assert any("evaluation:" in d.read_text() for d in decisions)  # a build-vs-buy matrix
    assert any((folder / "clients/example/pages").glob("*/*.md"))  # a folder of pages
    internal = [n for n in (folder / "clients/example/notes").glob("*.md")
                if "internal: true" in n.read_text()]
    assert internal and not any(str(n.relative_to(folder)) in sources for n in internal)


def section_sources() -> list[str]:
    """The YAML and CSV files the sections own in a client folder."""
    return sorted({name for section in registered() for name in section.sources})


def test_the_example_is_dated_around_the_day_the_practice_starts(tmp_path: Path) -> None:
    day = dt.date(2031, 3, 31)
    init_practice(tmp_path / "p", git=False, today=day)
    example = tmp_path / "p/clients/example"
    client = yaml.safe_load((example / "client.yml").read_text())
    assert client["engagement"]["start"] == day - dt.timedelta(days=120)
    assert (example / "board/2031-04-21-board-pack.md").is_file()
    kpis = yaml.safe_load((example / "kpis.yml").read_text())["kpis"]
    assert list(kpis[0]["values"]) == ["2030-11", "2030-12", "2031-01", "2031-02"]


SEE = re.compile(r"\bsee:?\s+(?:`portico docs ([a-z-]+)`|\[[^\]]*\]\(([^)\s]+)\)"
                 r"|`?((?:\.\./|[\w-]+/)*[\w.-]+\.(?:md|yml|yaml|csv|json))\b)", re.IGNORECASE)
LINK = re.compile(r"\]\(((?!https?:|mailto:)[^)\s]+)\)")


def headings(markdown: str) -> set[str]:
    from pymdownx.slugs import slugify

    slug = slugify(case="lower")
    return {slug(h, "-") for h in re.findall(r"^#{1,6} (.+)$", markdown, re.MULTILINE)}


def unresolved_pointers(folder: Path, name: str, text: str) -> list[str]:
    """Every "see X" in `text` (the file `name` of the practice `folder`) that names nothing
    there: a `portico docs` topic that does not exist, a file that is not in the practice,
    a heading that is not in the file. Relative Markdown links are held to the same rule."""
    here = (folder / name).parent
    wrong = []
    targets = [m.group(2) or m.group(3) for m in SEE.finditer(text) if not m.group(1)]
    if name.endswith(".md") and not name.startswith("clients/"):  # clients: `check` does it
        targets += LINK.findall(text)
    topics = [m.group(1) for m in SEE.finditer(text) if m.group(1)]
    topics += re.findall(r"portico docs ([a-z][a-z-]+)", text)
    wrong += [f"{name}: portico docs {t}" for t in topics if t not in TOPICS]
    for target in targets:
        path, _, anchor = target.partition("#")
        found = (here / path) if path else folder / name
        missing = bool(path) and not found.exists() and not (folder / path).exists()
        if missing or (anchor and found.suffix == ".md"
                       and anchor not in headings(found.read_text())):
            wrong.append(f"{name}: {target}")
    return wrong


def test_every_see_in_a_new_practice_names_something_there(practice: tuple[Path, str],
                                                           tmp_path: Path) -> None:
    """A practice holds no Portico docs/ folder: pointers go to `portico docs TOPIC` or to
    files the practice has (HOSTING.md). Checked over every file init writes, the files
    `portico new` writes into it, the `_headers` file publish writes, and init's output."""
    built, out = practice
    folder = tmp_path / "practice"
    shutil.copytree(built, folder, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", "site", ".portico-cache"))
    for args in (["new", "vendor", "example", "Acme Telematics"],
                 ["new", "opportunity", "example", "Summarise calls", "--value", "3",
                  "--effort", "2"],
                 ["new", "action", "example", "Send the logs", "--owner", "practice"],
                 ["new", "client", "acme", "--name", "Acme"],
                 ["new", "decision", "example", "Adopt a queue"],
                 ["new", "note", "example", "Kick-off"],
                 ["new", "board", "example", "2031-03-12"]):
        done = CliRunner().invoke(main, ["--root", str(folder), *args])
        assert done.exit_code == 0, done.output
    texts = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
             for p in folder.rglob("*") if p.is_file() and p.suffix != ".svg"}
    texts["_headers"] = headers_file()
    texts["(init's output)"] = out
    wrong = [problem for name, text in texts.items()
             for problem in unresolved_pointers(folder, name, text)]
    assert wrong == []
    generated = "".join(texts.values())
    assert "see `portico docs content-model`" in generated and "docs/content-model.md" not in \
        generated
