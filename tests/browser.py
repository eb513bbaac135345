"""Headless Chromium for the page tests and the viz benchmark, driven with the standard library only.

`find_chromium()` returns Debian's /usr/bin/chromium (or $PLANGRAPH_CHROMIUM, or chromium on PATH); when
it is missing and we run as root with apt-get, it installs the `chromium` package (running
`apt-get update` first if the package is unknown).  `Browser` starts it with --remote-debugging-pipe and
speaks the Chrome DevTools Protocol over that pipe (JSON messages separated by NUL bytes on fds 3/4),
so no websocket client, Selenium or Playwright is needed.
"""
from __future__ import annotations

import base64
import fcntl
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--no-default-browser-check", "--remote-debugging-pipe")

_why_missing = ""


def _which() -> str | None:
    env = os.environ.get("PLANGRAPH_CHROMIUM")
    if env and os.access(env, os.X_OK):
        return env
    for name in CANDIDATES:
        p = shutil.which(name)
        if p:
            return p
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def find_chromium(install: bool = True) -> str | None:
    """Path of a Chromium binary, installing Debian's package when possible; None (see `why_missing()`)
    when there is none and it cannot be installed."""
    global _why_missing
    path = _which()
    if path or not install:
        _why_missing = "" if path else "chromium not found"
        return path
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        _why_missing = ("chromium not found and cannot be installed here (needs root and apt-get): "
                        "install it with `apt-get install -y chromium` or set PLANGRAPH_CHROMIUM")
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log = []
    for step in (["apt-get", "install", "-y", "-q", "chromium"],
                 ["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
        if step[1] == "update" and _which():
            break
        try:
            r = subprocess.run(step, env=env, capture_output=True, text=True, timeout=900)
            log.append(f"$ {' '.join(step)} -> {r.returncode}: {r.stderr.strip()[-300:]}")
        except (OSError, subprocess.TimeoutExpired) as e:
            log.append(f"$ {' '.join(step)} -> {e}")
        if step[1] == "install" and _which():
            break
    path = _which()
    _why_missing = "" if path else "chromium could not be installed:\n" + "\n".join(log)
    return path


def why_missing() -> str:
    return _why_missing


class CDPError(RuntimeError):
    pass


class _Page:
    """What both drivers share: polling the page."""

    def wait_for(self, expression: str, timeout: float = 20, interval: float = 0.02):
        """Poll until `expression` is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            v = self.eval(expression)
            if v:
                return v
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout}s for {expression}")
            time.sleep(interval)


class Browser(_Page):
    """One headless Chromium with one page.  `with Browser() as b: b.goto(url); b.eval("1+1")`."""

    def __init__(self, executable: str | None = None, width: int = 1400, height: int = 900, timeout: float = 30):
        exe = executable or find_chromium()
        if not exe:
            raise FileNotFoundError(why_missing() or "chromium not found")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="plangraph-chromium-")
        # Our ends: we write to `w_cmd`, Chromium reads fd 3; Chromium writes fd 4, we read `r_evt`.
        r_cmd, w_cmd = os.pipe()
        r_evt, w_evt = os.pipe()
        # Move the child's ends above 3/4 (close-on-exec), then dup2 them onto 3 and 4 in the child: dup2'd
        # descriptors are inheritable, everything else Python opened is not (PEP 446), so close_fds=False
        # passes exactly these two.
        hi_r = fcntl.fcntl(r_cmd, fcntl.F_DUPFD_CLOEXEC, 100)
        hi_w = fcntl.fcntl(w_evt, fcntl.F_DUPFD_CLOEXEC, 100)

        def child_fds():
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        args = [exe, *FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"]
        try:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, preexec_fn=child_fds, close_fds=False)
        finally:
            for fd in (r_cmd, w_evt, hi_r, hi_w):
                os.close(fd)
        self._out = os.fdopen(w_cmd, "wb", buffering=0)
        self._in = os.fdopen(r_evt, "rb", buffering=0)
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._replies: dict[int, dict] = {}
        self.events: list[dict] = []
        self._closed = False
        self._stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self._stderr.extend(self.proc.stderr), daemon=True).start()
        self.width, self.height = width, height
        self.session = None
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    # -- protocol ------------------------------------------------------------------------------------
    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = self._in.read(65536)
            except OSError:
                chunk = b""
            if not chunk:
                with self._lock:
                    self._closed = True
                    self._lock.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                with self._lock:
                    if "id" in msg:
                        self._replies[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                    self._lock.notify_all()

    def send(self, method: str, timeout: float | None = None, **params) -> dict:
        i = next(self._ids)
        msg = {"id": i, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            msg["sessionId"] = self.session
        self._out.write(json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._lock:
            while i not in self._replies:
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    err = b"".join(self._stderr).decode(errors="replace")[-2000:]
                    raise CDPError(f"{method}: {'browser closed' if self._closed else 'timed out'}\n{err}")
                self._lock.wait(left)
            reply = self._replies.pop(i)
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    # -- page helpers --------------------------------------------------------------------------------
    def eval(self, expression: str, timeout: float | None = None):
        """Evaluate a JavaScript expression in the page and return its value (JSON-able)."""
        r = self.send("Runtime.evaluate", timeout=timeout, expression=expression, returnByValue=True,
                      awaitPromise=True)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CDPError(f"JS error: {d.get('exception', {}).get('description') or d.get('text')}")
        return r.get("result", {}).get("value")

    def add_init_script(self, source: str) -> None:
        """Run `source` in every new document before its own scripts."""
        self.send("Page.addScriptToEvaluateOnNewDocument", source=source)

    def goto(self, url: str) -> None:
        self.events.clear()
        r = self.send("Page.navigate", url=url)
        if r.get("errorText"):
            raise CDPError(f"cannot open {url}: {r['errorText']}")

    def click(self, x: float, y: float) -> None:
        for kind, buttons in (("mouseMoved", 0), ("mousePressed", 1), ("mouseReleased", 0)):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left" if kind != "mouseMoved" else "none",
                      buttons=buttons, clickCount=1 if kind != "mouseMoved" else 0)

    def type_text(self, text: str) -> None:
        self.send("Input.insertText", text=text)

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def requests(self) -> list[str]:
        """URLs the page asked for since the last goto()."""
        with self._lock:
            return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def exceptions(self) -> list[str]:
        with self._lock:
            return [e["params"]["exceptionDetails"].get("exception", {}).get("description")
                    or e["params"]["exceptionDetails"].get("text", "")
                    for e in self.events if e.get("method") == "Runtime.exceptionThrown"]

    def dialogs(self) -> list[str]:
        with self._lock:
            return [e["params"].get("message", "") for e in self.events
                    if e.get("method") == "Page.javascriptDialogOpening"]

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self._out.write(json.dumps({"id": next(self._ids), "method": "Browser.close"}).encode() + b"\0")
                except OSError:
                    pass
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=5)
        finally:
            for f in (self._out, self._in):
                try:
                    f.close()
                except OSError:
                    pass
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Firefox(_Page):
    """Headless Firefox driven over Marionette (its own protocol: "length:JSON" frames on a TCP port), with the
    subset of `Browser`'s API the page tests use: goto, eval, wait_for, screenshot, close."""

    def __init__(self, executable: str | None = None, width: int = 1400, height: int = 900, timeout: float = 60):
        import socket
        exe = executable or shutil.which("firefox") or shutil.which("firefox-esr")
        if not exe:
            raise FileNotFoundError("firefox not found (apt-get install firefox-esr)")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="plangraph-firefox-")
        Path(self.profile, "user.js").write_text(
            'user_pref("marionette.port", 0);\n'                       # any free port, written to the profile
            'user_pref("browser.shell.checkDefaultBrowser", false);\n'
            'user_pref("datareporting.policy.dataSubmissionEnabled", false);\n'
            'user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);\n'
            'user_pref("app.update.disabledForTesting", true);\n'
            'user_pref("network.captive-portal-service.enabled", false);\n'
            'user_pref("browser.safebrowsing.update.enabled", false);\n', encoding="utf-8")
        env = {**os.environ, "MOZ_HEADLESS_WIDTH": str(width), "MOZ_HEADLESS_HEIGHT": str(height)}
        self.proc = subprocess.Popen([exe, "--headless", "--marionette", "--no-remote", "--profile", self.profile],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env=env)
        port_file = Path(self.profile, "MarionetteActivePort")
        deadline = time.monotonic() + timeout
        while not (port_file.is_file() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise CDPError("firefox did not start Marionette")
            time.sleep(0.1)
        self.sock = socket.create_connection(("127.0.0.1", int(port_file.read_text().strip())), timeout=timeout)
        self._buf = b""
        self._ids = itertools.count(1)
        self._recv()                                                     # the server's hello
        self.send("WebDriver:NewSession", capabilities={"alwaysMatch": {"acceptInsecureCerts": True}})
        self.send("WebDriver:SetWindowRect", width=width, height=height)

    def _recv(self):
        while True:
            head, sep, rest = self._buf.partition(b":")
            if sep and len(rest) >= int(head):
                n = int(head)
                msg, self._buf = rest[:n], rest[n:]
                return json.loads(msg)
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise CDPError("firefox closed the connection")
            self._buf += chunk

    def send(self, command: str, **params):
        i = next(self._ids)
        data = json.dumps([0, i, command, params]).encode()
        self.sock.sendall(str(len(data)).encode() + b":" + data)
        while True:
            msg = self._recv()
            if msg[0] == 1 and msg[1] == i:
                if msg[2]:
                    raise CDPError(f"{command}: {msg[2]}")
                return msg[3]

    def goto(self, url: str) -> None:
        self.send("WebDriver:Navigate", url=url)

    def eval(self, expression: str, timeout: float | None = None):
        return self.send("WebDriver:ExecuteScript", script=f"return ({expression});", args=[]).get("value")

    def screenshot(self, path: Path) -> Path:
        data = self.send("WebDriver:TakeScreenshot", full=False)["value"]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            if getattr(self, "sock", None):
                try:
                    self.send("Marionette:Quit")
                except (OSError, CDPError):
                    pass
                self.sock.close()
            if self.proc.poll() is None:
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=5)
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Firefox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
