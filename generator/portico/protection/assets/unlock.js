// The sign-in page's logic. One key derivation per login gives the content key as a
// non-extractable CryptoKey; it goes to the service worker (registered while the reader
// types) and, with "remember me", to IndexedDB; then the page reloads through the worker.
// Where service workers are unavailable, this page decrypts the portal itself and keeps
// the key in its memory: links inside the portal open in place; a new tab asks again.
//
// The passphrase is asked for only in a page no other page holds: never in a frame, never
// in a window with an opener, never after the page's WebCrypto was seen patched, and,
// where service workers run, only in a page the portal's worker served (with its
// Cross-Origin-Opener-Policy, which cuts every opener's handle).

import {
  downloadName, IntegrityError, WrongPassphraseError, fromB64url, loadEnvelope,
  loadManifest, logicalPath, openChunkedStream, openFile, streamToBlob, unwrapContentKey,
  unwrapWithScalar, webCryptoIntact,
} from "./crypto.js";
import {
  askWorker, clearReloadMark, forgetKey, fromOwnWorker, injectPortalTags, isOwnWorker,
  markReload, pageCsp, recallKey, rememberKey, reloadedRecently, SERVICE_WORKER_PATH,
  stripSecretsFromAddress,
} from "./session.js";

// First of all, a share link's secret leaves the address bar (and this history entry).
const SHARED = stripSecretsFromAddress();
const ROOT = new URL("../", import.meta.url).href;
// Read before this page registers anything: was this page itself served by the worker?
const SERVED_BY_WORKER = isOwnWorker(navigator.serviceWorker?.controller, ROOT);
// The worker read a share link from the navigation and it opened nothing.
const LINK_REFUSED_FRAGMENT = "#portico-link-refused";
const WORKER_START_MS = 10000;
const MESSAGES = {
  wrong: "Wrong passphrase. Please check it and try again.",
  integrity: "This page failed its integrity check: it was altered or damaged after it " +
    "was published, so it is not shown. Please tell the sender.",
  opening: "Opening…",
  checking: "Checking the passphrase…",
  broken: "The portal could not be opened. Please reload the page.",
  linkRefused: "This link does not open this portal. Please ask the sender for a new one.",
};
// Active files a decrypted link may point at: in the fallback they download, never open.
const ACTIVE_TYPES = /^(text\/html|image\/svg\+xml|application\/xhtml\+xml|text\/xml|application\/xml)/;

const $ = (id) => document.getElementById(id);
let key = null; // the content key, in this page's memory only
let registration = null; // the service worker's registration, started on page load

function show(state, error = "", status = "") {
  document.body.dataset.state = state;
  $("portico-error").textContent = error;
  $("portico-status").textContent = status;
}

/** Start the service worker now, so it is running by the time the reader presses Enter. */
function registerWorker() {
  if (!("serviceWorker" in navigator)) return null;
  return navigator.serviceWorker.register(
    new URL(SERVICE_WORKER_PATH, ROOT), { scope: new URL(ROOT).pathname, type: "module" },
  ).catch(() => null);
}

/**
 * First visit: this page came from the host, without the worker's headers. Once the worker
 * runs, load the page again through it; false where that cannot work (no service worker,
 * or it was tried moments ago and the page still came from the host).
 */
async function reloadThroughWorker() {
  if (!registration || reloadedRecently("worker")) return false;
  show("starting");
  try {
    if (!isOwnWorker(await activeWorker(await registration), ROOT)) return false;
  } catch {
    return false;
  }
  markReload("worker");
  location.reload();
  return true;
}

/** Hand the key to the service worker and reload through it; false if that cannot work. */
async function openWithServiceWorker(remember) {
  if (!registration || reloadedRecently("unlock")) return false;
  try {
    const worker = await activeWorker(await registration);
    if (!isOwnWorker(worker, ROOT)) return false;
    const reply = await askWorker(worker, { type: "unlock", key, remember });
    if (!reply.ok) return false;
  } catch {
    return false;
  }
  markReload("unlock");
  location.reload();
  return true;
}

