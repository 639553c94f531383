"""Protect: any finished static site in, a portal with nothing readable but the shell out."""

from __future__ import annotations

import gzip
import json
import re
import secrets
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from portico.content.errors import BuildError, PorticoError
from portico.protection import envelope as envelope_module
from portico.protection.envelope import (
    MAX_ITERATIONS,
    MIN_ITERATIONS,
    IntegrityError,
    WrongPassphraseError,
    new_content_key,
    open_envelope,
    open_envelope_with_scalar,
    open_file,
    seal_file,
    wrap_for_reader,
)
from portico.protection.protect import ProtectionResult, _media_type, protect_site
from portico.protection.readers import (
    Reader,
    add_reader,
    b64url,
    b64url_decode,
    derive_private_key,
    derive_private_scalar,
    derive_public_key,
    load_readers,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sample_portal"
STATIC_SITE = FIXTURES / "static_site"
VECTOR = json.loads((FIXTURES / "crypto_vector.json").read_text("utf-8"))
PASSPHRASES = {
    "dana": "tidy-otter-lantern-quarry-velvet-ember",
    "sam": "Sam's own chosen passphrase 42",
}
CLIENT_TEXT = ["Northwind", "Quillfeather", "quokkafjord", "Zephyrcloud", "Board-Pack", "chart.png"]
PRACTICE = "Example CTO Practice"


@pytest.fixture(scope="module")
def readers(tmp_path_factory: pytest.TempPathFactory) -> list[Reader]:
    path = tmp_path_factory.mktemp("client") / "readers.yml"
    for reader_id, passphrase in PASSPHRASES.items():
        add_reader(path, reader_id, f"{reader_id.title()}, Northwind CEO", passphrase)
    return load_readers(path)


@pytest.fixture(scope="module")
def protected(tmp_path_factory: pytest.TempPathFactory, readers: list[Reader]) -> ProtectionResult:
    out = tmp_path_factory.mktemp("protected") / "site"
    return protect_site(STATIC_SITE, out, readers, practice_name=PRACTICE)


def _output(result: ProtectionResult) -> dict[str, bytes]:
    return {
        p.relative_to(result.out).as_posix(): p.read_bytes()
        for p in result.out.rglob("*")
        if p.is_file()
    }


def test_every_page_is_a_shell_at_its_own_path(protected: ProtectionResult) -> None:
    assert set(protected.shells) == {"index.html", "404.html", "risks/r-001/index.html"}
    index = (protected.out / "index.html").read_text("utf-8")
    deep = (protected.out / "risks/r-001/index.html").read_text("utf-8")
    assert 'src="./_portico/unlock.js"' in index
    assert deep == index.replace('"./', '"../../')


def test_the_shell_names_the_practice_and_nothing_of_the_client(
    protected: ProtectionResult,
) -> None:
    shell = (protected.out / "index.html").read_text("utf-8")
    assert PRACTICE in shell
    assert re.search(r"<title>Sign in · Example CTO Practice</title>", shell)
    assert not any(text.lower() in shell.lower() for text in CLIENT_TEXT)


def test_the_shell_is_accessible_and_allows_only_its_own_origin(
    protected: ProtectionResult,
) -> None:
    shell = (protected.out / "index.html").read_text("utf-8")
    assert '<label for="portico-passphrase">Passphrase</label>' in shell
    assert re.search(r'id="portico-passphrase"[^>]*\bautofocus', shell)
    assert 'aria-live="assertive"' in shell and 'role="alert"' in shell
    assert "Remember me on this device" in shell
    assert "Content-Security-Policy" in shell and "script-src &#39;self&#39;;" in shell
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", shell), "no inline script"
    assert "<style" not in shell and "style=" not in shell, "no inline style"
    assert "http://" not in shell and "https://" not in shell


def test_the_client_name_shows_only_when_opted_in(tmp_path: Path, readers: list[Reader]) -> None:
    result = protect_site(
        STATIC_SITE,
        tmp_path / "out",
        readers,
        practice_name=PRACTICE,
        client_name="Northwind Fixture Co",
    )
    assert (
        '<h1 id="portico-heading">Northwind Fixture Co</h1>'
        in (result.out / "index.html").read_text()
    )


def test_only_the_theme_assets_stay_public_and_byte_identical(protected: ProtectionResult) -> None:
    assert set(protected.public) == {"assets/javascripts/theme.js", "assets/stylesheets/theme.css"}
    for rel in protected.public:
        assert (protected.out / rel).read_bytes() == (STATIC_SITE / rel).read_bytes()


def test_no_protected_file_keeps_its_name_or_folder(protected: ProtectionResult) -> None:
    names = set(_output(protected))
    for gone in [
        "search/search_index.json",
        "sitemap.xml",
        "files/chart.png",
        "files/Northwind-Board-Pack.pdf",
        "stylesheets/client.css",
        "assets/images/logo.svg",
    ]:
        assert gone not in names
    assert not any(n.startswith(("files/", "search/", "stylesheets/")) for n in names)
    blobs = [n for n in names if n.startswith("_portico/b/")]
    assert len(blobs) == len(protected.files) == 9
    assert all(re.fullmatch(r"_portico/b/[0-9a-f]{32}", b) for b in blobs)


def test_nothing_of_the_client_is_readable_anywhere(protected: ProtectionResult) -> None:
    for rel, data in _output(protected).items():
        for text in CLIENT_TEXT:
            assert text.lower().encode() not in data.lower(), f"{text} in {rel}"
            assert text.lower() not in rel.lower()


def test_every_blob_opens_with_the_content_key_under_its_own_path(
    protected: ProtectionResult,
) -> None:
    for file in protected.files:
        blob = (protected.out / file.blob).read_bytes()
        assert (
            open_file(protected.content_key, file.path, blob)
            == (STATIC_SITE / file.path).read_bytes()
        )


def test_any_flipped_byte_is_rejected(protected: ProtectionResult) -> None:
    file = next(f for f in protected.files if f.path == "risks/r-001/index.html")
    blob = (protected.out / file.blob).read_bytes()
    for position in range(len(blob)):
        damaged = bytearray(blob)
        damaged[position] ^= 0x01
        with pytest.raises(IntegrityError):
            open_file(protected.content_key, file.path, bytes(damaged))
    with pytest.raises(IntegrityError):
        open_file(protected.content_key, file.path, blob[:-1])


def test_a_blob_moved_to_another_path_is_rejected(protected: ProtectionResult) -> None:
    file = next(f for f in protected.files if f.path == "risks/r-001/index.html")
    with pytest.raises(IntegrityError, match="index.html"):
        open_file(protected.content_key, "index.html", (protected.out / file.blob).read_bytes())


def test_the_envelope_names_no_reader(protected: ProtectionResult, readers: list[Reader]) -> None:
    text = (protected.out / "_portico/envelope.json").read_text("utf-8")
    envelope = json.loads(text)
    assert len(envelope["entries"]) == len(readers)
    for reader in readers:
        assert reader.id not in text and reader.label not in text and "Northwind" not in text
    assert set(envelope["entries"][0]) == {
        "salt",
        "iterations",
        "x",
        "y",
        "ephemeral",
        "nonce",
        "wrapped",
    }
    ephemerals = {e["ephemeral"]["x"] for e in envelope["entries"]}
    assert len(ephemerals) == len(readers), "a fresh ephemeral key per entry"


def test_each_reader_unwraps_the_content_key(protected: ProtectionResult) -> None:
    envelope = json.loads((protected.out / "_portico/envelope.json").read_text("utf-8"))
    for passphrase in PASSPHRASES.values():
        assert open_envelope(envelope, passphrase) == protected.content_key
    with pytest.raises(WrongPassphraseError):
        open_envelope(envelope, "not anyone's passphrase")


def test_a_removed_reader_has_no_entry_after_the_rebuild(
    tmp_path: Path, readers: list[Reader]
) -> None:
    kept = [r for r in readers if r.id != "sam"]
    result = protect_site(STATIC_SITE, tmp_path / "out", kept, practice_name=PRACTICE)
    envelope = json.loads((result.out / "_portico/envelope.json").read_text("utf-8"))
    assert [e["salt"] for e in envelope["entries"]] == [kept[0].salt]
    with pytest.raises(WrongPassphraseError):
        open_envelope(envelope, PASSPHRASES["sam"])
    assert open_envelope(envelope, PASSPHRASES["dana"]) == result.content_key


def test_every_build_has_a_fresh_content_key(
    tmp_path: Path, protected: ProtectionResult, readers: list[Reader]
) -> None:
    again = protect_site(STATIC_SITE, tmp_path / "out", readers, practice_name=PRACTICE)
    assert again.content_key != protected.content_key
    assert {f.blob for f in again.files}.isdisjoint(f.blob for f in protected.files)


def test_the_content_key_stays_out_of_reprs(protected: ProtectionResult) -> None:
    assert protected.content_key.hex() not in repr(protected)


def test_no_reader_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PorticoError, match="portico reader add"):
        protect_site(STATIC_SITE, tmp_path / "out", [], practice_name=PRACTICE)


