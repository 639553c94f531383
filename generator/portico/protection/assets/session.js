// Where the content key lives after login. Never as bytes: it is a non-extractable
// CryptoKey (crypto.js), held in the memory of the service worker and of the portal's open
// windows, and, only when "remember me" is ticked, in IndexedDB with an expiry that every
// load sweeps. Web Storage never holds it. Everything is per portal root, so two portals
// on one origin never share a login. Shared by the pages and the service worker.

import { PORTICO_DIR } from "./crypto.js";

export const REMEMBER_DAYS = 30;
export const SERVICE_WORKER_PATH = "portico-sw.js";
const DAY_MS = 24 * 60 * 60 * 1000;
const WORKER_REPLY_MS = 5000;
const RELOAD_GUARD_MS = 10000;
const DB_NAME = "portico";
const DB_VERSION = 1;
const DB_STORE = "remembered";
const RELOAD_KEY = "portico:reload";
export const VISIT_KEY_PREFIX = "portico:visit:"; // portal.js's "what's new" timestamps

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(DB_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Run `work(store)` in one transaction; resolves with its request's result. */
async function withStore(mode, work) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(DB_STORE, mode);
      const request = work(tx.objectStore(DB_STORE));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

function portalId(root) {
  return new URL(root).pathname;
}

/** Keep this CryptoKey on this device for REMEMBER_DAYS ("remember me"). */
export function rememberKey(root, key) {
  const expires = Date.now() + REMEMBER_DAYS * DAY_MS;
  return withStore("readwrite", (store) => store.put({ key, expires }, portalId(root)));
}

/** The remembered key of this portal, or null; first removes every expired entry. */
export async function recallKey(root) {
  try {
    await sweepExpired();
    const entry = await withStore("readonly", (store) => store.get(portalId(root)));
    return entry?.key instanceof CryptoKey ? entry.key : null;
  } catch {
    return null; // no IndexedDB (some private modes): nothing is remembered
  }
}

async function sweepExpired() {
  const now = Date.now();
  await withStore("readwrite", (store) => {
    const cursor = store.openCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) return;
      if (!(typeof at.value?.expires === "number" && at.value.expires > now)) at.delete();
      at.continue();
    };
    return cursor;
  });
}

/** Forget this portal's remembered key (log out). */
export async function forgetKey(root) {
  try {
    await withStore("readwrite", (store) => store.delete(portalId(root)));
  } catch {
    // nothing was stored
  }
}

/** Post a message to a service worker and wait for its reply on a MessageChannel. */
export function askWorker(worker, message, transfer = []) {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => reject(new Error("service worker did not reply")),
      WORKER_REPLY_MS);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.postMessage(message, [channel.port2, ...transfer]);
  });
}

/** The address of this portal's own service worker. */
export function ownWorkerUrl(root) {
  return new URL(SERVICE_WORKER_PATH, root).href;
}

/** True for this portal's own service worker: its script is this portal's worker script. */
export function isOwnWorker(worker, root) {
  return Boolean(worker) && worker.scriptURL === ownWorkerUrl(root);
}

/**
 * True for a message from the worker that controls this window, when that worker is this
 * portal's own. Another worker of the origin (a sibling site's, found through
 * clients.matchAll({ includeUncontrolled: true })) can post to this window: it gets nothing.
 */
export function fromOwnWorker(event, root) {
  const controller = navigator.serviceWorker?.controller;
  return Boolean(controller) && event.source === controller && isOwnWorker(controller, root);
}

/**
 * Log out: every Web Storage entry this portal or its theme wrote in this tab and on this
 * device. The theme (Material, Zensical) keys everything it keeps ("__palette", "__tabs",
 * "__consent", "__announce", "__source", "__outdated") as `<portal path>.<name>`, the path
 * of its `__md_scope`, which is the portal root; Portico's own entries are named here.
 */
