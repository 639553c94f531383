"""Issue 9, tried as an attacker would: portals on one origin with someone else's pages.

The test server plays `OWNER.github.io`: a protected portal at /hostile/ whose own content
carries script (raw <script> in Markdown, an event handler, a script file from a sibling
folder, an SVG and an HTML file with script under files/), and an attacker's page at
/attacker/, a sibling folder of the same origin, as another repository's Pages site
would be. Every attack must fail in a real Chromium.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys

import pytest
from browser_support import PASSPHRASES, PRACTICE, SAMPLE, Portal, Server
from playwright.sync_api import Browser, BrowserContext, Page, expect

from portico.protection.readers import Reader, share_fragment

CLIENT_TEXT = ["Northwind", "Oakenshaw", "quokkafjord", "Zephyrcloud", "Quillfeather"]
PWN = "localStorage.setItem('pwned-{0}', '1'); document.title = 'pwned {0}';"
MARKDOWN_ATTACK = f"""

<script>{PWN.format("markdown-script")}</script>

<img src="missing.png" alt="x" onerror="{PWN.format("markdown-onerror")}">

<script src="../../../attacker/evil.js"></script>

[the diagram](../../files/evil.svg) and [the report](../../files/evil.html)
"""
EVIL_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"
  onload="{PWN.format("svg-onload")}">
  <script>{PWN.format("svg-script")}</script>
  <rect width="40" height="40" fill="teal"/>
</svg>
"""
EVIL_HTML = f"<!doctype html><title>Report</title><script>{PWN.format('html-file')}</script>"
ATTACKER_PAGE = "<!doctype html><title>Another site on this origin</title><p>hello</p>"
FLAGS = "() => Object.keys(localStorage).filter((k) => k.startsWith('pwned-'))"