def test_a_non_empty_output_or_a_reserved_name_is_refused(
    tmp_path: Path, readers: list[Reader]
) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "old.html").write_text("old")
    with pytest.raises(BuildError, match="not empty"):
        protect_site(STATIC_SITE, tmp_path / "busy", readers, practice_name=PRACTICE)
    plain = tmp_path / "plain"
    shutil.copytree(STATIC_SITE, plain)
    (plain / "portico-sw.js").write_text("")
    with pytest.raises(BuildError, match="reserves"):
        protect_site(plain, tmp_path / "out", readers, practice_name=PRACTICE)


def test_the_protected_site_is_hardly_larger_than_a_real_plain_site(
    tmp_path: Path, readers: list[Reader], plain_site: Path
) -> None:
    plain = plain_site
    result = protect_site(plain, tmp_path / "out", readers, practice_name=PRACTICE)
    # Compression pays for the shells and the envelope; padding to size buckets costs a
    # little back (benchmarks/RESULTS.md, issue 17).
    assert result.protected_bytes <= 1.05 * result.plain_bytes
    # The sizes the build reports are those of the files, counted as they were written.
    assert result.protected_bytes == sum(f.stat().st_size for f in (tmp_path / "out").rglob("*")
                                         if f.is_file())
    assert result.plain_bytes == sum(f.stat().st_size for f in plain.rglob("*") if f.is_file())
    protected_paths = {f.path for f in result.files}
    assert {
        "search/search_index.json",
        "sitemap.xml",
        "404.html",
        "files/chart.png",
    } <= protected_paths
    assert all(p.startswith(("assets/javascripts/", "assets/stylesheets/")) for p in result.public)


