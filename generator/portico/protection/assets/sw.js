// The portal's service worker (served as /…/portico-sw.js, scope = the portal root).
// Once a sign-in page hands it the content key (a non-extractable CryptoKey), it answers
// the portal's own requests with the decrypted files, so the theme's navigation, search
// (its XHR for the index), images and downloads work unchanged.
//
// Who gets plaintext: top-level navigations, and requests from windows this worker itself
// served a decrypted page to (its "unlocked" windows). Never a frame, never a page outside
// the portal. The key lives in memory; when the last unlocked window goes, it is dropped,
// unless the reader ticked "remember me" (then it is in IndexedDB, see session.js). Every
// decrypted response carries a policy that lets no script from content run.

import {
  downloadName, fromB64url, IntegrityError, loadEnvelope, loadManifest, logicalPath,
  openChunkedStream, openFile, PORTICO_DIR, streamToBlob, unwrapWithScalar,
} from "./_portico/crypto.js";
import {
  FILE_CSP, injectPortalTags, pageCsp, recallKey, SERVICE_WORKER_PATH,
} from "./_portico/session.js";

const ROOT = self.registration.scope;
const ASK_WINDOWS_MS = 1500;
// A window this worker just served is not listed by clients.matchAll() until its document
// exists; the page it replaces says "bye" about then. Count it as open for this long.
const NEW_WINDOW_GRACE_MS = 10000;
const COMMON_HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": openerPolicy(),
  "Cross-Origin-Resource-Policy": "same-origin",
};
// The published sign-in page, served through this worker: its own <meta> policy stays.
const SHELL_CSP = "frame-ancestors 'none'";
// A share link: the reader's private scalar in the fragment (readers.share_fragment).
const SHARE_FRAGMENT = /^#k=([A-Za-z0-9_-]+)$/;
// Where a share link that opens nothing lands: the sign-in page says so.
const REFUSED_LINK_FRAGMENT = "#portico-link-refused";
const BLOCKED_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";
// Material's instant navigation takes over only links to pages its sitemap lists, by
// absolute URL. The engine writes none without a `site_url`, and the portal's address is
// not known at build time: this worker lists the portal's pages itself, under its scope.
const SITEMAP_PATH = "sitemap.xml";
const PAGE_FILE = "index.html";
const INTEGRITY_MESSAGE = "This page failed its integrity check: it was altered or damaged " +
  "after it was published, so it is not shown. Please tell the sender.";

/**
 * Cross-Origin-Opener-Policy for everything this worker serves. `noopener-allow-popups`
 * cuts every opener's handle, a same-origin one included, even when the opener sends the
 * same policy (Chromium 133+, Safari 18.4+). A browser that does not know a value treats
 * the header as absent, one header cannot carry two values (that is a parse error, so no
 * policy either), and no script can ask the browser which values it knows. So the engine
 * decides: `same-origin` (an opener of the origin with the same policy keeps its handle)
 * for every other browser, and the sign-in page refuses a window that has an opener.
 */
function openerPolicy() {
  const agent = self.navigator.userAgent;
  const chromium = self.navigator.userAgentData?.brands?.find((b) => b.brand === "Chromium");
  const safari = /Version\/(\d+)\.(\d+).* Safari\//.exec(agent);
  const knows = chromium ? Number(chromium.version) >= 133
    : Boolean(safari) && !/Chrom|Firefox|FxiOS|CriOS|EdgiOS/.test(agent) &&
      Number(safari[1]) * 100 + Number(safari[2]) >= 1804;
  return knows ? "noopener-allow-popups" : "same-origin";
}

