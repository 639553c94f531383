// Where the content key lives after login, and how the page hands it to the service worker.
// sessionStorage by default; localStorage with an expiry when "remember me" is ticked.
// Keys are per portal root, so two portals on one origin never share a login.

import { b64url, fromB64url, PORTICO_DIR } from "./crypto.js";

export const REMEMBER_DAYS = 30;
export const SERVICE_WORKER_PATH = "portico-sw.js";
const DAY_MS = 24 * 60 * 60 * 1000;
const WORKER_REPLY_MS = 5000;
const RELOAD_GUARD_MS = 10000;

function storageName(root) {
  return `portico:key:${new URL(root).pathname}`;
}

/** Keep the raw content key for this tab, or for REMEMBER_DAYS on this device. */
export function storeKey(root, raw, remember) {
  const expires = remember ? Date.now() + REMEMBER_DAYS * DAY_MS : null;
  const value = JSON.stringify({ key: b64url(raw), expires });
  clearKey(root);
  (remember ? localStorage : sessionStorage).setItem(storageName(root), value);
}

/** The stored raw content key, or null (an expired remembered key is removed). */
export function loadKey(root) {
  for (const storage of [sessionStorage, localStorage]) {
    const value = storage.getItem(storageName(root));
    if (!value) continue;
    try {
      const { key, expires } = JSON.parse(value);
      if (expires !== null && Date.now() > expires) {
        storage.removeItem(storageName(root));
        continue;
      }
      return fromB64url(key);
    } catch {
      storage.removeItem(storageName(root));
    }
  }
  return null;
}

export function clearKey(root) {
  sessionStorage.removeItem(storageName(root));
  localStorage.removeItem(storageName(root));
}

/** Post a message to a service worker and wait for its reply on a MessageChannel. */
export function askWorker(worker, message) {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => reject(new Error("service worker did not reply")),
      WORKER_REPLY_MS);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}

/** True if this page was reloaded for the service worker moments ago and came back a shell. */
export function reloadedRecently() {
  const mark = JSON.parse(sessionStorage.getItem("portico:reload") || "null");
  return Boolean(mark && mark.url === location.href && Date.now() - mark.at < RELOAD_GUARD_MS);
}

export function markReload() {
  sessionStorage.setItem("portico:reload", JSON.stringify({ url: location.href, at: Date.now() }));
}

export function clearReloadMark() {
  sessionStorage.removeItem("portico:reload");
}

/** The tags that give a decrypted page its log-out control, inserted before </head>. */
export function injectPortalTags(html, root) {
  const base = new URL(`${PORTICO_DIR}/`, root).pathname;
  const tags = `<link rel="stylesheet" href="${base}portal.css">` +
    `<script type="module" src="${base}portal.js"></script>`;
  const at = html.search(/<\/head>/i);
  return at === -1 ? tags + html : html.slice(0, at) + tags + html.slice(at);
}
