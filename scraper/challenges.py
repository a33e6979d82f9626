"""Anti-bot challenge and block pages, recognised by shape, so that one is never archived as an article.

A site that stops serving us rarely says so with a status code alone: Cloudflare, DDoS-Guard,
Sucuri and Akamai answer 403/503 *or 200* with a page of their own, and some sites answer a bare
captcha or a "please enable JavaScript" shell. :func:`challenge_kind` names the family of such a
page (None for anything else). The markers are those the vendors' pages carry in their markup (the
title, the challenge script paths, the reference number); the text-only markers ("Please enable
JavaScript", a captcha widget) count only on a short page, since an article may quote them.
"""

from __future__ import annotations

import re

#: Only the start of a page is read: every challenge page is small, and this keeps the check cheap.
HEAD_BYTES = 64 * 1024
#: A page with more visible text than this is not a bare captcha or JavaScript shell.
SHELL_MAX_TEXT = 1500

#: (family, pattern that alone proves it), checked in order on the page's first HEAD_BYTES.
_STRONG: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    (
        "cloudflare",
        re.compile(
            rb"<title>\s*(?:just a moment\.\.\.|attention required! \| cloudflare|please wait\.\.\.)\s*</title>"
            rb"|/cdn-cgi/challenge-platform/|\bcf-chl-|cf_chl_opt|id=\"cf-wrapper\"",
            re.I,
        ),
    ),
    ("ddos-guard", re.compile(rb"<title>\s*ddos-guard\s*</title>|ddos-guard\.net/|__ddg[0-9_]", re.I)),
    ("sucuri", re.compile(rb"sucuri website firewall|sucuri\.net/privacy-policy|cloudproxy@sucuri", re.I)),
    (
        "akamai",
        re.compile(rb"<title>\s*access denied\s*</title>.{0,2000}?reference(?:\s|&#32;)*(?:#|&#35;)", re.I | re.S),
    ),
    (
        "checking_browser",
        re.compile(rb"checking (?:if the site connection is secure|your browser before accessing)", re.I),
    ),
)
_CAPTCHA = re.compile(
    rb"class=\"(?:g-recaptcha|h-captcha)\"|hcaptcha\.com/1/api\.js|google\.com/recaptcha/api\.js", re.I
)
_SHELL = re.compile(
    rb"please (?:enable|turn on) (?:javascript|cookies)|enable javascript and cookies to continue"
    rb"|javascript is (?:disabled|required)|you need to enable javascript",
    re.I,
)
_TAGS = re.compile(rb"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.I | re.S)


def visible_text_length(head: bytes) -> int:
    """Roughly how much text a reader sees (markup, scripts and styles removed)."""
    return len(b" ".join(_TAGS.sub(b" ", head).split()))


def challenge_kind(body: bytes) -> str | None:
    """The family of an anti-bot challenge or block page (``cloudflare``, ``ddos-guard``, ``sucuri``,
    ``akamai``, ``checking_browser``, ``captcha``, ``js_shell``), or None for any other page."""
    head = body[:HEAD_BYTES]
    text = None
    for family, pattern in _STRONG:
        if pattern.search(head):
            # Block pages are small; a long page that carries a marker (an article about Cloudflare
            # quoting its script path) is an article.
            text = visible_text_length(head) if text is None else text
            if text <= SHELL_MAX_TEXT * 2:
                return family
    if _CAPTCHA.search(head) or _SHELL.search(head):
        if visible_text_length(head) <= SHELL_MAX_TEXT:
            return "captcha" if _CAPTCHA.search(head) else "js_shell"
    return None