let state = null; // { key, manifest, remembered } while unlocked
// Windows this worker served the decrypted portal to: id → { since, seen in matchAll }.
const unlocked = new Map();

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** True for a URL inside this portal (this worker's scope). */
function inPortal(url) {
  return typeof url === "string" && url.startsWith(ROOT);
}

self.addEventListener("message", (event) => {
  const source = event.source;
  const reply = (data) => event.ports[0]?.postMessage(data);
  // Only this portal's own windows, top-level: never another page of the origin (a sibling
  // site, an attacker's page), a worker, or a portal page inside someone's frame.
  if (!source || source.type !== "window" || source.frameType !== "top-level" ||
      !inPortal(source.url)) return;
  const type = event.data?.type;
  if (type === "unlock") {
    event.waitUntil(unlock(event.data.key, Boolean(event.data.remember), source.id).then(
      () => reply({ ok: true }),
      (error) => reply({ ok: false, integrity: error instanceof IntegrityError }),
    ));
  } else if (type === "hello") {
    // A decrypted page asks for the key it keeps in memory, to give it back if this
    // worker is stopped. Only windows this worker unlocked get it.
    reply({ key: state && unlocked.has(source.id) ? state.key : null });
  } else if (type === "bye") {
    unlocked.delete(source.id);
    event.waitUntil(dropKeyIfNoWindowLeft().then(() => reply({ ok: true })));
  } else if (type === "lock") {
    state = null;
    unlocked.clear();
    reply({ ok: true });
  }
});

async function unlock(key, remembered, clientId) {
  if (!(key instanceof CryptoKey)) throw new Error("not a key");
  const manifest = await loadManifest(key, ROOT);
  state = { key, manifest, remembered };
  unlocked.set(clientId, { since: Date.now(), seen: false });
}

/** How many unlocked windows are still open (a closed tab's client leaves matchAll). */
async function openUnlockedWindows() {
  const open = new Set((await self.clients.matchAll({ type: "window" })).map((c) => c.id));
  const now = Date.now();
  for (const [id, window] of unlocked) {
    if (open.has(id)) window.seen = true;
    else if (window.seen || now - window.since > NEW_WINDOW_GRACE_MS) unlocked.delete(id);
  }
  return unlocked.size;
}

async function dropKeyIfNoWindowLeft() {
  if (state && !state.remembered && (await openUnlockedWindows()) === 0) state = null;
}

/**
 * No key in memory (this worker was stopped, or never had one): ask the portal's open
 * windows, which keep it in memory, then IndexedDB ("remember me").
 */
async function recoverKey() {
  const windows = (await self.clients.matchAll({ type: "window" }))
    .filter((client) => client.frameType === "top-level" && inPortal(client.url));
  const answers = await Promise.all(windows.map(askForKey));
  for (const [i, key] of answers.entries()) {
    if (!key) continue;
    try {
      if (!state) state = { key, manifest: await loadManifest(key, ROOT), remembered: false };
      unlocked.set(windows[i].id, { since: Date.now(), seen: true });
    } catch {
      // a key from an older build: that window will ask for the passphrase again
    }
  }
  if (!state) {
    const remembered = await recallKey(ROOT);
    if (remembered) {
      try {
        state = { key: remembered, manifest: await loadManifest(remembered, ROOT), remembered: true };
      } catch {
        state = null;
      }
    }
  }
}

function askForKey(client) {
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => {
    channel.port1.onmessage = (event) => resolve(event.data?.key ?? null);
    setTimeout(() => resolve(null), ASK_WINDOWS_MS);
  });
  client.postMessage({ type: "need-key" }, [channel.port2]);
  return answer;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const path = logicalPath(request.url, ROOT);
  if (path === null || path === SERVICE_WORKER_PATH || path.startsWith(`${PORTICO_DIR}/`)) {
    return; // other origins, the worker itself and Portico's own files: the network's
  }
  event.respondWith(respond(event, path));
});

