"""Datasette plugin: security headers on every response.

Headers (added to every HTTP response unless the app set them itself):

* ``Content-Security-Policy``: no inline or foreign script runs, so a stored URL or text that got
  past escaping still could not execute. Scripts: same origin, plus the inline ``<script>`` blocks
  of Datasette's own templates, allowed by their SHA-256 (computed from the installed Datasette's
  templates at start-up, so an upgrade that changes them is picked up; tests/test_serve_safety.py
  checks every inline script of the pages a reader uses is covered). Not a nonce: a nonce added to
  every ``<script>`` of a finished page would bless an injected one too, and Datasette 0.65 has no
  nonce support of its own. Styles: same origin and ``'unsafe-inline'``, because Datasette 0.65
  writes ``style="..."`` attributes (the database colour bars) that a hash or nonce cannot allow in
  every browser; inline CSS cannot run code. Images: same origin and ``data:`` (app.css draws its
  icons from data: SVGs).
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` (a click on a link to a
  publisher does not tell it which search led there; Datasette's own ``no-referrer`` on pages whose
  URL can hold SQL is kept), ``X-Frame-Options: DENY``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import datasette
from datasette import hookimpl

Scope = dict[str, Any]
Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Callable[[], Awaitable[Any]], Send], Awaitable[None]]

_SCRIPT = re.compile(r"<script(?:\s+type=\"module\")?>(.*?)</script>", re.S)
# The one inline script of Datasette 0.65's templates with a value in it (table.html), and the
# values it takes: DATASETTE_ALLOW_FACET = {{ datasette_allow_facet }}; is "true" or "false".
_TEMPLATE_VALUES = {"{{ datasette_allow_facet }}": ("true", "false")}


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def inline_script_hashes(template_dirs: list[Path]) -> list[str]:
    """CSP hash sources for every inline <script> of the templates (fixed text or known values)."""
    hashes: set[str] = set()
    for directory in template_dirs:
        for template in sorted(directory.glob("*.html")):
            for body in _SCRIPT.findall(template.read_text(encoding="utf-8")):
                variants = [body]
                for placeholder, values in _TEMPLATE_VALUES.items():
                    if placeholder in body:
                        variants = [v.replace(placeholder, value) for v in variants for value in values]
                # A body still holding template syntax varies per page: it cannot be hashed, and so
                # it does not run (the test of the served pages would show it).
                hashes.update(_sha256(v) for v in variants if "{{" not in v and "{%" not in v)
    return sorted(hashes)


DATASETTE_TEMPLATES = Path(datasette.__file__).resolve().parent / "templates"
OUR_TEMPLATES = Path(__file__).resolve().parent / "templates"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self' " + " ".join(inline_script_hashes([DATASETTE_TEMPLATES, OUR_TEMPLATES])),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The response headers plus each security header the app did not set itself."""
    present = {name.lower() for name, _ in headers}
    return list(headers) + [(n, v) for n, v in SECURITY_HEADERS if n not in present]


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    def wrap(app: App) -> App:
        async def safe(scope: Scope, receive: Any, send: Send) -> None:
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": with_security_headers(list(message.get("headers", [])))}
                await send(message)

            await app(scope, receive, send_with_headers)

        return safe

    return wrap
