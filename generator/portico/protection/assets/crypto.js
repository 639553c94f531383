// The browser half of ARCHITECTURE.md §4: WebCrypto and DecompressionStream only.
// Every constant and function mirrors the same name in envelope.py / readers.py;
// change both together (tests/fixtures/sample_portal/crypto_vector.json checks them).

export const ENVELOPE_VERSION = 1;
export const NONCE_BYTES = 12;
export const COMPRESSION = "gzip";
export const HKDF_SALT = utf8("portico/v1 hkdf salt");
export const HKDF_INFO = utf8("portico/v1 content key wrap");
export const WRAP_AD = utf8("portico/v1 content key");
export const P256_ORDER =
  0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
// An envelope entry outside these bounds is skipped, never tried: too few iterations make
// a passphrase cheap to guess offline (OWASP 2023: 600,000 for PBKDF2-HMAC-SHA256); too
// many would hang the tab (readers.MIN_ITERATIONS / MAX_ITERATIONS in Python).
export const MIN_ITERATIONS = 600000;
export const MAX_ITERATIONS = 10000000;
export const PORTICO_DIR = "_portico";
export const ENVELOPE_PATH = `${PORTICO_DIR}/envelope.json`;
export const MANIFEST_PATH = `${PORTICO_DIR}/manifest.bin`;
// A chunked file (chunked.py): CHUNK_BYTES of plaintext a chunk, each chunk sealed as
// nonce || AES-GCM(chunk) || tag with chunkAd(path, index, final) as associated data.
export const CHUNK_BYTES = 1024 * 1024;
export const TAG_BYTES = 16;
export const SEALED_CHUNK_BYTES = NONCE_BYTES + CHUNK_BYTES + TAG_BYTES;
export const CHUNK_AD = utf8("portico/v1 chunk");
export const INDEX_BYTES = 4;

// The WebCrypto functions this module calls, read once when it loads and bound to the
// browser's own SubtleCrypto: a script that patches SubtleCrypto.prototype afterwards
// (another page of the origin holding this window) changes nothing here. A patch made
// before this module loaded is caught, where it can be, by webCryptoIntact().
const SUBTLE_METHODS = ["importKey", "deriveBits", "deriveKey", "unwrapKey", "decrypt"];
const NATIVE_CODE = /^function [\w$]*\(\) \{\s*\[native code\]\s*\}$/;
const nativeSource = Function.prototype.toString;
const apply = Reflect.apply;
const SUBTLE = captureSubtle();

function captureSubtle() {
  const subtle = globalThis.crypto?.subtle; // none outside a secure context
  if (!subtle) return Object.freeze({ intact: false });
  const captured = { intact: looksNative(nativeSource) && looksNative(apply) &&
    Object.getPrototypeOf(subtle) === globalThis.SubtleCrypto?.prototype };
  for (const name of SUBTLE_METHODS) {
    const method = subtle[name];
    captured.intact &&= looksNative(method) && method === SubtleCrypto.prototype[name];
    captured[name] = (...args) => apply(method, subtle, args);
  }
  return Object.freeze(captured);
}

function looksNative(fn) {
  try {
    return typeof fn === "function" && NATIVE_CODE.test(apply(nativeSource, fn, []));
  } catch {
    return false;
  }
}

/**
 * False if this realm's WebCrypto was replaced before this module loaded (a plain
 * function or a wrapper that does not pass for native code). A patch that also fakes
 * Function.prototype.toString, or a Proxy around the native function, is not seen.
 */
export function webCryptoIntact() {
  return SUBTLE.intact;
}

/** No envelope entry opens with this passphrase. */
export class WrongPassphraseError extends Error {}

/** A protected file failed AES-GCM authentication: altered, truncated or moved. */
export class IntegrityError extends Error {}

export function utf8(text) {
  return new TextEncoder().encode(text);
}

export function b64url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromB64url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) =>
    c.charCodeAt(0),
  );
}

