"""Headless Chromium driven over the DevTools protocol (no Selenium, no downloaded browser build).

``Browser`` starts Debian's ``chromium`` with ``--remote-debugging-port=0``, reads the port it
chose from ``DevToolsActivePort`` in its profile folder, and speaks CDP over one websocket
(``websockets``' sync client): a page target attached with ``flatten`` so every command carries
its ``sessionId``. ``Page.load`` sets the viewport (``Emulation.setDeviceMetricsOverride``, a
phone below 600 px), navigates, waits for the load event and can evaluate JavaScript and take a
PNG screenshot. Every wait is bounded.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

#: Debian's package name first; other distributions' after.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """The Chromium binary on PATH (or $WARTA_CHROMIUM), None when there is none."""
    explicit = os.environ.get("WARTA_CHROMIUM")
    if explicit:
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    """Chromium did not start, or a DevTools command failed."""


class Browser:
    """One headless Chromium and one page in it."""

    def __init__(self, binary: str, timeout: float = 30.0) -> None:
        self.binary = binary
        self.timeout = timeout
        self.profile = Path(tempfile.mkdtemp(prefix="warta-chromium-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.ws: Any = None
        self._connection: Any = None
        self.session: str | None = None
        self._next_id = 0

    def __enter__(self) -> Browser:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def _start(self) -> None:
        from websockets.sync.client import connect

        self.process = subprocess.Popen(
            [self.binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise BrowserError(f"chromium did not start ({self.binary})")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        self._connection = connect(f"ws://127.0.0.1:{port}{path}", max_size=64 * 1024 * 1024,
                                   open_timeout=self.timeout)
        self.ws = self._connection.__enter__()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.ws is not None:
            self._connection.__exit__(None, None, None)
            self.ws = None
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.profile, ignore_errors=True)

    def send(self, method: str, params: dict[str, Any] | None = None, wait_event: str | None = None) -> Any:
        """Run one command (on the page once attached); with ``wait_event``, also wait for that event."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        result: Any = None
        got_result, got_event = False, wait_event is None
        deadline = time.monotonic() + self.timeout
        while not (got_result and got_event):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError(f"{method}: no answer in {self.timeout} s")
            data = json.loads(self.ws.recv(timeout=remaining))
            if data.get("id") == self._next_id:
                if "error" in data:
                    raise BrowserError(f"{method}: {data['error']}")
                result, got_result = data.get("result"), True
            elif wait_event and data.get("method") == wait_event:
                got_event = True
        return result

    def load(self, url: str, width: int, height: int) -> None:
        """Open ``url`` in a ``width`` x ``height`` viewport (a phone below 600 px) and wait for it."""
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        self.send("Page.navigate", {"url": url}, wait_event="Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        """A PNG of the viewport."""
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        return path
