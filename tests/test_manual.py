"""Portico's documentation wherever it is installed: a site of its own, built strict (every
link and anchor checked), and `portico docs` to read it on this computer."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main
from portico.manual import CONFIG, TOPICS, docs_folder, page_address, topic_file

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
       "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "generator"),
                                                   os.environ.get("PYTHONPATH")]))}


def build_docs(docs: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a docs folder, in a process of its own (MkDocs keeps
    plugin state per process), as CI and `portico docs` build it."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "-f", str(docs / CONFIG), "-d", str(site)],
                          capture_output=True, text=True, timeout=600, env=ENV)


def test_the_docs_site_builds_strict_with_every_page_in_its_nav(tmp_path: Path) -> None:
    done = build_docs(DOCS, tmp_path / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    for topic in TOPICS:
        assert (tmp_path / "site" / topic / "index.html").is_file(), topic
    assert (tmp_path / "site/index.html").is_file()
    assert not (tmp_path / "site/_config").exists()  # the config is not a page
    pages = {p.stem for p in DOCS.glob("*.md")}
    nav = (DOCS / CONFIG).read_text()
    assert all(f"{page}.md" in nav for page in pages)


def test_a_broken_link_or_anchor_fails_the_docs_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    with (docs / "index.md").open("a") as page:
        page.write("\n[gone](commands.md#no-such-heading) and [lost](no-such-page.md)\n")
    done = build_docs(docs, tmp_path / "site")
    assert done.returncode != 0
    assert "no-such-heading" in done.stderr and "no-such-page.md" in done.stderr


def test_every_topic_is_a_page_and_every_page_a_topic() -> None:
    assert set(TOPICS) | {"index"} == {p.stem for p in DOCS.glob("*.md")}
    assert docs_folder() == DOCS  # a source checkout reads its own docs/
    assert topic_file("hosting") == DOCS / "hosting.md"
    assert topic_file(None) == DOCS / "index.md"
    assert page_address("content-model") == "/content-model/" and page_address(None) == "/"


def test_print_path_names_the_topics_markdown_file() -> None:
    done = CliRunner().invoke(main, ["docs", "content-model", "--print-path"])
    assert done.exit_code == 0, done.output
    assert Path(done.output.strip()) == DOCS / "content-model.md"


def test_an_unknown_topic_is_one_line_naming_the_topics() -> None:
    done = CliRunner().invoke(main, ["docs", "glossary"])
    assert done.exit_code == 1
    assert done.output.count("\n") == 1, done.output
    assert done.output.startswith("error: no documentation topic 'glossary'; the topics are ")
    assert all(topic in done.output for topic in TOPICS)


def test_docs_help_lists_every_topic() -> None:
    done = CliRunner().invoke(main, ["docs", "--help"], env={"COLUMNS": "80"})
    assert done.exit_code == 0
    for topic in TOPICS:
        assert re.search(rf"^ +{re.escape(topic)} +\S", done.output, re.MULTILINE), topic
    assert all(len(line) <= 80 for line in done.output.splitlines())


def test_portico_docs_serves_the_topic_on_127_0_0_1(tmp_path: Path) -> None:
    """The whole command, as a user runs it: build, serve, the page answers, Ctrl+C."""
    server = subprocess.Popen([sys.executable, "-m", "portico", "docs", "hosting",
                               "--no-browser"], cwd=tmp_path, env=ENV, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert server.stdout is not None
        lines = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "http://" in line:
                break
        found = re.search(r"http://127\.0\.0\.1:\d+/hosting/", "".join(lines))
        assert found, "".join(lines) + (server.stderr.read() if server.poll() else "")
        with urllib.request.urlopen(found.group(0), timeout=30) as response:
            page = response.read().decode("utf-8")
        assert "Hosting the portals" in page
        with urllib.request.urlopen(found.group(0).replace("/hosting/", "/search/"
                                                           "search_index.json"),
                                    timeout=30) as response:
            assert b"portico publish" in response.read()  # search works offline
    finally:
        server.send_signal(2)  # Ctrl+C
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            pytest.fail("portico docs did not stop on Ctrl+C")
    assert server.returncode == 0, server.stderr.read() if server.stderr else ""