/** The registration's active worker, once it has one; rejects if it never activates. */
function activeWorker(registered) {
  if (!registered) return Promise.reject(new Error("service worker registration refused"));
  if (registered.active) return Promise.resolve(registered.active);
  return new Promise((resolve, reject) => {
    const worker = registered.installing ?? registered.waiting;
    const timer = setTimeout(() => reject(new Error("service worker did not start")),
      WORKER_START_MS);
    worker?.addEventListener("statechange", () => {
      if (worker.state === "activated") {
        clearTimeout(timer);
        resolve(worker);
      } else if (worker.state === "redundant") {
        clearTimeout(timer);
        reject(new Error("service worker failed to install"));
      }
    });
  });
}

/** No service worker: decrypt the page at `here` and the protected files it shows. */
async function openInPlace(manifest, here) {
  const path = here in manifest.files ? here : "404.html";
  if (!manifest.files[path]) throw new IntegrityError(`${here} is not in this portal`);
  const page = await fetchAndOpen(path, manifest.files[path]);
  const html = new TextDecoder().decode(await page.arrayBuffer());
  // The page's own policy, in a <meta> before any script: the same rules the worker sends.
  const csp = pageCsp(manifest, ROOT).replace(/; frame-ancestors [^;]*/, "");
  document.open();
  document.write(injectPortalTags(html, ROOT, csp));
  document.close();
  listenInPlace(manifest);
  const decryptInto = async (element, attribute) => {
    const url = new URL(element.getAttribute(attribute), location.href);
    const target = logicalPath(url.origin + url.pathname, ROOT);
    const file = target && manifest.files[target];
    if (!file || (file.type.startsWith("text/html") && !file.attachment)) return;
    const link = attribute === "href" && element.tagName === "A";
    const download = file.attachment || (link && ACTIVE_TYPES.test(file.type));
    const type = download ? "application/octet-stream" : file.type;
    const open = async () => {
      const plain = await fetchAndOpen(target, file, type);
      if (download) element.setAttribute("download", downloadName(url.href, target));
      element.setAttribute(attribute, URL.createObjectURL(plain));
    };
    if (!(file.chunked && link)) return open();
    // A large file is decrypted when its link is followed, not each time the page opens.
    element.addEventListener("click", (event) => {
      if (element.getAttribute(attribute).startsWith("blob:")) return;
      event.preventDefault();
      open().then(() => element.click(), report);
    });
  };
  const jobs = [
    ...Array.from(document.querySelectorAll("img[src]"), (el) => decryptInto(el, "src")),
    ...Array.from(document.querySelectorAll("a[href]"), (el) => decryptInto(el, "href")),
    ...Array.from(document.querySelectorAll("link[rel=stylesheet][href]"),
      (el) => decryptInto(el, "href")),
  ];
  await Promise.allSettled(jobs);
}

let inPlaceListeners = null;

/** Links and Back/Forward inside the portal open in place (once per document, however
 * document.open() treats the listeners of the page before). */
function listenInPlace(manifest) {
  if (inPlaceListeners) {
    document.removeEventListener("click", inPlaceListeners.click, true);
    removeEventListener("popstate", inPlaceListeners.popstate);
  }
  inPlaceListeners = {
    click: (event) => followInPlace(event, manifest),
    popstate: () => openInPlace(manifest, logicalPath(location.href, ROOT)).catch(report),
  };
  document.addEventListener("click", inPlaceListeners.click, true);
  addEventListener("popstate", inPlaceListeners.popstate);
}

/** A click on a link to another page of the portal opens it here, with the key in memory. */
function followInPlace(event, manifest) {
  const link = event.target.closest?.("a[href]");
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey ||
      event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.getAttribute("href"), location.href);
  const target = logicalPath(url.origin + url.pathname, ROOT);
  const file = target && manifest.files[target];
  if (!file || !file.type.startsWith("text/html") || file.attachment) return;
  event.preventDefault();
  history.pushState(null, "", url.href);
  openInPlace(manifest, target).catch(report);
}

/** The plaintext of the protected file at `path`, as a Blob of `type`. */
async function fetchAndOpen(path, entry, type = entry.type) {
  const response = await fetch(new URL(entry.blob, ROOT));
  if (!response.ok) throw new IntegrityError(`${path} is missing`);
  if (entry.chunked) {
    return streamToBlob(await openChunkedStream(key, path, entry.chunked, response.body), type);
  }
  return new Blob([await openFile(key, path, await response.arrayBuffer())], { type });
}

