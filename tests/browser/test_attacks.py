"""Issue 9, tried as an attacker would: portals on one origin with someone else's pages.

The test server plays `OWNER.github.io`: a protected portal whose own content carries
script (raw <script> in Markdown, an event handler, a script file from another folder, an
SVG and an HTML file with script under files/), and an attacker's page at /attacker/,
another folder of the same origin, as another repository's Pages site would be. Every
attack must fail in a real Chromium on Harborline's leadership portal, built by `portico
build` with hostile content (attack_support.py); those marked `each_view` also on the
sample portal at /hostile/ (MkDocs, then protect) and on Harborline's board portal (issue
19: each view has its own path, envelope, readers and worker). PORTICO_THOROUGH=1 runs
every attack on the sample and the `each_view` ones on the engineering portal too.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from typing import Any

import pytest
from attack_support import (
    EVIL_HTML,
    EVIL_SVG,
    PWN,
    SEARCH_TERM,
    VIEWS,
    Target,
    markdown_attack,
    sample_target,
)
from browser_support import PRACTICE, SAMPLE, THOROUGH, Portal, Server, search, sign_in
from playwright.sync_api import Browser, BrowserContext, Page, expect

from portico.protection.envelope import wrap_for_reader
from portico.protection.reader_keys import b64url, derive_private_key
from portico.protection.readers import Reader, share_fragment

ATTACKER_PAGE = "<!doctype html><title>Another site on this origin</title><p>hello</p>"
FLAGS = "() => Object.keys(localStorage).filter((k) => k.startsWith('pwned-'))"


@pytest.fixture(scope="module")
def attacker_site(server: Server) -> str:
    """The attacker's folder of the origin, /attacker/, with the script file the portals'
    content asks for; returns its URL."""
    attacker = server.root / "attacker"
    attacker.mkdir(exist_ok=True)
    (attacker / "index.html").write_text(ATTACKER_PAGE, "utf-8")
    (attacker / "evil.js").write_text(PWN.format("sibling-script"), "utf-8")
    return f"{server.origin}/attacker/"


@pytest.fixture(scope="module")
def hostile(server: Server, readers: list[Reader], tmp_path_factory: pytest.TempPathFactory
            ) -> Portal:
    """The sample portal with script in its content, built by MkDocs and protected."""
    work = tmp_path_factory.mktemp("hostile")
    shutil.copytree(SAMPLE, work / "src")
    page = work / "src" / "docs" / "risks" / "r-002.md"
    page.write_text(page.read_text("utf-8") + markdown_attack("../../files"), "utf-8")
    (work / "src" / "docs" / "files" / "evil.svg").write_text(EVIL_SVG, "utf-8")
    (work / "src" / "docs" / "files" / "evil.html").write_text(EVIL_HTML, "utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                    str(work / "src" / "mkdocs.yml"), "-d", str(work / "site")],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return server.publish("hostile", work / "site", readers, docs=work / "src" / "docs")


# Every attack runs on Harborline's leadership portal (`portico build`). Those marked
# `each_view` (what a portal's own content, storage and worker decide) also run on the
# sample (MkDocs, then protect: the other build path) and on the board portal, built by the
# same code as the leadership one but with its own content, path, envelope, storage and
# worker scope. The others try the shell's headers, links and sign-in form, which every
# portal serves alike. PORTICO_THOROUGH=1 runs every attack on the sample too, and the
# `each_view` ones on the engineering portal as well (it differs from the board one only in
# which items it shows).
EVERY_BUILD = ["sample", "leadership"] if THOROUGH else ["leadership"]
ATTACKED_VIEWS = list(VIEWS) if THOROUGH else ["leadership", "board"]
each_view = pytest.mark.each_view


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target" in metafunc.fixturenames:
        every = metafunc.definition.get_closest_marker("each_view") is not None
        metafunc.parametrize("target", ["sample", *ATTACKED_VIEWS] if every else EVERY_BUILD,
                             indirect=True, scope="module")


@pytest.fixture(scope="module")
def target(request: pytest.FixtureRequest, attacker_site: str) -> Target:
    """The portal under attack: the sample (`hostile`), or one of Harborline's views
    (conftest.py `hostile_views`); each is built only where a test asks for it."""
    if request.param == "sample":
        return sample_target(request.getfixturevalue("hostile"), "dana")
    views: dict[str, Target] = request.getfixturevalue("hostile_views")
    return views[request.param]


def unlock(page: Page, target: Target, *, remember: bool = False) -> None:
    page.goto(target.url)
    sign_in(page, target.passphrase, remember=remember)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def expect_title(page: Page, title: str) -> None:
    """The page's heading is `title` (a theme may add its permalink sign)."""
    expect(page.locator("article h1")).to_have_text(re.compile(rf"^\s*{re.escape(title)}\s*¶?\s*$"))