async function respond(event, path) {
  const request = event.request;
  if (request.mode === "navigate" && request.destination !== "document") {
    return blocked(); // a frame, object or embed: the portal is never shown inside a page
  }
  const navigation = request.mode === "navigate";
  if (navigation && SHARE_FRAGMENT.test(new URL(request.url).hash)) return openShareLink(request);
  if (navigation) await dropKeyIfNoWindowLeft();
  if (!state) await recoverKey();
  if (!navigation && !unlocked.has(event.clientId)) {
    // Not one of our unlocked windows (a sign-in page, a worker): the network, where
    // protected files exist only as ciphertext under random names.
    return network(request);
  }
  if (!state) return shellFromNetwork(request);
  if (path === SITEMAP_PATH) return sitemap();
  let entry = state.manifest.files[path];
  if (!entry && state.manifest.files[`${path}/index.html`]) {
    const url = new URL(request.url);
    url.pathname += "/";
    return Response.redirect(url.href, 301);
  }
  if (!entry && navigation) {
    // Never the host's own 404 page (not the portal's content, and it could run script in
    // this scope), nor the engine's (its links are absolute to the host's root). The
    // window stays in the session: its link home opens without a passphrase.
    keepWindow(event);
    return notFound();
  }
  if (!entry) return network(request); // the theme's public assets
  let blob = await fetch(new URL(entry.blob, ROOT));
  if (blob.status === 404 && (await refreshManifest())) {
    entry = state.manifest.files[path];
    if (!entry) return navigation ? notFound() : network(request);
    blob = await fetch(new URL(entry.blob, ROOT));
  }
  if (!state || !blob.ok) return navigation ? shellFromNetwork(request) : network(request);
  let response;
  try {
    response = await decrypted(path, entry, blob, request.url);
  } catch (error) {
    if (error instanceof IntegrityError) return integrityFailure(request);
    throw error;
  }
  if (navigation) keepWindow(event);
  return response;
}

/** The window a navigation opens is one of the portal's unlocked windows. */
function keepWindow(event) {
  if (event.resultingClientId) {
    unlocked.set(event.resultingClientId, { since: Date.now(), seen: false });
  }
}

/**
 * A share link opened in a browser where this worker runs: the worker reads the secret
 * from the navigation itself, opens the portal, and sends the browser on to the same
 * address without it. No document is ever created at the secret address, so no
 * Client.url, history entry or script of the origin sees it. The explicit empty
 * fragment matters: a redirect without one keeps the original fragment.
 */
async function openShareLink(request) {
  const url = new URL(request.url);
  const secret = SHARE_FRAGMENT.exec(url.hash)[1];
  url.hash = "";
  try {
    const key = await unwrapWithScalar(await loadEnvelope(ROOT), fromB64url(secret));
    state = { key, manifest: await loadManifest(key, ROOT), remembered: false };
    // The window the redirect opens is not known yet: hold its place for the grace time.
    unlocked.set(`share-link ${Date.now()}`, { since: Date.now(), seen: false });
    return Response.redirect(`${url.href}#`, 303);
  } catch {
    return Response.redirect(`${url.href}${REFUSED_LINK_FRAGMENT}`, 303);
  }
}

/**
 * The network, without the query string: a static host answers a path the same with or
 * without one, and a query may carry words (Material's search highlighting adds
 * `?h=<search terms>` to result links) that would land in the host's access log.
 */
function network(request) {
  const url = new URL(request.url);
  if (url.search === "") return fetch(request);
  url.search = "";
  return fetch(url.href, { credentials: "same-origin", redirect: request.redirect });
}

/**
 * The sign-in page, as published, with this worker's headers: the page that takes the
 * passphrase has no opener and no frame. Anything else the host answers is not ours.
 */
async function shellFromNetwork(request) {
  const response = await network(request);
  if (!response.ok) return notFound();
  return new Response(response.body, { status: 200, headers: { ...COMMON_HEADERS,
    "Content-Type": response.headers.get("Content-Type") ?? "text/html; charset=utf-8",
    "Content-Security-Policy": SHELL_CSP } });
}