def test_python_matches_the_cross_implementation_vector() -> None:
    salt = b64url_decode(VECTOR["salt"])
    assert derive_public_key(VECTOR["passphrase"], salt, VECTOR["iterations"]) == (
        VECTOR["x"],
        VECTOR["y"],
    )
    key, nonce = b64url_decode(VECTOR["content_key"]), b64url_decode(VECTOR["nonce"])
    compressed = b64url_decode(VECTOR["compressed"])
    plaintext = b64url_decode(VECTOR["plaintext"])
    assert gzip.decompress(compressed) == plaintext
    padded = b64url_decode(VECTOR["padded"])
    assert padded[:4] == len(compressed).to_bytes(4, "big")
    assert padded[4:4 + len(compressed)] == compressed and not any(padded[4 + len(compressed):])
    expected = nonce + AESGCM(key).encrypt(nonce, padded, VECTOR["path"].encode())
    assert b64url(expected) == VECTOR["blob"]
    assert open_file(key, VECTOR["path"], b64url_decode(VECTOR["blob"])) == plaintext
    assert open_file(key, "x", seal_file(key, "x", plaintext, nonce)) == plaintext
    reader = Reader(
        id="vector",
        salt=VECTOR["salt"],
        iterations=VECTOR["iterations"],
        x=VECTOR["x"],
        y=VECTOR["y"],
    )
    ephemeral = ec.derive_private_key(int(VECTOR["ephemeral_scalar"], 16), ec.SECP256R1())
    entry = wrap_for_reader(key, reader, ephemeral, b64url_decode(VECTOR["entry"]["nonce"]))
    assert entry == VECTOR["entry"]
    assert open_envelope({"version": 1, "entries": [entry]}, VECTOR["passphrase"]) == key


def _entry_at(iterations: int, content_key: bytes, passphrase: str = PASSPHRASES["sam"]) -> dict:
    """An envelope entry genuinely wrapped for `passphrase` at `iterations` (any count)."""
    salt = bytes(range(16))
    x, y = derive_public_key(passphrase, salt, iterations)
    reader = Reader.model_construct(id="r", label="", salt=b64url(salt), iterations=iterations,
                                    x=x, y=y)  # model_construct: the model refuses the count
    return wrap_for_reader(content_key, reader)


def test_an_entry_with_too_few_iterations_is_never_opened() -> None:
    key = new_content_key()
    entry = _entry_at(1, key)
    private = derive_private_key(PASSPHRASES["sam"], bytes(range(16)), 1)
    assert envelope_module._unwrap_entry(private, entry) == key  # it would open, if tried
    with pytest.raises(WrongPassphraseError):
        open_envelope({"version": 1, "entries": [entry]}, PASSPHRASES["sam"])
    scalar = derive_private_scalar(PASSPHRASES["sam"], bytes(range(16)), 1).to_bytes(32, "big")
    with pytest.raises(WrongPassphraseError):
        open_envelope_with_scalar({"version": 1, "entries": [entry]}, scalar)
    good = _entry_at(MIN_ITERATIONS, key)
    assert open_envelope({"version": 1, "entries": [entry, good]}, PASSPHRASES["sam"]) == key


