"""`portico serve`: a live preview on 127.0.0.1 that follows the CTO's edits."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch_until(url: str, wanted: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                text = response.read().decode("utf-8")
            if wanted in text:
                return text
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{wanted!r} never appeared at {url}; last page: {text[:300]!r}")


def test_serve_shows_the_client_and_follows_edits(tmp_path: Path) -> None:
    for name in ("clients", "content", "theme", "mkdocs.yml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, tmp_path / name)
    port = free_port()
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", "portico", "--root", str(tmp_path), "serve", "lumen-health",
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=os.environ | {"TMPDIR": str(system_temp)})
    try:
        url = f"http://127.0.0.1:{port}/"
        fetch_until(url, "Lumen Health")
        # The served pages are plain text: they live in the practice's cache, never in the
        # system temp, where a killed preview would leave them behind.
        assert list(system_temp.iterdir()) == []
        assert list((tmp_path / ".portico-cache/serve").glob("lumen-health.*/mkdocs_*"))
        client = tmp_path / "clients/lumen-health/client.yml"
        client.write_text(client.read_text().replace("name: Lumen Health", "name: Lumen Clinics"))
        fetch_until(url, "Lumen Clinics")
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "Traceback" not in output, output
    assert output.count("re-rendered") <= 3, output  # one edit, not a loop