export function clearPortalStorage(root) {
  const path = new URL(root).pathname;
  const ours = (name) => name.startsWith(path) || name === `${VISIT_KEY_PREFIX}${path}` ||
    name === RELOAD_KEY;
  for (const storage of [localStorage, sessionStorage]) {
    try {
      for (const name of Object.keys(storage).filter(ours)) storage.removeItem(name);
    } catch {
      // storage refused (private mode): nothing was kept
    }
  }
}

/** True if this page was reloaded for `why` moments ago and came back a shell. */
export function reloadedRecently(why) {
  const mark = JSON.parse(sessionStorage.getItem(RELOAD_KEY) || "null");
  return Boolean(mark && mark.why === why && mark.url === location.href &&
    Date.now() - mark.at < RELOAD_GUARD_MS);
}

/** Before a reload: `why` is "worker" (to be served by it) or "unlock" (key handed over). */
export function markReload(why) {
  sessionStorage.setItem(RELOAD_KEY,
    JSON.stringify({ url: location.href, at: Date.now(), why }));
}

export function clearReloadMark() {
  sessionStorage.removeItem(RELOAD_KEY);
}

/**
 * Remove secrets a URL must never keep: a share link's `#k=…` fragment, and any
 * `passphrase=`/`username=` query a form might once have sent. Returns the fragment's
 * secret (or null). Uses replaceState, so the current history entry forgets it too.
 */
export function stripSecretsFromAddress() {
  const url = new URL(location.href);
  const match = /^#k=([A-Za-z0-9_-]+)$/.exec(url.hash);
  // A bare "#" (the worker's redirect from a share link ends so) goes too.
  let changed = location.href.endsWith("#");
  if (match || /^#k=/.test(url.hash)) {
    url.hash = "";
    changed = true;
  }
  for (const name of ["passphrase", "username", "remember"]) {
    if (url.searchParams.has(name)) {
      url.searchParams.delete(name);
      changed = true;
    }
  }
  if (changed) history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  return match ? match[1] : null;
}

/**
 * The tags that give a decrypted page its log-out control, inserted before </head>; with
 * `csp` (the shell's fallback, no service worker) a policy goes first, before any script.
 */
export function injectPortalTags(html, root, csp = null) {
  const base = new URL(`${PORTICO_DIR}/`, root).pathname;
  const tags = `<link rel="stylesheet" href="${base}portal.css">` +
    `<script type="module" src="${base}portal.js"></script>`;
  let page = html;
  if (csp) {
    const policy = `<meta http-equiv="Content-Security-Policy" content="${csp}">`;
    const head = page.search(/<head\b[^>]*>/i);
    page = head === -1 ? policy + page
      : page.replace(/<head\b[^>]*>/i, (tag) => tag + policy);
  }
  const at = page.search(/<\/head>/i);
  return at === -1 ? tags + page : page.slice(0, at) + tags + page.slice(at);
}

/**
 * The Content-Security-Policy of a decrypted page: scripts only from the theme's public
 * script folders and Portico's own, plus the engine's inline scripts by hash (from the
 * sealed manifest, never from the page itself). No frames, no plugins, no form posts.
 */
export function pageCsp(manifest, root) {
  const folders = (manifest.script_folders ?? [`${PORTICO_DIR}/`])
    .map((folder) => new URL(folder, root).href);
  const hashes = manifest.scripts ?? [];
  return [
    "default-src 'self'",
    `script-src ${[...folders, ...hashes].join(" ")}`,
    `worker-src ${folders.join(" ")}`,
    "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "font-src 'self' data:",
    "connect-src 'self'", "media-src 'self' blob:", "frame-src 'none'", "object-src 'none'",
    "base-uri 'self'", "form-action 'none'", "frame-ancestors 'none'",
  ].join("; ");
}

/** Every other decrypted file: nothing in it runs, even when opened on its own. */
export const FILE_CSP = "default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; " +
  "sandbox; frame-ancestors 'none'";