def test_an_entry_over_the_cap_is_skipped_without_deriving(monkeypatch: pytest.MonkeyPatch) -> None:
    derived: list[int] = []

    def derive(passphrase: str, salt: bytes, iterations: int) -> ec.EllipticCurvePrivateKey:
        derived.append(iterations)
        return ec.generate_private_key(ec.SECP256R1())

    monkeypatch.setattr(envelope_module, "derive_private_key", derive)
    entry = _entry_at(1, new_content_key())
    planted = [{**entry, "iterations": n} for n in (MAX_ITERATIONS + 1, 2**31, True, "600000")]
    with pytest.raises(WrongPassphraseError):
        open_envelope({"version": 1, "entries": planted}, "any passphrase at all")
    assert derived == []
    with pytest.raises(WrongPassphraseError):
        open_envelope({"version": 1, "entries": [{**entry, "iterations": MAX_ITERATIONS}]}, "x")
    assert derived == [MAX_ITERATIONS]  # the cap itself is still allowed


def test_a_scalar_opens_its_own_entry_only() -> None:
    key = new_content_key()
    entry = _entry_at(MIN_ITERATIONS, key)
    scalar = derive_private_scalar(PASSPHRASES["sam"], bytes(range(16)), MIN_ITERATIONS)
    assert open_envelope_with_scalar({"version": 1, "entries": [entry]},
                                     scalar.to_bytes(32, "big")) == key
    with pytest.raises(WrongPassphraseError, match="link"):
        open_envelope_with_scalar({"version": 1, "entries": [entry]},
                                  (scalar + 1).to_bytes(32, "big"))
    with pytest.raises(WrongPassphraseError):
        open_envelope_with_scalar({"version": 1, "entries": [entry]}, bytes(32))


def test_blob_sizes_are_buckets_so_a_small_edit_does_not_show() -> None:
    from portico.protection.envelope import padded_size

    key = new_content_key()
    ladder = [512, 1024, 2048, 4096, 8192, 16384]
    assert [padded_size(n) for n in (1, 513, 1025, 2049, 4097, 8193)] == ladder
    assert padded_size(16384) == 16384 and padded_size(16385) == 20480
    page = "".join(f"<p>Paragraph {i}: {secrets.token_hex(20)}</p>" for i in range(60)).encode()
    edited = page.replace(b"Paragraph 7:", b"Paragraph 7 (one sentence more here):")
    sizes = {len(seal_file(key, "risks/index.html", data)) for data in (page, edited)}
    assert len(sizes) == 1 and sizes <= {*ladder, *range(20480, 1 << 30, 4096)}
    for data in (b"", b"x", page, secrets.token_bytes(40_000)):
        blob = seal_file(key, "a", data)
        assert len(blob) == padded_size(len(blob)) and open_file(key, "a", blob) == data


@pytest.mark.parametrize(("name", "download"), [
    ("files/page.html", True), ("files/page.htm", True),  # HTML the engine did not make
    ("files/page.shtml", True), ("files/page.shtm", True),  # text/html, like .html
    ("files/page.xhtml", True), ("files/page.xht", True),  # application/xhtml+xml
    ("files/logo.svg", False), ("files/logo.svgz", False),  # image/svg+xml: sandboxed
    ("files/data.xml", True), ("files/style.xsl", True), ("files/feed.rss", True),  # XML
    ("files/saved.mht", True),  # MHTML
    ("files/mystery.qqq", True), ("files/README", True),  # unknown
    ("files/chart.png", False), ("files/notes.txt", False), ("files/table.csv", False),
    ("files/report.pdf", True), ("search/search_index.json", False),
])
def test_a_file_is_active_by_the_media_type_a_host_would_send(
        tmp_path: Path, readers: list[Reader], name: str, download: bool) -> None:
    """Only the engine's own pages open as portal pages; every type a browser could run as a
    document (HTML, XHTML, XML, MHTML) or does not know is a download, whatever its suffix.
    SVG is viewable, and sandboxed by the worker (tests/browser/test_attacks.py)."""
    svg = "image/svg+xml"
    assert _media_type(name).startswith(svg) == name.endswith((".svg", ".svgz"))
    plain = tmp_path / "plain"
    for rel, data in (("index.html", "<p>home</p>"), (name, "<html><script>x</script>")):
        (plain / rel).parent.mkdir(parents=True, exist_ok=True)
        (plain / rel).write_text(data)
    result = protect_site(plain, tmp_path / "out", readers, practice_name=PRACTICE,
                          page_paths={"index.html"})
    files = {f.path: f for f in result.files}
    assert files["index.html"].attachment is False
    assert files[name].attachment is download, files[name].media_type