/** NFC-normalised and stripped, exactly as readers.normalize_passphrase. */
export function normalizePassphrase(passphrase) {
  return passphrase.normalize("NFC").trim();
}

/** The P-256 private scalar d (32 bytes): int(PBKDF2-SHA256) mod (n - 1) + 1. */
export async function derivePrivateScalar(passphrase, salt, iterations) {
  const base = await SUBTLE.importKey(
    "raw", utf8(normalizePassphrase(passphrase)), "PBKDF2", false, ["deriveBits"],
  );
  const bits = await SUBTLE.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations }, base, 256,
  );
  const scalar = (bytesToBigInt(new Uint8Array(bits)) % (P256_ORDER - 1n)) + 1n;
  return bigIntToBytes(scalar, 32);
}

function bytesToBigInt(bytes) {
  return BigInt("0x" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""));
}

function bigIntToBytes(value, length) {
  const hex = value.toString(16).padStart(length * 2, "0");
  return Uint8Array.from({ length }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

/** Import (d, x, y) as an ECDH key; null when d does not belong to (x, y). */
async function importReaderKey(d, entry) {
  const jwk = { kty: "EC", crv: "P-256", d: b64url(d), x: entry.x, y: entry.y, ext: false };
  try {
    return await SUBTLE.importKey("jwk", jwk, { name: "ECDH", namedCurve: "P-256" },
      false, ["deriveBits"]);
  } catch {
    return null; // Chromium checks d against x, y (DataError): another reader's entry.
  }
}

async function wrappingKey(privateKey, ephemeral) {
  const publicKey = await SUBTLE.importKey(
    "jwk", { kty: "EC", crv: "P-256", x: ephemeral.x, y: ephemeral.y },
    { name: "ECDH", namedCurve: "P-256" }, false, [],
  );
  const shared = await SUBTLE.deriveBits({ name: "ECDH", public: publicKey },
    privateKey, 256);
  const hkdf = await SUBTLE.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
  return SUBTLE.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: HKDF_INFO },
    hkdf, { name: "AES-GCM", length: 256 }, false, ["unwrapKey"],
  );
}

/**
 * The content key from one entry, or null if this scalar does not open it. It comes out
 * of unwrapKey as a non-extractable CryptoKey: its bytes never exist in JavaScript, so no
 * script can copy them to storage or off the device.
 */
async function unwrapEntry(d, entry) {
  const privateKey = await importReaderKey(d, entry);
  if (!privateKey) return null;
  try {
    const key = await wrappingKey(privateKey, entry.ephemeral);
    return await SUBTLE.unwrapKey(
      "raw", fromB64url(entry.wrapped), key,
      { name: "AES-GCM", iv: fromB64url(entry.nonce), additionalData: WRAP_AD },
      { name: "AES-GCM" }, false, ["decrypt"],
    );
  } catch {
    return null; // Browsers that accept any d fail here instead: still "not this entry".
  }
}

/** Entries this browser will try: a sane iteration count, else skipped unread. */
export function usableEntries(envelope) {
  return envelope.entries.filter((entry) => Number.isInteger(entry.iterations) &&
    entry.iterations >= MIN_ITERATIONS && entry.iterations <= MAX_ITERATIONS);
}

function checkVersion(envelope) {
  if (envelope.version !== ENVELOPE_VERSION) {
    throw new IntegrityError(`unsupported envelope version ${envelope.version}`);
  }
}

/** The content key (a non-extractable CryptoKey); all derivations run at once. */
export async function unwrapContentKey(envelope, passphrase) {
  checkVersion(envelope);
  const entries = usableEntries(envelope);
  const scalars = await Promise.all(entries.map((entry) =>
    derivePrivateScalar(passphrase, fromB64url(entry.salt), entry.iterations)));
  for (const [i, entry] of entries.entries()) {
    const key = await unwrapEntry(scalars[i], entry);
    if (key) return key;
  }
  throw new WrongPassphraseError("wrong passphrase");
}

