"""Point a crawl at a local mirror of its sites, for the network only; check what comes back.

:class:`ResponseCheckMiddleware` (a downloader middleware) catches pages that ended early and
anti-bot challenge pages; see its docstring.

``-a root=http://127.0.0.1:PORT`` (or the ``WARTA_ROOT`` setting) makes every download of
``https://<host>/<path>?<q>`` fetch ``http://127.0.0.1:PORT/<host>/<path>?<q>`` instead. The rewrite
happens in the download handler, below every middleware: robots.txt (which RobotsTxtMiddleware
requests per real host through the same downloader), the dupefilter, the allowed hosts, parsing,
canonical URLs and the archive all see the real URLs. A downloader middleware could not do this
cleanly: changing a request's URL there means returning a new request, which goes back through
the scheduler, the dupefilter and the robots check with the mirror URL.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.misc import build_from_crawler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


def to_mirror(url: str, root: str) -> str:
    """``https://host/p?q`` -> ``<root>/host/p?q``; URLs already on the mirror are left alone."""
    parts = urlsplit(url)
    root_parts = urlsplit(root)
    if parts.netloc == root_parts.netloc:
        return url
    path = "/" + parts.netloc + (parts.path or "/")
    base = root_parts.path.rstrip("/")
    return urlunsplit((root_parts.scheme, root_parts.netloc, base + path, parts.query, ""))


def from_mirror(url: str, root: str, scheme: str = "https") -> str:
    """The inverse of :func:`to_mirror`: ``<root>/host/p?q`` -> ``https://host/p?q``."""
    parts = urlsplit(url)
    root_parts = urlsplit(root)
    base = root_parts.path.rstrip("/")
    if parts.netloc != root_parts.netloc or not parts.path.startswith(base + "/"):
        return url
    host, _, path = parts.path[len(base) + 1 :].partition("/")
    if not host:
        return url
    return urlunsplit((scheme, host, "/" + path, parts.query, parts.fragment))


def mirror_root(crawler: Crawler) -> str | None:
    """The mirror root of this crawl: the spider's ``root`` argument, else the WARTA_ROOT setting."""
    spider_root = getattr(crawler.spider, "root", None)
    return spider_root or crawler.settings.get("WARTA_ROOT") or None


class MirrorDownloadHandler(BaseDownloadHandler):
    """HTTP(S) download handler that fetches from the mirror root when one is set."""

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # The Twisted HTTP/1.1 handler is Scrapy's default; without a reactor (in-process tests
        # with AsyncCrawlerRunner) Scrapy's httpx handler does the same job.
        if crawler.settings.getbool("TWISTED_REACTOR_ENABLED", True):
            inner = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
        else:
            inner = "scrapy.core.downloader.handlers._httpx.HttpxDownloadHandler"
        from scrapy.utils.misc import load_object

        self._inner = build_from_crawler(load_object(inner), crawler)

    async def download_request(self, request: Request) -> Response:
        root = mirror_root(self.crawler)
        if not root:
            return await self._inner.download_request(request)
        real_url = request.url
        changes: dict[str, Any] = {"url": to_mirror(real_url, root)}
        # The mirror is local: never send it through a proxy configured for the real hosts. (Only
        # copied when there is one to drop: the copies cost more than the rewrite on a fast crawl.)
        if "proxy" in request.meta or "_auth_proxy" in request.meta:
            changes["meta"] = {k: v for k, v in request.meta.items() if k not in ("proxy", "_auth_proxy")}
        if b"Proxy-Authorization" in request.headers:
            request_headers = request.headers.copy()
            request_headers.pop(b"Proxy-Authorization", None)
            changes["headers"] = request_headers
        response = await self._inner.download_request(request.replace(**changes))
        location = response.headers.get(b"Location")
        if not location:
            return response.replace(url=real_url, request=request)
        # A redirect on the mirror points into the mirror: map it back to the real host.
        scheme = urlsplit(real_url).scheme or "https"
        headers = response.headers.copy()
        absolute = urljoin(to_mirror(real_url, root), location.decode("latin-1"))
        headers[b"Location"] = from_mirror(absolute, root, scheme).encode("latin-1")
        return response.replace(url=real_url, headers=headers, request=request)

    async def close(self) -> None:
        await self._inner.close()


# --------------------------------------------------------------------------------------------
# Responses that are not what they seem: cut short, or a challenge page
# --------------------------------------------------------------------------------------------

_END_TAG = re.compile(rb"</(?:html|body)\s*>", re.I)
#: How far from the end a closing tag may be (scripts injected after ``</html>`` by CDNs and ad tags).
END_WINDOW = 4096


class TruncatedResponse(IgnoreRequest):
    """A page that ended before it should, still short after its retries: skipped, never stored."""


def truncation(response: Response) -> str | None:
    """Why a 200 HTML response looks cut short, or None.

    - the ``dataloss`` flag (Scrapy sets it when DOWNLOAD_FAIL_ON_DATALOSS=False and data was lost);
    - a body read until the connection closed (no Content-Length, not chunked: Scrapy 2.19 flags it
      ``partial``, whole or not) without ``</html>`` or ``</body>`` in its last END_WINDOW bytes.
      Nothing at the HTTP level tells such a page's end, so the markup must. HTML lets a page omit
      ``</html>``, so one missing tag is not enough; a page whose length the server announced
      (Content-Length, or a chunked stream with its last chunk) is the server's whole page even
      with unclosed tags, and is parsed as it is;
    - a body shorter than the Content-Length the server announced (a decoded body is not compared:
      the header counts the compressed bytes).
    """
    if response.status != 200:
        return None
    content_type = (response.headers.get(b"Content-Type") or b"").lower()
    if b"html" not in content_type and content_type:
        return None
    body = response.body
    if "dataloss" in response.flags:
        return "dataloss"
    declared = response.headers.get(b"Content-Length")
    if declared and not response.headers.get(b"Content-Encoding") and declared.isdigit() and int(declared) > len(body):
        return f"content_length {len(body)} of {int(declared)}"
    if "partial" in response.flags and not _END_TAG.search(body[-END_WINDOW:]):
        return "no closing tag, connection closed without a length"
    return None


class ResponseCheckMiddleware:
    """Downloader middleware: a truncated page is retried, then dropped as ``truncated``; challenge
    pages are counted (``warta/challenge/<family>``) and marked (``meta["warta_challenge"]``), so the
    spider skips them and the archive's verdict can call the site blocked."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_retries = crawler.settings.getint("RETRY_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseCheckMiddleware:
        return cls(crawler)

    def inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        from scraper.challenges import challenge_kind

        if response.status < 400 or response.status in (401, 403, 429, 503):
            content_type = (response.headers.get(b"Content-Type") or b"text/html").lower()
            family = challenge_kind(response.body) if b"html" in content_type else None
            if family:
                self.inc("warta/challenge/" + family)
                if response.status < 400:  # a 4xx/5xx one already counts by its status
                    self.inc("warta/challenge")
                request.meta["warta_challenge"] = family
                return response
        why = truncation(response)
        if why is None:
            return response
        from scrapy.downloadermiddlewares.retry import get_retry_request

        self.inc("warta/truncated/responses")
        assert self.crawler.spider is not None  # responses come only while a spider runs
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason="truncated",
            max_retry_times=self.max_retries,
            give_up_log_level=logging.WARNING,  # counted as skipped "truncated"; not an error of the crawl
        )
        if retry is not None:
            return retry
        self.inc("warta/skipped")
        self.inc("warta/skipped/truncated")
        raise TruncatedResponse(f"truncated after {self.max_retries} retries: {why}")