def attacker_page(context: BrowserContext, server: Server) -> Page:
    page = context.new_page()
    page.goto(f"{server.origin}/attacker/")
    return page


@each_view
def test_script_in_content_never_runs_but_the_engine_s_own_does(
    page: Page, target: Target
) -> None:
    unlock(page, target)
    page.goto(target.url + target.page)
    expect_title(page, target.page_title)
    expect(page.locator("article")).to_contain_text("the diagram")
    # The engine's inline scripts (hashed at protect time) did run: the palette helper exists.
    assert page.evaluate("typeof __md_get") == "function"
    page.goto(target.url + target.svg)  # an image opened on its own, in a tab
    expect(page.locator("rect")).to_have_count(1)
    page.goto(target.url)
    with page.expect_download() as download:  # an HTML attachment is never a page
        page.evaluate(f"location.href = {target.url + target.attachment!r}")
    assert download.value.suggested_filename == "evil.html"
    page.goto(target.url)
    assert page.evaluate(FLAGS) == []
    assert "pwned" not in page.title()


def test_decrypted_responses_carry_the_protective_headers(page: Page, target: Target) -> None:
    unlock(page, target)
    headers = page.evaluate("""async ([url, paths]) => {
        const out = {};
        for (const path of paths) {
            const response = await fetch(url + path);
            out[path] = Object.fromEntries(response.headers.entries());
        }
        return out;
    }""", [target.url, [target.page, target.svg, target.image, "sitemap.xml"]])
    for path, got in headers.items():
        assert "frame-ancestors 'none'" in got["content-security-policy"], path
        assert got["cross-origin-opener-policy"] == "noopener-allow-popups", path
        assert got["x-content-type-options"] == "nosniff", path
        assert got["referrer-policy"] == "no-referrer", path
    page_csp = headers[target.page]["content-security-policy"]
    assert "'self'" not in page_csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "'unsafe-inline'" not in page_csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "sandbox" in headers[target.svg]["content-security-policy"]
    assert "sandbox" in headers["sitemap.xml"]["content-security-policy"]  # the worker's own
    assert "default-src 'none'" in headers[target.image]["content-security-policy"]


@each_view
@pytest.mark.parametrize("remember", [False, True])
def test_no_key_an_attacker_on_the_origin_can_carry_away(
    context: BrowserContext, server: Server, target: Target, remember: bool
) -> None:
    portal_page = context.new_page()
    unlock(portal_page, target, remember=remember)
    dump = portal_page.evaluate("""() => JSON.stringify([Object.entries(localStorage),
                                                       Object.entries(sessionStorage)])""")
    attacker = attacker_page(context, server)
    dump += attacker.evaluate("() => JSON.stringify(Object.entries(localStorage))")
    for form in target.key_forms():
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


@each_view
def test_a_page_on_the_same_origin_reads_nothing_through_a_frame_a_popup_or_the_worker(
    context: BrowserContext, server: Server, target: Target
) -> None:
    unlock(context.new_page(), target)  # the reader has the portal open in a tab
    attacker = attacker_page(context, server)
    # The four tries run side by side, each given as long as it ever was.
    stolen = attacker.evaluate("""async (url) => {
        const wait = (ms) => new Promise((ok) => setTimeout(ok, ms));
        const read = (html) => {
            try { return html() ?? ""; } catch (error) { return "blocked: " + error.name; } };
        const frame = document.createElement("iframe");
        frame.src = url;
        document.body.append(frame);
        const inFrame = wait(1500).then(
            () => read(() => frame.contentDocument?.documentElement?.outerHTML));
        const popup = window.open(url);
        const inPopup = (async () => {  // a closed handle stays closed: no need to wait on
            for (let waited = 0; waited < 2000 && !popup.closed; waited += 50) await wait(50);
            return { popup: read(() => popup.document.documentElement.outerHTML),
                     popupClosed: popup.closed };
        })();
        const fetched = fetch(url).then((response) => response.text());
        const worker = navigator.serviceWorker.getRegistration(url).then(
            (registration) => new Promise((ok) => {
                const channel = new MessageChannel();
                channel.port1.onmessage = (event) => ok(String(event.data?.key));
                registration.active.postMessage({ type: "hello" }, [channel.port2]);
                setTimeout(() => ok("no answer"), 1500);
            }));
        return { frame: await inFrame, ...(await inPopup), fetched: await fetched,
                 worker: await worker };
    }""", target.url + target.page)
    for where in ("frame", "popup", "fetched"):
        assert not any(text in stolen[where] for text in target.secrets), where
    assert stolen["popupClosed"] is True  # Cross-Origin-Opener-Policy cut the handle
    assert stolen["worker"] == "no answer"


