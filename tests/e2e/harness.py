"""The end-to-end harness (issue 17): ports, a TCP proxy to cut a service, a gunicorn server, and journey pages.

Small on purpose, and shared by the browser journeys, the fault tests and the soak (benchmarks/soak.py):
- `free_port()`: a port from E2E_PORTS ("8330-8349") when set, so shared machines keep to their ranges;
  otherwise one the OS picks.
- `TcpProxy`: forwards a local port to a real service (PostgreSQL, Redis, SMTP). `cut()` drops every
  connection and refuses new ones, as a dead server or a network split does; `restore()` listens again on
  the same port. The real service is never touched.
- `SmtpServer`: a loopback mail server that accepts messages, or refuses them all (421) during an outage.
- `gunicorn_server()`: the portal under gunicorn with settings from the environment, until /health/ answers.
- `Journey`: one browser tab of one person: every key page is saved as a screenshot and checked with axe.
"""

from __future__ import annotations

import os
import re
import select
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOT_DIR") or ROOT / "var" / "e2e-screenshots")
# WCAG 2.2 AA, as tests/test_accessibility.py checks; the journeys fail on serious and critical findings.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def free_port() -> int:
    """A free loopback port: from the E2E_PORTS range ("8330-8349") when set, else any the OS gives."""
    wanted = os.environ.get("E2E_PORTS", "")
    candidates = range(int(wanted.split("-")[0]), int(wanted.split("-")[1]) + 1) if wanted else [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError(f"No free port in E2E_PORTS={wanted}")


class TcpProxy:
    """A loopback TCP forwarder in front of `target` (host, port) that a test can cut and restore."""

    def __init__(self, target: tuple[str, int], port: int | None = None) -> None:
        self.target = target
        self.port = port or free_port()
        self._listener: socket.socket | None = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self.connections = 0  # accepted while up: shows that clients really went through the proxy

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> TcpProxy:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        """Refuse new connections and reset the open ones: the service is gone, as far as clients can tell."""
        with self._lock:  # a connection being accepted now is either in _pairs below or closed by _accept
            listener, self._listener = self._listener, None
        if listener is not None:
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def restore(self) -> None:
        self.start()

    close = cut

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.cut()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    client.close()
                    upstream.close()
                    return
                self._pairs.append((client, upstream))
                self.connections += 1
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                readable, _, _ = select.select([a, b], [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for sock in (a, b):
                with suppress(OSError):
                    sock.close()
            with self._lock:
                if (a, b) in self._pairs:
                    self._pairs.remove((a, b))


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: str


class SmtpServer:
    """A loopback SMTP server that accepts every message, or, while `refusing`, answers every connection
    with 421 ("try again later") as a mail server does during an outage. Messages land in `received`."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.refusing = False
        self.refused = 0  # connections turned away
        self.received: list[Received] = []
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                server._converse(self.rfile, self.wfile)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._tcp = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self._tcp.daemon_threads = True

    def to(self, address: str) -> list[Received]:
        return [m for m in self.received if address in m.recipients]

    def __enter__(self) -> SmtpServer:
        threading.Thread(target=self._tcp.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._tcp.shutdown()
        self._tcp.server_close()

    def _converse(self, rfile: Any, wfile: Any) -> None:
        def say(line: str) -> None:
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        if self.refusing:
            self.refused += 1
            say("421 4.3.2 Service not available, try again later")
            return
        say("220 localhost test SMTP")
        sender, recipients = "", list[str]()
        while line := rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                say("250 localhost")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip().strip("<>").split(">")[0], []
                say("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>").split(">")[0])
                say("250 OK")
            elif verb == "DATA":
                say("354 End data with <CR><LF>.<CR><LF>")
                body = []
                while (chunk := rfile.readline()) and chunk not in (b".\r\n", b".\n"):
                    body.append(chunk.decode(errors="replace"))
                self.received.append(Received(sender, recipients, "".join(body)))
                say("250 OK: queued")
            elif verb == "QUIT":
                say("221 Bye")
                return
            else:  # RSET, NOOP
                say("250 OK")


@dataclass
class Server:
    """A running gunicorn: its base URL, process and log file."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def rss_mb(self) -> dict[int, float]:
        """Resident memory of each worker, in MB (from /proc)."""
        sizes = {}
        for pid in self.worker_pids():
            with suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                match = re.search(r"VmRSS:\s+(\d+) kB", status)
                if match:
                    sizes[pid] = int(match.group(1)) / 1024
        return sizes


@contextmanager
def gunicorn_server(
    env: Mapping[str, str],
    *,
    workers: int = 2,
    threads: int = 4,
    keep_alive: int = 2,
    log: Path | None = None,
    port: int | None = None,
) -> Iterator[Server]:
    """The portal under gunicorn with `env` as its settings, stopped on exit; waits until /health/ answers."""
    port = port or free_port()
    log = log or ROOT / "var" / f"gunicorn-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "academy.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--timeout=60",
        f"--keep-alive={keep_alive}",
        "--graceful-timeout=5",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(server.url + "/health/", timeout=10) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /health/ within 90 s: {log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _known_govuk_reveal(violation: dict[str, Any], node: dict[str, Any]) -> bool:
    """GOV.UK Frontend's conditional reveal puts aria-expanded on its radio or checkbox on purpose: screen readers
    announce it, and the Design System keeps it after research (alphagov/govuk-frontend#979, a known issue)."""
    return (
        violation["id"] == "aria-allowed-attr"
        and ("govuk-radios__input" in node["html"] or "govuk-checkboxes__input" in node["html"])
        and "aria-expanded" in node.get("failureSummary", "")
        and "aria-controls" not in node.get("failureSummary", "")
    )


def axe_blocking(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG 2.2 AA violations on the page as it is now (bar GOV.UK's known one)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    blocking = []
    for violation in results.response["violations"]:
        nodes = [node for node in violation["nodes"] if not _known_govuk_reveal(violation, node)]
        if violation.get("impact") in BLOCKING_IMPACTS and nodes:
            blocking.append({**violation, "nodes": nodes})
    return blocking


def axe_summary(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )


@dataclass
class Journey:
    """One person's browser tab in a journey named `name`.

    `step("what")` saves the page as the next screenshot (E2E_SCREENSHOT_DIR, default var/e2e-screenshots,
    /<name>/NN-<what>.png; CI keeps the folder), fails on serious or critical axe findings and, in a narrow
    window, on horizontal scrolling. `fill`, `check` and `press` act as a mouse user would, or, with
    `keyboard_only`, with Tab, arrows, Space and Enter alone (never a click): a control that cannot be
    reached by Tab fails the journey.
    """

    name: str
    page: Any
    base_url: str
    keyboard_only: bool = False
    steps: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return SCREENSHOTS / self.name

    @property
    def main(self) -> Any:
        """The page's main content (links there, not the same ones in the header)."""
        return self.page.locator("main")

    def go(self, path: str) -> None:
        """Open a page by its address, as typing it or following a link in an email does."""
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, (path, response and response.status)

    def step(self, what: str) -> None:
        """Save the current page as the next screenshot, and check it (axe; no sideways scrolling when narrow)."""
        self.page.wait_for_load_state("load")
        self.steps.append(what)
        self.visited.append(self.page.url)
        self.folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
        self.page.screenshot(path=str(self.folder / f"{len(self.steps):02d}-{slug}.png"), full_page=True)
        if os.environ.get("E2E_SAVE_HTML"):
            (self.folder / f"{len(self.steps):02d}-{slug}.html").write_text(self.page.content())
        width = self.page.viewport_size["width"]
        if width < 400:
            scroll_width = self.page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{self.page.url} ({what}) scrolls sideways: {scroll_width}px in {width}px"
        blocking = axe_blocking(self.page)
        assert not blocking, f"axe on {self.page.url} ({what}):\n{axe_summary(blocking)}"

    def fill(self, target: Any, text: str) -> None:
        if self.keyboard_only:
            self._tab_to(target)
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.type(text)
        else:
            target.fill(text)

    def check(self, target: Any) -> None:
        """Select a radio or tick a checkbox."""
        if self.keyboard_only:
            self._tab_to(target)
            if not target.is_checked():
                self.page.keyboard.press("Space")
            assert target.is_checked()
        else:
            target.check()

    def select(self, target: Any, label: str) -> None:
        """Choose an option of a drop-down by its words."""
        if not self.keyboard_only:
            target.select_option(label=label)
            return
        self._tab_to(target)
        for _ in range(50):
            if target.evaluate("el => el.options[el.selectedIndex].text.trim()") == label:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{label!r} not reached with the arrow keys in {target}")

    def choose_first(self, legend: str) -> None:
        """Select the first answer of the radios under `legend`."""
        self.check(self.page.get_by_role("group", name=legend).get_by_role("radio").first)

    def press(self, target: Any) -> None:
        """Follow a link or press a button, then wait for the next page."""
        if self.keyboard_only:
            self._tab_to(target)
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
        else:
            with self.page.expect_navigation():
                target.click()

    def _tab_to(self, target: Any, limit: int = 250) -> None:
        """Move the focus to `target` with Tab (arrows within its radio group), as a keyboard user does."""
        target.wait_for(state="visible")
        is_focused = "el => el === document.activeElement"
        for _ in range(limit):
            if target.evaluate(is_focused):
                return
            same_group = target.evaluate(
                "el => { const a = document.activeElement; return el.type === 'radio' && a && a.type === 'radio'"
                " && a.name === el.name && a.form === el.form; }"
            )
            self.page.keyboard.press("ArrowDown" if same_group else "Tab")
        raise AssertionError(f"{self.page.url}: {target} not reached with {limit} presses of Tab")

    def failed(self) -> Path:
        """Save the page as it was when the test failed (a screenshot and its HTML); returns the screenshot."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"FAILED-after-{len(self.steps):02d}.png"
        with suppress(Exception):
            self.page.screenshot(path=str(path), full_page=True)
            path.with_suffix(".html").write_text(self.page.content())
        return path
