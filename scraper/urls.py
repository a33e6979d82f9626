"""URL canonicalisation: one identity per article however it was reached.

Evidence for the AMP rule: the seed article's ``amphtml`` is
``https://amp.kompas.com/global/read/...`` while its canonical is ``https://www.kompas.com/global/read/...``,
so an ``amp.`` host maps to ``www.`` with the same path. Other sites serve AMP under an ``/amp/``
path prefix or an ``/amp`` suffix, and mobile pages on ``m.`` hosts; all fold into the desktop URL.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that never change which article a URL names.
DROP_PARAMS = frozenset(
    {
        "page", "source", "jxrecoid", "engine", "fbclid", "gclid", "gclsrc", "dclid", "msclkid",
        "mc_cid", "mc_eid", "igshid", "amp", "outputtype", "_ga", "_gl", "ref_src", "s_cid",
    }
)
_DROP_PREFIXES = ("utm_",)
_AMP_PATH = re.compile(r"^/amp(?=/)|/amp/?$")
_MOBILE_HOST = re.compile(r"^(?:amp|m|mobile)\.")


def _keep_param(name: str) -> bool:
    """False for tracking and paging parameters."""
    low = name.lower()
    return low not in DROP_PARAMS and not low.startswith(_DROP_PREFIXES)


def canonical_host(host: str) -> str:
    """Lower-case host with AMP/mobile prefixes folded into ``www.``."""
    host = host.lower().rstrip(".")
    if _MOBILE_HOST.match(host) and host.count(".") >= 2:
        host = "www." + host.split(".", 1)[1]
    return host


def canonicalize(url: str, base: str | None = None) -> str:
    """The article identity of ``url``: https, canonical host, no tracking/paging params or fragment."""
    url = (url or "").strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", ""):
        return url  # mailto:, javascript:, data: ... are not articles; leave them alone
    host = canonical_host(parts.hostname or "")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    # Re-quote the path so that %7E and ~ (and other equivalent spellings) compare equal.
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~")
    path = _AMP_PATH.sub("", path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if _keep_param(k))
    return urlunsplit(("https", host, path, urlencode(query), ""))


def same_site(url: str, domains: tuple[str, ...]) -> bool:
    """True when the URL's host is one of ``domains`` or under one of them."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)


#: Second-level labels under which a country TLD registers names (``kompas.co.id``, ``bbc.co.uk``).
_SECOND_LEVEL = frozenset({"co", "or", "go", "ac", "sch", "web", "my", "net", "com", "org", "gov", "edu", "mil", "biz"})


def registrable_domain(host: str) -> str:
    """The name a publisher registered: ``m.berita.contoh.co.id`` -> ``contoh.co.id`` (no public
    suffix list: two labels, three under a country TLD's co./or./go./... level); IPs as they are."""
    host = (host or "").lower().rstrip(".")
    labels = host.split(".")
    if len(labels) <= 2 or host.replace(".", "").isdigit() or ":" in host:
        return host
    keep = 3 if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])
