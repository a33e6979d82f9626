"""Point a crawl at a local mirror of its sites, for the network only.

``-a root=http://127.0.0.1:PORT`` (or the ``WARTA_ROOT`` setting) makes every download of
``https://<host>/<path>?<q>`` fetch ``http://127.0.0.1:PORT/<host>/<path>?<q>`` instead. The rewrite
happens in the download handler, below every middleware: robots.txt (which RobotsTxtMiddleware
requests per real host through the same downloader), the dupefilter, the allowed hosts, parsing,
canonical URLs and the archive all see the real URLs. A downloader middleware could not do this
cleanly: changing a request's URL there means returning a new request, which goes back through
the scheduler, the dupefilter and the robots check with the mirror URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
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
        changes: dict[str, object] = {"url": to_mirror(real_url, root)}
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