def test_closing_the_last_tab_ends_the_session_unless_remembered(
    context: BrowserContext, target: Target
) -> None:
    first = context.new_page()
    unlock(first, target)
    second = context.new_page()
    second.goto(target.url + target.listing)  # while one tab is open, a new one opens too
    expect_title(second, target.listing_title)
    first.close()
    second.close()
    third = context.new_page()
    third.goto(target.url + target.listing)
    expect(third.get_by_label("Passphrase")).to_be_visible()
    assert not any(text in third.content() for text in target.secrets)


def test_with_javascript_off_nothing_leaves_the_form(
    browser: Browser, server: Server, target: Target
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sent: list[str] = []
    page.on("request", lambda request: sent.append(f"{request.method} {request.url} "
                                                    f"{request.post_data or ''}"))
    page.goto(target.url + target.listing)
    page.get_by_label("Passphrase").fill(target.passphrase)
    page.get_by_label("Passphrase").press("Enter")
    page.get_by_role("button", name="Open").click(force=True)
    page.wait_for_timeout(500)
    assert page.url == target.url + target.listing
    assert not any("passphrase" in line or target.passphrase in line for line in sent)
    assert sent == [f"GET {target.url}{target.listing} "] or all(line.startswith("GET")
                                                                 for line in sent)
    context.close()


def test_before_the_script_has_loaded_enter_sends_nothing(page: Page, target: Target) -> None:
    page.route("**/_portico/unlock.js", lambda route: route.abort())  # it never arrives
    sent: list[str] = []
    page.on("request", lambda request: sent.append(f"{request.url} {request.post_data or ''}"))
    page.goto(target.url)
    expect(page.locator("#portico-open")).to_be_disabled()
    # With script on, the box shows only once unlock.js has decided it may ask (issue 17).
    expect(page.get_by_label("Passphrase")).to_be_hidden()
    page.locator("#portico-passphrase").evaluate(
        "(box, typed) => { box.value = typed; box.form.requestSubmit(); }", target.passphrase)
    page.wait_for_timeout(500)
    assert page.url == target.url
    assert not any(target.passphrase in line or "passphrase=" in line for line in sent)


def test_a_passphrase_in_the_address_is_removed(page: Page, target: Target) -> None:
    page.goto(target.url + "?username=x&passphrase=typed-by-an-old-form")
    expect(page.get_by_role("button", name="Open")).to_be_enabled()
    assert page.url == target.url


@each_view
def test_each_portal_has_its_own_username_for_password_managers(
    page: Page, target: Target, portal: Portal
) -> None:
    names = []
    for url in (target.url, portal.url):
        page.goto(url)
        expect(page.get_by_role("button", name="Open")).to_be_enabled()
        names.append(page.locator("#portico-username").input_value())
    assert names == [f"{target.practice} {target.path}", f"{PRACTICE} /acme/"]
    # and no input of the form has a name: a submitted form would carry nothing
    assert page.locator("#portico-form [name]").count() == 0


def test_a_share_link_keeps_no_secret_in_the_address_even_when_already_unlocked(
    page: Page, target: Target
) -> None:
    listing = target.url + target.listing
    link = listing + share_fragment(target.passphrase, target.reader)
    page.goto(link)
    expect_title(page, target.listing_title)
    assert "k=" not in page.url
    page.goto(link)  # already open: only the fragment changes, and the page strips it
    expect_title(page, target.listing_title)
    # Waited for from outside the page: the portal's CSP (rightly) refuses the `eval` a
    # string predicate of wait_for_function needs.
    expect(page).to_have_url(listing, timeout=5000)
    page.goto(target.url)
    page.goto(link)  # a fresh load of a page the worker can decrypt at once
    expect_title(page, target.listing_title)
    # Waited for from outside the page: the portal's CSP (rightly) refuses the `eval` a
    # string predicate of wait_for_function needs.
    expect(page).to_have_url(listing, timeout=5000)


def weak_entry(target: Target, iterations: int) -> dict[str, Any]:
    """An envelope entry that opens the portal with the reader's passphrase derived
    `iterations` times: what a planted envelope would offer to make each guess cheap."""
    salt = secrets.token_bytes(16)
    public = derive_private_key(target.passphrase, salt, iterations).public_key()
    numbers = public.public_numbers()
    reader = Reader.model_construct(id="weak", salt=b64url(salt), iterations=iterations,
                                    x=b64url(numbers.x.to_bytes(32, "big")),
                                    y=b64url(numbers.y.to_bytes(32, "big")))
    return wrap_for_reader(target.content_key, reader)


def test_an_envelope_entry_with_too_few_iterations_is_never_tried(
    page: Page, target: Target
) -> None:
    page.goto(target.url + "_portico/envelope.json")  # a page of the origin: a secure context
    # Every entry at 1 iteration, and one more that would open the portal if it were tried.
    got = page.evaluate("""async ([module, envelopeUrl, passphrase, weak]) => {
        const c = await import(module);
        const envelope = await (await fetch(envelopeUrl)).json();
        const weakened = { ...envelope, entries: [...envelope.entries.map(
            (entry) => ({ ...entry, iterations: 1 })), weak] };
        try { await c.unwrapContentKey(weakened, passphrase); return "opened"; }
        catch (error) { return error instanceof c.WrongPassphraseError ? "refused" : String(error); }
    }""", [target.url + "_portico/crypto.js", target.url + "_portico/envelope.json",
           target.passphrase, weak_entry(target, 1)])
    assert got == "refused"


# Issue 17: the attacker's folder gets a service worker of its own (scope /attacker/). It
# looks for the portal's windows with clients.matchAll({ includeUncontrolled: true }),
# asks them for the key, watches their Client.url, and serves the attacker's page with
# whatever Cross-Origin-Opener-Policy its query asks for (to match the portal's).
SIBLING_WORKER = """
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
const urls = new Set();
let watching = false;
async function watch() {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true }))
    urls.add(client.url);
  if (watching) setTimeout(watch, 0);
}
async function stealKey(portal) {
  const windows = (await self.clients.matchAll({ includeUncontrolled: true, type: "window" }))
    .filter((client) => client.url.startsWith(portal));
  const answers = await Promise.all(windows.map((client) => new Promise((ok) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => ok(event.data?.key instanceof CryptoKey);
    client.postMessage({ type: "need-key" }, [channel.port2]);
    setTimeout(() => ok(false), 1500);
  })));
  return { windows: windows.length, keys: answers.filter(Boolean).length };
}
self.addEventListener("message", (event) => {
  const reply = (data) => event.ports[0].postMessage(data);
  const { type, portal } = event.data;
  if (type === "steal-key") event.waitUntil(stealKey(portal).then(reply));
  if (type === "watch") { watching = true; watch(); reply("watching"); }
  if (type === "seen") { watching = false; reply([...urls]); }
});
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.mode !== "navigate" || !url.searchParams.has("coop")) return;
  event.respondWith(fetch(url.pathname).then(async (response) => new Response(
    await response.text(), { headers: { "Content-Type": "text/html",
      "Cross-Origin-Opener-Policy": url.searchParams.get("coop") } })));
});
"""
SIBLING_PAGE = """<!doctype html><title>attacker</title><script>
navigator.serviceWorker.register("sw.js");
window.ask = async (message) => {
  const worker = (await navigator.serviceWorker.ready).active;
  return new Promise((ok) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => ok(event.data);
    worker.postMessage(message, [channel.port2]);
  });
};
// Open the portal in a popup and hold it: cut its opener link from its side (so it cannot
// tell it was opened), read the passphrase box, and patch WebCrypto for an extractable key.
window.held = { access: 0, typed: [], keys: [] };
window.holdPopup = (url) => {
  const popup = window.open(url);
  const hold = () => {
    try {
      const win = popup.window;
      if (win.opener) win.opener = null;
      held.access += 1;
      const box = win.document.querySelector("#portico-passphrase");
      if (box && box.value) held.typed.push(box.value);
      if (window.patchCrypto && !win.__patched) {
        const original = win.SubtleCrypto.prototype.unwrapKey;
        win.SubtleCrypto.prototype.unwrapKey = function (...args) {
          args[5] = true; // extractable
          return original.apply(this, args).then(async (key) => {
            held.keys.push(Array.from(new Uint8Array(await win.crypto.subtle.exportKey("raw", key))));
            return key;
          });
        };
        win.__patched = true;
      }
    } catch (error) {
      // cut off (another browsing context group) or not loaded yet
    }
    if (!popup.closed) setTimeout(hold, 5);
  };
  hold();
  return true;
};
</script><p>another site on this origin</p>
"""


@pytest.fixture(scope="module")
def sibling(server: Server, attacker_site: str) -> str:
    """The attacker's page with its service worker; returns the page's URL."""
    folder = server.root / "attacker"
    (folder / "sw.js").write_text(SIBLING_WORKER, "utf-8")
    (folder / "worker.html").write_text(SIBLING_PAGE, "utf-8")
    return f"{attacker_site}worker.html"


def sibling_page(context: BrowserContext, url: str, coop: str = "") -> Page:
    """The attacker's page, controlled by its worker; with `coop`, served with that policy."""
    page = context.new_page()
    page.goto(url)
    page.evaluate("() => navigator.serviceWorker.ready")
    page.goto(f"{url}?coop={coop}" if coop else url)
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    return page


def visit_once(context: BrowserContext, url: str) -> None:
    """A reader who opened the portal before: its worker is installed in this browser."""
    page = context.new_page()
    page.goto(url)
    expect(page.get_by_label("Passphrase")).to_be_visible()
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    page.close()


@each_view
def test_a_sibling_worker_asking_for_the_key_gets_nothing(
    context: BrowserContext, target: Target, sibling: str
) -> None:
    unlock(context.new_page(), target)
    attacker = sibling_page(context, sibling)
    got = attacker.evaluate("(portal) => ask({ type: 'steal-key', portal })", target.url)
    assert got["windows"] >= 1  # it found the unlocked portal window and asked it
    assert got["keys"] == 0


def test_a_sibling_worker_never_sees_a_share_link_secret(
    context: BrowserContext, target: Target, sibling: str
) -> None:
    fragment = share_fragment(target.passphrase, target.reader)
    listing = target.url + target.listing
    visit_once(context, target.url)
    attacker = sibling_page(context, sibling)
    attacker.evaluate("() => ask({ type: 'watch' })")
    page = context.new_page()
    page.goto(listing + fragment)
    expect_title(page, target.listing_title)
    page.goto(target.url + target.page + fragment)  # a second link, the portal open
    expect_title(page, target.page_title)
    page.goto(listing)
    page.goto(listing + fragment)  # only the fragment changes
    expect(page).to_have_url(listing, timeout=5000)
    seen = attacker.evaluate("() => ask({ type: 'seen' })")
    assert any(url.startswith(target.url) for url in seen)  # it was watching the portal
    assert not [url for url in seen if "k=" in url]


def test_a_sibling_popup_reads_no_passphrase_from_a_returning_reader(
    context: BrowserContext, target: Target, sibling: str
) -> None:
    visit_once(context, target.url)
    attacker = sibling_page(context, sibling, coop="same-origin")  # matches same-origin
    with context.expect_page() as opened:
        attacker.evaluate("(url) => holdPopup(url)", target.url)
    popup = opened.value
    sign_in(popup, target.passphrase)
    expect(popup.get_by_role("button", name="Log out")).to_be_visible()
    held = attacker.evaluate("() => held")
    assert held["typed"] == []


def test_a_sibling_popup_reads_no_passphrase_on_a_first_visit(
    context: BrowserContext, target: Target, sibling: str
) -> None:
    # No policy on the attacker's page: it matches the host's page, which sends none.
    attacker = sibling_page(context, sibling)
    with context.expect_page() as opened:
        attacker.evaluate("(url) => { window.patchCrypto = true; return holdPopup(url); }",
                          target.url)
    popup = opened.value
    sign_in(popup, target.passphrase)
    expect(popup.get_by_role("button", name="Log out")).to_be_visible()
    held = attacker.evaluate("() => held")
    assert held["access"] > 0  # it did hold the page the host served, before the reload
    assert held["typed"] == [] and held["keys"] == []


def test_a_popup_whose_webcrypto_was_patched_is_not_asked_for_a_passphrase(
    browser: Browser, target: Target, sibling: str
) -> None:
    # No service workers at all: nothing cuts the opener's handle, so the page must see
    # the patch itself (the attacker also cut the opener link, so window.opener is null).
    context = browser.new_context(service_workers="block")
    attacker = context.new_page()
    attacker.goto(sibling)
    with context.expect_page() as opened:
        attacker.evaluate("(url) => { window.patchCrypto = true; return holdPopup(url); }",
                          target.url)
    popup = opened.value
    expect(popup.get_by_text("Open this address in its own tab")).to_be_visible()
    expect(popup.locator("#portico-passphrase")).to_be_hidden()
    assert attacker.evaluate("() => held.keys") == []
    context.close()


def test_an_opener_with_the_same_policy_reads_no_portal_page(
    context: BrowserContext, target: Target, sibling: str
) -> None:
    unlock(context.new_page(), target)
    attacker = sibling_page(context, sibling, coop="same-origin")
    stolen = attacker.evaluate("""async (url) => {
        const popup = window.open(url);
        let text = "";
        // Read it every 100 ms for 4 s, or until its handle is cut (a closed handle stays
        // closed), then once more.
        for (let i = 0; i < 40 && !popup.closed; i += 1) {
            await new Promise((ok) => setTimeout(ok, 100));
            try { text += popup.document.body?.innerText ?? ""; } catch {}
        }
        try { text += popup.document.body?.innerText ?? ""; } catch {}
        return { text, closed: popup.closed };
    }""", target.url + target.page)
    assert not any(word in stolen["text"] for word in target.secrets)
    assert stolen["closed"] is True


def test_the_sign_in_page_in_a_same_origin_frame_shows_no_passphrase_box(
    context: BrowserContext, server: Server, target: Target
) -> None:
    attacker = attacker_page(context, server)  # first visit: the host serves the shell
    attacker.evaluate("""(url) => { const frame = document.createElement("iframe");
        frame.src = url; frame.width = 600; frame.height = 600;
        document.body.append(frame); }""", target.url)
    frame = attacker.frame_locator("iframe")
    expect(frame.get_by_text("Open this address in its own tab")).to_be_visible()
    box = frame.locator("#portico-passphrase")
    expect(box).to_be_hidden()
    assert box.evaluate("(el) => { el.focus(); return el.ownerDocument.activeElement === el; }") \
        is False


@each_view
def test_log_out_leaves_nothing_of_the_portal_or_its_theme_in_storage(
    page: Page, target: Target
) -> None:
    unlock(page, target)
    page.locator("label[title='Switch to dark mode']").click()  # the theme keeps __palette
    page.evaluate("""() => {  // what content.tabs.link and the repository widget keep
        __md_set("__tabs", ["Board pack Northwind"]);
        __md_set("__source", { stars: 1 }, sessionStorage); }""")
    kept = "() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]"
    assert any(name.endswith(".__palette") for name in page.evaluate(kept))
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_label("Passphrase")).to_be_visible()
    assert page.evaluate(kept) == []