/** After a rebuild the blobs have new names; a key that no longer opens the manifest is dropped. */
async function refreshManifest() {
  try {
    state.manifest = await loadManifest(state.key, ROOT);
    return true;
  } catch {
    state = null;
    return false;
  }
}

/**
 * The decrypted response for the protected file at `path` from its fetched `blob`. A
 * chunked file (crypto.js openChunkedStream) that is not a page goes out as a stream,
 * decrypted a chunk at a time as the browser reads it, so a download of any size holds a
 * chunk or two in memory: a chunk that fails its check later errors the stream, and the
 * browser fails the download rather than keep a file cut short. Rejects with an
 * IntegrityError if the file (or a chunked file's first chunk) fails its check.
 */
async function decrypted(path, entry, blob, url) {
  const headers = new Headers({ ...COMMON_HEADERS, "Content-Type": entry.type });
  const page = entry.type.startsWith("text/html") && !entry.attachment;
  let body;
  if (entry.chunked) {
    body = await openChunkedStream(state.key, path, entry.chunked, blob.body);
    if (page) body = new Uint8Array(await (await streamToBlob(body)).arrayBuffer());
    else headers.set("Content-Length", String(entry.chunked.size));
  } else {
    body = await openFile(state.key, path, await blob.arrayBuffer());
  }
  if (page) {
    headers.set("Content-Security-Policy", pageCsp(state.manifest, ROOT));
    body = injectPortalTags(new TextDecoder().decode(body), ROOT);
  } else {
    headers.set("Content-Security-Policy", FILE_CSP);
  }
  if (entry.attachment) {
    const name = downloadName(url, path);
    headers.set("Content-Disposition",
      `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; ` +
      `filename*=UTF-8''${encodeURIComponent(name)}`);
  }
  return new Response(body, { status: 200, headers });
}

/**
 * The portal's pages (the sealed manifest's `…/index.html` pages) as a sitemap of absolute
 * URLs under this worker's scope, for the theme's instant navigation: a click on a page's
 * link then swaps the content in place, without a new document (its scripts, styles and
 * search index loaded again). It names only paths this window may open anyway, and goes
 * only where every decrypted file goes.
 */
function sitemap() {
  const urls = Object.entries(state.manifest.files)
    .filter(([path, entry]) => (path === PAGE_FILE || path.endsWith(`/${PAGE_FILE}`)) &&
      entry.type.startsWith("text/html") && !entry.attachment)
    .map(([path]) => new URL(path.slice(0, -PAGE_FILE.length), ROOT).href)
    .map((url) => `<url><loc>${url.replace(/&/g, "&amp;").replace(/'/g, "&apos;")}</loc></url>`);
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join("")}</urlset>\n`;
  return new Response(body, { status: 200, headers: { ...COMMON_HEADERS,
    "Content-Type": "application/xml; charset=utf-8", "Content-Security-Policy": FILE_CSP } });
}

function plainPage(title, message, status, home = false) {
  const css = new URL(`${PORTICO_DIR}/shell.css`, ROOT).pathname;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${title}</title><link rel="stylesheet" href="${css}"></head>` +
    `<body><main class="portico-card"><p id="portico-error" class="portico-error" ` +
    `role="alert">${message}</p>` +
    (home ? `<p><a href="${new URL(ROOT).pathname}">Go to the portal's home page</a></p>` : "") +
    `</main></body></html>`;
  return new Response(page, {
    status,
    headers: { ...COMMON_HEADERS, "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'self'; frame-ancestors 'none'" },
  });
}

function notFound() {
  return plainPage("Not found", "There is no such page in this portal.", 404, true);
}

function blocked() {
  return new Response(null, { status: 403, headers: {
    ...COMMON_HEADERS, "Content-Security-Policy": BLOCKED_CSP } });
}

function integrityFailure(request) {
  if (request.mode !== "navigate") {
    return new Response(null, { status: 500, statusText: "Integrity check failed" });
  }
  return plainPage("Integrity check failed", INTEGRITY_MESSAGE, 500);
}