@pytest.fixture(scope="module")
def hostile(server: Server, readers: list[Reader], tmp_path_factory: pytest.TempPathFactory
            ) -> Portal:
    """The sample portal with script in its content, built by MkDocs and protected."""
    work = tmp_path_factory.mktemp("hostile")
    shutil.copytree(SAMPLE, work / "src")
    page = work / "src" / "docs" / "risks" / "r-002.md"
    page.write_text(page.read_text("utf-8") + MARKDOWN_ATTACK, "utf-8")
    (work / "src" / "docs" / "files" / "evil.svg").write_text(EVIL_SVG, "utf-8")
    (work / "src" / "docs" / "files" / "evil.html").write_text(EVIL_HTML, "utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                    str(work / "src" / "mkdocs.yml"), "-d", str(work / "site")],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    attacker = server.root / "attacker"
    attacker.mkdir(exist_ok=True)
    (attacker / "index.html").write_text(ATTACKER_PAGE, "utf-8")
    (attacker / "evil.js").write_text(PWN.format("sibling-script"), "utf-8")
    return server.publish("hostile", work / "site", readers, docs=work / "src" / "docs")


def unlock(page: Page, url: str, *, remember: bool = False) -> None:
    page.goto(url)
    field = page.get_by_label("Passphrase")
    field.fill(PASSPHRASES["dana"])
    if remember:
        page.get_by_label("Remember me on this device for 30 days").check()
    field.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def attacker_page(context: BrowserContext, server: Server) -> Page:
    page = context.new_page()
    page.goto(f"{server.origin}/attacker/")
    return page


def key_forms(portal: Portal) -> list[str]:
    """Every way a script could have written the content key down."""
    raw = portal.result.content_key
    return [base64.urlsafe_b64encode(raw).decode().rstrip("="), base64.b64encode(raw).decode(),
            raw.hex(), ",".join(str(b) for b in raw)]


def test_script_in_content_never_runs_but_the_engine_s_own_does(
    page: Page, hostile: Portal
) -> None:
    unlock(page, hostile.url)
    page.goto(hostile.url + "risks/r-002/")
    expect(page.locator("article h1")).to_have_text("R-002 Single maintainer of billing")
    expect(page.locator("article")).to_contain_text("the diagram")
    # Material's inline scripts (hashed at protect time) did run: the palette helper exists.
    assert page.evaluate("typeof __md_get") == "function"
    page.goto(hostile.url + "files/evil.svg")  # an image opened on its own, in a tab
    expect(page.locator("rect")).to_have_count(1)
    page.goto(hostile.url)
    with page.expect_download() as download:  # an HTML attachment is never a page
        page.evaluate(f"location.href = {hostile.url + 'files/evil.html'!r}")
    assert download.value.suggested_filename == "evil.html"
    page.goto(hostile.url)
    assert page.evaluate(FLAGS) == []
    assert "pwned" not in page.title()


def test_decrypted_responses_carry_the_protective_headers(page: Page, hostile: Portal) -> None:
    unlock(page, hostile.url)
    headers = page.evaluate("""async (url) => {
        const out = {};
        for (const path of ["risks/r-002/", "files/evil.svg", "files/chart.png"]) {
            const response = await fetch(url + path);
            out[path] = Object.fromEntries(response.headers.entries());
        }
        return out;
    }""", hostile.url)
    for path, got in headers.items():
        assert "frame-ancestors 'none'" in got["content-security-policy"], path
        assert got["cross-origin-opener-policy"] == "noopener-allow-popups", path
        assert got["x-content-type-options"] == "nosniff", path
        assert got["referrer-policy"] == "no-referrer", path
    page_csp = headers["risks/r-002/"]["content-security-policy"]
    assert "'self'" not in page_csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "'unsafe-inline'" not in page_csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "sandbox" in headers["files/evil.svg"]["content-security-policy"]
    assert "default-src 'none'" in headers["files/chart.png"]["content-security-policy"]


@pytest.mark.parametrize("remember", [False, True])
def test_no_key_an_attacker_on_the_origin_can_carry_away(
    context: BrowserContext, server: Server, hostile: Portal, remember: bool
) -> None:
    portal_page = context.new_page()
    unlock(portal_page, hostile.url, remember=remember)
    dump = portal_page.evaluate("""() => JSON.stringify([Object.entries(localStorage),
                                                       Object.entries(sessionStorage)])""")
    attacker = attacker_page(context, server)
    dump += attacker.evaluate("() => JSON.stringify(Object.entries(localStorage))")
    for form in key_forms(hostile):
        assert form not in dump
    found = attacker.evaluate("""async () => {
        const names = (await indexedDB.databases()).map((d) => d.name);
        const out = { names, keys: 0, exported: 0 };
        for (const name of names) {
            const db = await new Promise((ok) => { const r = indexedDB.open(name);
                                                   r.onsuccess = () => ok(r.result); });
            for (const store of db.objectStoreNames) {
                const all = await new Promise((ok) => {
                    const r = db.transaction(store).objectStore(store).getAll();
                    r.onsuccess = () => ok(r.result); });
                for (const value of all) {
                    const key = value && value.key;
                    if (!(key instanceof CryptoKey)) continue;
                    out.keys += 1;
                    try { await crypto.subtle.exportKey("raw", key); out.exported += 1; }
                    catch {}
                }
            }
        }
        return out;
    }""")
    assert found["exported"] == 0
    assert found["keys"] == (1 if remember else 0)


def test_a_page_on_the_same_origin_reads_nothing_through_a_frame_a_popup_or_the_worker(
    context: BrowserContext, server: Server, hostile: Portal
) -> None:
    unlock(context.new_page(), hostile.url)  # the reader has the portal open in a tab
    attacker = attacker_page(context, server)
    stolen = attacker.evaluate("""async (url) => {
        const wait = (ms) => new Promise((ok) => setTimeout(ok, ms));
        const out = {};
        const frame = document.createElement("iframe");
        frame.src = url + "risks/r-002/";
        document.body.append(frame);
        await wait(1500);
        try { out.frame = frame.contentDocument?.documentElement?.outerHTML ?? ""; }
        catch (error) { out.frame = "blocked: " + error.name; }
        const popup = window.open(url + "risks/r-002/");
        await wait(2000);
        try { out.popup = popup.document.documentElement.outerHTML; }
        catch (error) { out.popup = "blocked: " + error.name; }
        out.popupClosed = popup.closed;
        out.fetched = await (await fetch(url + "risks/r-002/")).text();
        const registration = await navigator.serviceWorker.getRegistration(url);
        out.worker = await new Promise((ok) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = (event) => ok(String(event.data?.key));
            registration.active.postMessage({ type: "hello" }, [channel.port2]);
            setTimeout(() => ok("no answer"), 1500);
        });
        return out;
    }""", hostile.url)
    for where in ("frame", "popup", "fetched"):
        assert not any(text in stolen[where] for text in CLIENT_TEXT), where
    assert stolen["popupClosed"] is True  # Cross-Origin-Opener-Policy cut the handle
    assert stolen["worker"] == "no answer"


def test_closing_the_last_tab_ends_the_session_unless_remembered(
    context: BrowserContext, hostile: Portal
) -> None:
    first = context.new_page()
    unlock(first, hostile.url)
    second = context.new_page()
    second.goto(hostile.url + "risks/")  # while one tab is open, a new one opens too
    expect(second.locator("article h1")).to_have_text("Risk register")
    first.close()
    second.close()
    third = context.new_page()
    third.goto(hostile.url + "risks/")
    expect(third.get_by_label("Passphrase")).to_be_visible()
    assert not any(text in third.content() for text in CLIENT_TEXT)


def test_with_javascript_off_nothing_leaves_the_form(
    browser: Browser, server: Server, hostile: Portal
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sent: list[str] = []
    page.on("request", lambda request: sent.append(f"{request.method} {request.url} "
                                                    f"{request.post_data or ''}"))
    page.goto(hostile.url + "risks/")
    page.get_by_label("Passphrase").fill(PASSPHRASES["dana"])
    page.get_by_label("Passphrase").press("Enter")
    page.get_by_role("button", name="Open").click(force=True)
    page.wait_for_timeout(500)
    assert page.url == hostile.url + "risks/"
    assert not any("passphrase" in line or PASSPHRASES["dana"] in line for line in sent)
    assert sent == [f"GET {hostile.url}risks/ "] or all(line.startswith("GET") for line in sent)
    context.close()


def test_before_the_script_has_loaded_enter_sends_nothing(page: Page, hostile: Portal) -> None:
    page.route("**/_portico/unlock.js", lambda route: route.abort())  # it never arrives
    sent: list[str] = []
    page.on("request", lambda request: sent.append(f"{request.url} {request.post_data or ''}"))
    page.goto(hostile.url)
    expect(page.get_by_role("button", name="Open")).to_be_disabled()
    page.get_by_label("Passphrase").fill(PASSPHRASES["dana"])
    page.get_by_label("Passphrase").press("Enter")
    page.wait_for_timeout(500)
    assert page.url == hostile.url
    assert not any(PASSPHRASES["dana"] in line or "passphrase=" in line for line in sent)


def test_a_passphrase_in_the_address_is_removed(page: Page, hostile: Portal) -> None:
    page.goto(hostile.url + "?username=x&passphrase=typed-by-an-old-form")
    expect(page.get_by_role("button", name="Open")).to_be_enabled()
    assert page.url == hostile.url


def test_each_portal_has_its_own_username_for_password_managers(
    page: Page, hostile: Portal, portal: Portal
) -> None:
    names = []
    for url in (hostile.url, portal.url):
        page.goto(url)
        expect(page.get_by_role("button", name="Open")).to_be_enabled()
        names.append(page.locator("#portico-username").input_value())
    assert names == [f"{PRACTICE} /hostile/", f"{PRACTICE} /acme/"]
    # and no input of the form has a name: a submitted form would carry nothing
    assert page.locator("#portico-form [name]").count() == 0


def test_a_share_link_keeps_no_secret_in_the_address_even_when_already_unlocked(
    page: Page, hostile: Portal
) -> None:
    dana = next(r for r in hostile.readers if r.id == "dana")
    link = hostile.url + "risks/" + share_fragment(PASSPHRASES["dana"], dana)
    page.goto(link)
    expect(page.locator("article h1")).to_have_text("Risk register")
    assert "k=" not in page.url
    page.goto(link)  # already open: only the fragment changes, and the page strips it
    expect(page.locator("article h1")).to_have_text("Risk register")
    # Waited for from outside the page: the portal's CSP (rightly) refuses the `eval` a
    # string predicate of wait_for_function needs.
    expect(page).to_have_url(hostile.url + "risks/", timeout=5000)
    page.goto(hostile.url)
    page.goto(link)  # a fresh load of a page the worker can decrypt at once
    expect(page.locator("article h1")).to_have_text("Risk register")
    # Waited for from outside the page: the portal's CSP (rightly) refuses the `eval` a
    # string predicate of wait_for_function needs.
    expect(page).to_have_url(hostile.url + "risks/", timeout=5000)


def test_an_envelope_entry_with_too_few_iterations_is_never_tried(
    page: Page, hostile: Portal
) -> None:
    page.goto(hostile.url + "_portico/envelope.json")  # a page of the origin: a secure context
    got = page.evaluate("""async ([module, envelopeUrl, passphrase]) => {
        const c = await import(module);
        const envelope = await (await fetch(envelopeUrl)).json();
        const weakened = { ...envelope, entries: envelope.entries.map(
            (entry) => ({ ...entry, iterations: 1 })) };
        try { await c.unwrapContentKey(weakened, passphrase); return "opened"; }
        catch (error) { return error instanceof c.WrongPassphraseError ? "refused" : String(error); }
    }""", [hostile.url + "_portico/crypto.js", hostile.url + "_portico/envelope.json",
           PASSPHRASES["dana"]])
    assert got == "refused"
