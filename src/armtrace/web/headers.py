"""Security headers on every answer: a Content Security Policy, no sniffing, no framing.

Invariants:
- Scripts run only from armtrace's own /static files (``script-src 'self'``): markup that slips
  into a page (a marking, a note) cannot run, even if escaping were ever missed. Inline
  ``style`` attributes stay allowed (the pages and charts use them; they cannot run code).
- No page can be framed by another site (``frame-ancestors 'none'`` and ``X-Frame-Options``).
- Images may come from the configured tile server (``ARMTRACE_TILES_URL``) and ``data:`` URIs
  (Leaflet, embedded report photos); nothing else leaves the origin.
- A header a route set itself is kept (the evidence route sets its own ``X-Content-Type-Options``).
- The API documentation page (/api/docs) gets no CSP: Swagger UI loads its script from a CDN
  and starts it inline.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NO_CSP_PREFIXES = ("/api/docs",)


def content_security_policy(tiles_url: str | None) -> str:
    """The policy for armtrace's pages, allowing images from the tile server when one is set."""
    images = "'self' data:"
    if tiles_url:
        parts = urlsplit(tiles_url)
        if parts.scheme in ("http", "https") and parts.netloc:
            # The host may hold a {s} subdomain placeholder: allow the scheme and host pattern.
            host = parts.netloc.replace("{s}", "*")
            images += f" {parts.scheme}://{host}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp, policy: str) -> None:
        self.app = app
        self.headers = {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
            "Content-Security-Policy": policy,
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = not str(scope.get("path", "")).startswith(NO_CSP_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers and (with_csp or name != "Content-Security-Policy"):
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