/** The content key from a reader's scalar d (a share link), skipping PBKDF2. */
export async function unwrapWithScalar(envelope, d) {
  checkVersion(envelope);
  for (const entry of usableEntries(envelope)) {
    const key = await unwrapEntry(d, entry);
    if (key) return key;
  }
  throw new WrongPassphraseError("this link does not open this portal");
}

/** Raw key bytes as a non-extractable AES-GCM decryption key (tests and tools only). */
export function importContentKey(raw) {
  return SUBTLE.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
}

/** Plaintext of a sealed file: nonce || AES-GCM(length || gzip(data) || padding), its
 * portal path as AD; the 4-byte big-endian length (inside the authenticated plaintext)
 * says where the padding starts (envelope.pad / unpad). */
export async function openFile(contentKey, path, blob) {
  const LENGTH_BYTES = 4;
  const bytes = new Uint8Array(blob);
  let padded;
  try {
    padded = new Uint8Array(await SUBTLE.decrypt(
      { name: "AES-GCM", iv: bytes.slice(0, NONCE_BYTES), additionalData: utf8(path) },
      contentKey, bytes.slice(NONCE_BYTES),
    ));
  } catch {
    throw new IntegrityError(`${path} failed its integrity check`);
  }
  const length = padded.length < LENGTH_BYTES ? -1
    : new DataView(padded.buffer, padded.byteOffset, LENGTH_BYTES).getUint32(0);
  if (length < 0 || LENGTH_BYTES + length > padded.length) {
    throw new IntegrityError(`${path} failed its integrity check`);
  }
  const compressed = padded.subarray(LENGTH_BYTES, LENGTH_BYTES + length);
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream(COMPRESSION));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The associated data of chunk `index` of the file at `path`, as chunked.chunk_ad:
 * CHUNK_AD || 0x00 || index (4 bytes, big-endian) || final (1 byte) || path (UTF-8). */
export function chunkAd(path, index, final) {
  const name = utf8(path);
  const ad = new Uint8Array(CHUNK_AD.length + 1 + INDEX_BYTES + 1 + name.length);
  ad.set(CHUNK_AD);
  new DataView(ad.buffer).setUint32(CHUNK_AD.length + 1, index);
  ad[CHUNK_AD.length + 1 + INDEX_BYTES] = final ? 1 : 0;
  ad.set(name, CHUNK_AD.length + 2 + INDEX_BYTES);
  return ad;
}

/** The CHUNK_BYTES of plaintext of one sealed chunk; IntegrityError unless it is chunk
 * `index` of the file at `path`, and the last one exactly when `final`. */
export async function openChunk(contentKey, path, index, final, sealed) {
  try {
    return new Uint8Array(await SUBTLE.decrypt(
      { name: "AES-GCM", iv: sealed.subarray(0, NONCE_BYTES),
        additionalData: chunkAd(path, index, final) },
      contentKey, sealed.subarray(NONCE_BYTES),
    ));
  } catch {
    throw new IntegrityError(`${path}: chunk ${index} failed its integrity check`);
  }
}

/**
 * The plaintext of a chunked file as a stream, decrypted a chunk at a time as the stream is
 * read, from `body` (the blob's response body). `chunked` is the manifest's {chunk_bytes,
 * chunks, size}: exactly `chunks` chunks must come, the last sealed as the last, and the
 * first `size` bytes of their plaintext are the file. The first chunk is opened before the
 * stream is returned (so a file damaged there rejects, like openFile); at a later chunk that
 * is altered, moved, missing or extra the stream errors with an IntegrityError, and no byte
 * of that chunk is ever enqueued.
 */