/** Show the portal with the content key; `fresh` is true right after an unwrap. */
async function openPortal(fresh, remember) {
  show("opening", "", MESSAGES.opening);
  let manifest;
  try {
    manifest = await loadManifest(key, ROOT);
  } catch (error) {
    if (fresh) throw error;
    key = null;
    await forgetKey(ROOT); // a key kept from an earlier build: ask again, quietly
    show("login");
    return;
  }
  if (remember) await rememberKey(ROOT, key);
  if (await openWithServiceWorker(remember)) return;
  clearReloadMark();
  await openInPlace(manifest, logicalPath(location.href, ROOT));
}

async function submit(event) {
  event.preventDefault();
  const passphrase = $("portico-passphrase").value;
  show("checking", "", MESSAGES.checking);
  try {
    key = await unwrapContentKey(await loadEnvelope(ROOT), passphrase);
    await openPortal(true, $("portico-remember").checked);
  } catch (error) {
    report(error);
  }
}

function report(error) {
  if (error instanceof WrongPassphraseError) {
    show("login", MESSAGES.wrong);
    $("portico-passphrase").select();
  } else if (error instanceof IntegrityError) {
    clearReloadMark();
    show("integrity", MESSAGES.integrity);
  } else {
    show("login", MESSAGES.broken);
  }
}

/** Password managers keep one login per username: give each portal its own. */
function nameThisPortal() {
  const practice = document.querySelector(".portico-practice")?.textContent.trim() ?? "";
  $("portico-username").value = `${practice} ${new URL(ROOT).pathname}`.trim();
}

/** The worker read a share link that opens nothing, and said so in the fragment. */
function linkRefusedByWorker() {
  if (location.hash !== LINK_REFUSED_FRAGMENT) return false;
  history.replaceState(history.state, "", location.pathname + location.search);
  return true;
}

/** A share link carries the reader's private scalar in the fragment: no derivation. */
async function openShared(secret) {
  key = await unwrapWithScalar(await loadEnvelope(ROOT), fromB64url(secret));
  await openPortal(true, false);
}

/** Only this portal's own worker, controlling this window, is ever answered. */
function answerWorker() {
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (!fromOwnWorker(event, ROOT)) return;
    if (event.data?.type === "need-key") event.ports[0]?.postMessage({ key });
  });
}

/** No form here: "Open this address in its own tab". */
function refuse(notice = "portico-refused") {
  show("refused");
  $("portico-form").hidden = true;
  $(notice).hidden = false;
}

/** Another page holds this one: it frames it, opened it, or patched its WebCrypto. */
function heldByAnotherPage() {
  return window.top !== window.self || window.opener !== null || !webCryptoIntact();
}

function showLogin(error = "") {
  show("login", error);
  $("portico-passphrase").focus();
}

async function main() {
  if (window.top !== window.self) return refuse(); // clickjacking; the framer's script
  if (!window.isSecureContext || !window.crypto?.subtle || !window.DecompressionStream) {
    return refuse("portico-insecure");
  }
  registration = registerWorker();
  // Before it serves a navigation with no key in memory, the worker asks the portal's open
  // windows for one (sw.js recoverKey), this page too while it reloads: it answers at once
  // (it holds none yet) instead of making the worker wait 1.5 s for a reply.
  answerWorker();
  // First visit: a page the host served, which a page of the origin may hold. Loaded again
  // through the worker, it is a fresh page (no patch survives) with the worker's headers.
  if (!SHARED && !SERVED_BY_WORKER && await reloadThroughWorker()) return;
  // With the worker's headers no opener is left (where the browser knows
  // noopener-allow-popups); without them, a window with an opener is refused.
  if (heldByAnotherPage()) return refuse();
  if (SERVED_BY_WORKER) clearReloadMark();
  nameThisPortal();
  $("portico-form").addEventListener("submit", submit);
  $("portico-open").disabled = false; // the form can submit only now that it is handled
  addEventListener("hashchange", () => {
    const secret = stripSecretsFromAddress();
    if (secret) openShared(secret).catch(report);
  });
  try {
    if (SHARED) {
      await openShared(SHARED);
      return;
    }
    key = await recallKey(ROOT);
    if (key) await openPortal(false, false);
    else showLogin(linkRefusedByWorker() ? MESSAGES.linkRefused : "");
  } catch (error) {
    report(error);
  }
}

main();
