// The portal's service worker (served as /…/portico-sw.js, scope = the portal root).
// Once a page hands it the content key, it answers every same-origin request for a
// protected path with the decrypted file, so the theme's navigation, search (its XHR
// for the index), images and downloads work unchanged. It keeps the key in memory
// only; when the browser stops it, the key is gone and it asks a page for it again.

import {
  downloadName, IntegrityError, importContentKey, loadManifest, logicalPath, openFile, PORTICO_DIR,
} from "./_portico/crypto.js";
import { injectPortalTags, SERVICE_WORKER_PATH } from "./_portico/session.js";

const ROOT = self.registration.scope;
const PAGE_CSP = [
  "default-src 'self'", "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'",
  "worker-src 'self' blob:", "frame-src 'self'", "object-src 'none'", "base-uri 'self'",
  "form-action 'self'",
].join("; ");
const INTEGRITY_MESSAGE = "This page failed its integrity check: it was altered or damaged " +
  "after it was published, so it is not shown. Please tell the sender.";

let state = null; // { raw, key, manifest } while unlocked

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const reply = (data) => event.ports[0]?.postMessage(data);
  if (event.data?.type === "key") {
    event.waitUntil(unlock(event.data.key).then(
      () => reply({ ok: true }),
      (error) => reply({ ok: false, integrity: error instanceof IntegrityError }),
    ));
  } else if (event.data?.type === "forget") {
    state = null;
    reply({ ok: true });
  }
});

async function unlock(raw) {
  const key = await importContentKey(raw);
  const manifest = await loadManifest(key, ROOT);
  state = { raw, key, manifest };
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
  if (!state && event.clientId) await recoverKey(event.clientId);
  if (!state) return fetch(request); // the shell: it hands the key over and reloads
  let entry = state.manifest.files[path];
  if (!entry && state.manifest.files[`${path}/index.html`]) {
    const url = new URL(request.url);
    url.pathname += "/";
    return Response.redirect(url.href, 301);
  }
  if (!entry) return fetch(request);
  let blob = await fetch(new URL(entry.blob, ROOT));
  if (blob.status === 404 && (await refreshManifest())) {
    entry = state.manifest.files[path];
    if (!entry) return fetch(request);
    blob = await fetch(new URL(entry.blob, ROOT));
  }
  if (!state || !blob.ok) return fetch(request);
  try {
    const plain = await openFile(state.key, path, await blob.arrayBuffer());
    return decrypted(path, entry, plain, request.url);
  } catch (error) {
    if (error instanceof IntegrityError) return integrityFailure(request);
    throw error;
  }
}

/** A controlled page asked for something while this worker had no key: ask it back. */
async function recoverKey(clientId) {
  const client = await self.clients.get(clientId);
  if (!client) return;
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => {
    channel.port1.onmessage = (event) => resolve(event.data);
    setTimeout(() => resolve(null), 3000);
  });
  client.postMessage({ type: "need-key" }, [channel.port2]);
  const data = await answer;
  if (data?.key) {
    try {
      await unlock(data.key);
    } catch {
      state = null;
    }
  }
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

async function decrypted(path, entry, plain, url) {
  const headers = new Headers({
    "Content-Type": entry.type,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  });
  let body = plain;
  if (entry.type.startsWith("text/html")) {
    const html = new TextDecoder().decode(plain);
    headers.set("Content-Security-Policy", await pageCsp(html));
    body = injectPortalTags(html, ROOT);
  }
  if (entry.attachment) {
    const name = downloadName(url, path);
    headers.set("Content-Disposition",
      `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; ` +
      `filename*=UTF-8''${encodeURIComponent(name)}`);
  }
  return new Response(body, { status: 200, headers });
}

/** The page's CSP: 'self' only, plus the hashes of the inline scripts the page shipped with. */
async function pageCsp(html) {
  const inline = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;
  const hashes = await Promise.all(Array.from(html.matchAll(inline), async (match) => {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(match[1]));
    return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
  }));
  return `script-src 'self' ${[...new Set(hashes)].join(" ")}; ${PAGE_CSP}`;
}

function integrityFailure(request) {
  if (request.mode !== "navigate") {
    return new Response(null, { status: 500, statusText: "Integrity check failed" });
  }
  const css = new URL(`${PORTICO_DIR}/shell.css`, ROOT).pathname;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>Integrity check failed</title><link rel="stylesheet" href="${css}"></head>` +
    `<body><main class="portico-card"><p id="portico-error" class="portico-error" ` +
    `role="alert">${INTEGRITY_MESSAGE}</p></main></body></html>`;
  return new Response(page, {
    status: 500,
    headers: { "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `script-src 'none'; ${PAGE_CSP}`,
      "Cache-Control": "no-store" },
  });
}