export async function openChunkedStream(contentKey, path, chunked, body) {
  const { chunks, size } = chunked;
  if (chunked.chunk_bytes !== CHUNK_BYTES || !Number.isSafeInteger(size) || size < 0 ||
      chunks !== Math.max(1, Math.ceil(size / CHUNK_BYTES))) {
    throw new IntegrityError(`${path}: not a chunked file this portal can open`);
  }
  const source = exactReader(body.getReader());
  let index = 0;
  const next = async () => {
    const final = index === chunks - 1;
    const sealed = await source.read(SEALED_CHUNK_BYTES);
    if (sealed.length !== SEALED_CHUNK_BYTES) {
      throw new IntegrityError(`${path}: cut short at chunk ${index} of ${chunks}`);
    }
    const plain = await openChunk(contentKey, path, index, final, sealed);
    if (final && !(await source.atEnd())) {
      throw new IntegrityError(`${path}: holds more than its ${chunks} chunks`);
    }
    const kept = final ? size - index * CHUNK_BYTES : CHUNK_BYTES;
    index += 1;
    return { plain: plain.subarray(0, kept), final };
  };
  const failed = async (error) => {
    await source.cancel(error).catch(() => {});
    throw error;
  };
  let ready = await next().catch(failed);
  return new ReadableStream({
    async pull(controller) {
      const { plain, final } = ready ?? await next().catch(failed);
      ready = null;
      controller.enqueue(plain);
      if (final) controller.close();
    },
    cancel(reason) {
      return source.cancel(reason);
    },
  });
}

/** Everything `stream` gives, as a Blob of `type`; rejects with the stream's own error (an
 * IntegrityError from openChunkedStream), which reading it through a Response would not. */
export async function streamToBlob(stream, type = "") {
  const reader = stream.getReader();
  const parts = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return new Blob(parts, { type });
    parts.push(value);
  }
}

/** A stream reader that hands out exactly `n` bytes at a time (fewer only at the end). */
function exactReader(reader) {
  const buffered = [];
  let length = 0;
  let done = false;
  const fill = async (n) => {
    while (length < n && !done) {
      const { value, done: ended } = await reader.read();
      if (ended) done = true;
      else if (value.length) {
        buffered.push(value);
        length += value.length;
      }
    }
  };
  return {
    async read(n) {
      await fill(n);
      const out = new Uint8Array(Math.min(n, length));
      for (let filled = 0; filled < out.length;) {
        const head = buffered[0];
        const take = Math.min(head.length, out.length - filled);
        out.set(head.subarray(0, take), filled);
        filled += take;
        if (take === head.length) buffered.shift();
        else buffered[0] = head.subarray(take);
      }
      length -= out.length;
      return out;
    },
    async atEnd() {
      await fill(1);
      return length === 0;
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  };
}

/** Fetch and open the sealed manifest: logical path → {blob, type, attachment, chunked}. */
export async function loadManifest(contentKey, root) {
  const response = await fetch(new URL(MANIFEST_PATH, root), { cache: "no-cache" });
  if (!response.ok) throw new IntegrityError("the portal's manifest is missing");
  const plain = await openFile(contentKey, MANIFEST_PATH, await response.arrayBuffer());
  return JSON.parse(new TextDecoder().decode(plain));
}

/** Fetch the public envelope of the portal at `root`. */
export async function loadEnvelope(root) {
  const response = await fetch(new URL(ENVELOPE_PATH, root), { cache: "no-cache" });
  if (!response.ok) throw new IntegrityError("the portal's envelope is missing");
  return response.json();
}

/**
 * The name an attachment downloads under: the `download` query parameter Portico's
 * renderer puts on attachment links (output paths are opaque, e.g. files/2.pdf), else
 * the path's own last segment. `<a download>` is not used: Chromium sends such downloads
 * past the service worker, to the network, where only ciphertext lives.
 */
export function downloadName(url, path) {
  const wanted = new URL(url).searchParams.get("download") || "";
  const name = wanted.split(/[\\/]/).pop().replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return name && !name.startsWith(".") ? name : path.split("/").pop();
}

/** The portal path of a URL under `root` ("risks/" → "risks/index.html"), or null. */
export function logicalPath(url, root) {
  const target = new URL(url, root);
  const base = new URL(root);
  if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) return null;
  let rel;
  try {
    rel = decodeURIComponent(target.pathname.slice(base.pathname.length));
  } catch {
    return null;
  }
  return rel === "" || rel.endsWith("/") ? `${rel}index.html` : rel;
}