def test_search_terms_never_reach_the_host_s_log(
    page: Page, server: Server, target: Target
) -> None:
    unlock(page, target)
    before = len(server.paths)
    search(page, SEARCH_TERM).first.click()
    expect(page).to_have_url(re.compile(rf"\?h={SEARCH_TERM}"))
    page.get_by_role("button", name="Log out").click()  # reloads this address, locked
    expect(page.get_by_label("Passphrase")).to_be_visible()
    page.goto(f"{target.url}{target.page}?h={SEARCH_TERM}")  # from history, locked
    expect(page.get_by_label("Passphrase")).to_be_visible()
    assert not [path for path in server.paths[before:] if SEARCH_TERM in path]


def test_another_website_cannot_tell_whether_the_portal_is_open(
    browser: Browser, server: Server, target: Target
) -> None:
    context = browser.new_context()
    portal_tab = context.new_page()
    unlock(portal_tab, target)
    elsewhere = context.new_page()  # another site: same host, other name, other origin
    elsewhere.goto(server.origin.replace("127.0.0.1", "localhost") + "/attacker/")
    # Is the popup's handle closed 2.5 s after it opened? (A closed handle stays closed.)
    probe = """async (url) => { const popup = window.open(url);
        for (let waited = 0; waited < 2500 && !popup.closed; waited += 50)
            await new Promise((ok) => setTimeout(ok, 50));
        const closed = popup.closed; if (!closed) popup.close(); return closed; }"""
    open_ = elsewhere.evaluate(probe, target.url + target.listing)
    portal_tab.get_by_role("button", name="Log out").click()
    expect(portal_tab.get_by_label("Passphrase")).to_be_visible()
    locked = elsewhere.evaluate(probe, target.url + target.listing)
    assert open_ == locked
    context.close()
