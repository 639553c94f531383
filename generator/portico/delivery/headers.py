"""The response headers a host should send with every file of a published site.

`portico publish` writes them as a `_headers` file at the root of what it publishes, the
format Netlify and Cloudflare Pages read; the hosting guide (`portico docs hosting`) gives
the same headers for nginx, Caddy and CloudFront. A host that ignores the file (GitHub
Pages sends no custom headers) serves it as one more public file, which says nothing
about any client.

The portal does not depend on them: its service worker sends the same headers with every
file it decrypts. They cover what the worker cannot: the sign-in page's first load, before
a worker is installed, and every file fetched without one.
"""

from __future__ import annotations

__all__ = ["HEADERS", "HEADERS_FILE", "headers_file"]

HEADERS_FILE = "_headers"

PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture",
    "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi",
    "payment", "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
    "xr-spatial-tracking"))
"""Every powerful feature off: a portal needs none (copying code to the clipboard and full
screen stay allowed, as the theme uses them)."""

HEADERS: tuple[tuple[str, str], ...] = (
    # Severs every opener, a same-origin one included (a sibling page that opens the portal
    # gets no handle to it), while the portal may still open links in new tabs.
    ("Cross-Origin-Opener-Policy", "noopener-allow-popups"),
    # No page of any origin, this one included, may frame the portal. Nothing else here:
    # the sign-in page carries its own exact policy, and a second one could only break it.
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("X-Robots-Tag", "noindex"),
)
"""(name, value) sent with every response: the shell, the ciphertext, the theme's files."""


def headers_file() -> str:
    """The `_headers` file: every header above for every path of the site (`/*`)."""
    lines = ["# Written by `portico publish` (Netlify, Cloudflare Pages); see "
             "`portico docs hosting`.", "/*"]
    lines += [f"  {name}: {value}" for name, value in HEADERS]
    return "\n".join(lines) + "\n"
