"""The fixed cross-implementation vector, checked with the browser's WebCrypto.

tests/protection/test_protect.py checks the same vector against the Python side.
"""

from __future__ import annotations

import json

from browser_support import SAMPLE, Portal
from playwright.sync_api import Page

VECTOR = json.loads((SAMPLE / "crypto_vector.json").read_text("utf-8"))

CHECK = """async ([module, v]) => {
  const c = await import(module);
  const d = await c.derivePrivateScalar(v.passphrase, c.fromB64url(v.salt), v.iterations);
  // Chromium rebuilds the public key from d alone when d comes as PKCS#8 without one.
  const prefix = c.fromB64url("MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCA");
  const pkcs8 = new Uint8Array([...prefix, ...d]);
  const key = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "ECDH", namedCurve: "P-256" },
    true, ["deriveBits"]);
  const jwk = await crypto.subtle.exportKey("jwk", key);
  const envelope = { version: c.ENVELOPE_VERSION, entries: [v.entry] };
  const contentKey = await c.unwrapContentKey(envelope, v.passphrase);
  let wrong = null;
  try { await c.unwrapContentKey(envelope, "not the vector's passphrase"); }
  catch (error) { wrong = error instanceof c.WrongPassphraseError; }
  const aes = contentKey;  // a CryptoKey: its bytes never reach JavaScript
  const plain = await c.openFile(aes, v.path, c.fromB64url(v.blob));
  let moved = null;
  try { await c.openFile(aes, "risks/r-002/index.html", c.fromB64url(v.blob)); }
  catch (error) { moved = error instanceof c.IntegrityError; }
  let exported = null;
  try { await crypto.subtle.exportKey("raw", contentKey); exported = true; }
  catch { exported = false; }
  return { x: jwk.x, y: jwk.y, extractable: contentKey.extractable, exported,
           plaintext: c.b64url(plain), wrong, moved };
}"""


def test_webcrypto_agrees_with_python_on_the_vector(page: Page, portal: Portal) -> None:
    page.goto(portal.url + "_portico/envelope.json")  # any page of the origin: a secure context
    got = page.evaluate(CHECK, [portal.url + "_portico/crypto.js", VECTOR])
    assert (got["x"], got["y"]) == (VECTOR["x"], VECTOR["y"])
    # The unwrapped key opens the blob sealed under the vector's content key, and no
    # script can read its bytes.
    assert got["extractable"] is False and got["exported"] is False
    assert got["plaintext"] == VECTOR["plaintext"]
    assert got["wrong"] is True, "a wrong passphrase must raise WrongPassphraseError"
    assert got["moved"] is True, "a blob opened under another path must fail its integrity check"
