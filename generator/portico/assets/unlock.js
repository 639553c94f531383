// The login shell's logic. One key derivation per login; then the content key goes to
// storage and to the service worker, and the page reloads through it. Where service
// workers are unavailable, the shell decrypts the current page itself and replaces
// the document (search is then unavailable; pages, images and links still work).

import {
  downloadName, IntegrityError, WrongPassphraseError, fromB64url, importContentKey, loadEnvelope,
  loadManifest, logicalPath, openFile, unwrapContentKey, unwrapWithScalar,
} from "./crypto.js";
import {
  askWorker, clearKey, clearReloadMark, injectPortalTags, loadKey, markReload,
  reloadedRecently, SERVICE_WORKER_PATH, storeKey,
} from "./session.js";

const ROOT = new URL("../", import.meta.url).href;
const WORKER_START_MS = 10000;
const MESSAGES = {
  wrong: "Wrong passphrase. Please check it and try again.",
  integrity: "This page failed its integrity check: it was altered or damaged after it " +
    "was published, so it is not shown. Please tell the sender.",
  opening: "Opening…",
  checking: "Checking the passphrase…",
  broken: "The portal could not be opened. Please reload the page.",
};

const $ = (id) => document.getElementById(id);

function show(state, error = "", status = "") {
  document.body.dataset.state = state;
  $("portico-error").textContent = error;
  $("portico-status").textContent = status;
}

/** Hand the key to the service worker and reload through it; false if that cannot work. */
async function openWithServiceWorker(raw) {
  if (!("serviceWorker" in navigator) || reloadedRecently()) return false;
  try {
    const registration = await navigator.serviceWorker.register(
      new URL(SERVICE_WORKER_PATH, ROOT), { scope: new URL(ROOT).pathname, type: "module" });
    const reply = await askWorker(await activeWorker(registration), { type: "key", key: raw });
    if (!reply.ok) return false;
  } catch {
    return false;
  }
  markReload();
  location.reload();
  return true;
}

/** The registration's active worker, once it has one; rejects if it never activates. */
function activeWorker(registration) {
  if (!registration) return Promise.reject(new Error("service worker registration refused"));
  if (registration.active) return Promise.resolve(registration.active);
  return new Promise((resolve, reject) => {
    const worker = registration.installing ?? registration.waiting;
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

/** No service worker: decrypt this page and the protected files it shows, in place. */
async function openInPlace(key) {
  const manifest = await loadManifest(key, ROOT);
  const here = logicalPath(location.href, ROOT);
  const path = here in manifest.files ? here : "404.html";
  if (!manifest.files[path]) throw new IntegrityError(`${here} is not in this portal`);
  const html = new TextDecoder().decode(await fetchAndOpen(key, path, manifest.files[path]));
  document.open();
  document.write(injectPortalTags(html, ROOT));
  document.close();
  const decryptInto = async (element, attribute) => {
    const url = new URL(element.getAttribute(attribute), location.href);
    const target = logicalPath(url.origin + url.pathname, ROOT);
    const file = target && manifest.files[target];
    if (!file || file.type.startsWith("text/html")) return;
    const plain = await fetchAndOpen(key, target, file);
    if (file.attachment) element.setAttribute("download", downloadName(url.href, target));
    element.setAttribute(attribute, URL.createObjectURL(new Blob([plain], { type: file.type })));
  };
  const jobs = [
    ...Array.from(document.querySelectorAll("img[src]"), (el) => decryptInto(el, "src")),
    ...Array.from(document.querySelectorAll("a[href]"), (el) => decryptInto(el, "href")),
    ...Array.from(document.querySelectorAll("link[rel=stylesheet][href]"),
      (el) => decryptInto(el, "href")),
  ];
  await Promise.allSettled(jobs);
}

async function fetchAndOpen(key, path, entry) {
  const response = await fetch(new URL(entry.blob, ROOT));
  if (!response.ok) throw new IntegrityError(`${path} is missing`);
  return openFile(key, path, await response.arrayBuffer());
}

/** Show the portal with this raw content key; `fresh` is true right after an unwrap. */
async function openPortal(raw, fresh) {
  show("opening", "", MESSAGES.opening);
  const key = await importContentKey(raw);
  try {
    await loadManifest(key, ROOT);
  } catch (error) {
    if (fresh) throw error;
    clearKey(ROOT); // a key kept from an earlier build: ask again, quietly
    show("login");
    return;
  }
  if (await openWithServiceWorker(raw)) return;
  clearReloadMark();
  await openInPlace(key);
}

async function submit(event) {
  event.preventDefault();
  const passphrase = $("portico-passphrase").value;
  show("checking", "", MESSAGES.checking);
  try {
    const raw = await unwrapContentKey(await loadEnvelope(ROOT), passphrase);
    storeKey(ROOT, raw, $("portico-remember").checked);
    await openPortal(raw, true);
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

/** A share link carries the reader's scalar in the fragment (#k=…); strip it at once. */
function takeShareSecret() {
  const match = /^#k=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, "", location.pathname + location.search);
  return fromB64url(match[1]);
}

function answerWorker() {
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "need-key") event.ports[0]?.postMessage({ key: loadKey(ROOT) });
  });
}

async function main() {
  if (!window.isSecureContext || !window.crypto?.subtle || !window.DecompressionStream) {
    $("portico-form").hidden = true;
    $("portico-insecure").hidden = false;
    return;
  }
  answerWorker();
  $("portico-form").addEventListener("submit", submit);
  const shared = takeShareSecret();
  try {
    if (shared) {
      const raw = await unwrapWithScalar(await loadEnvelope(ROOT), shared);
      storeKey(ROOT, raw, false);
      await openPortal(raw, true);
      return;
    }
    const stored = loadKey(ROOT);
    if (stored) await openPortal(stored, false);
    else show("login");
  } catch (error) {
    report(error);
  }
}

main();
