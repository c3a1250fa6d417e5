"""Real receivers for alert tests: an HTTP webhook receiver and an SMTP server, both local.

The webhook receiver behaves like a careful production receiver: it checks the signature, keeps
the ids it has seen and drops repeats, and it counts every post so tests can see duplicates at
the transport level.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from armtrace.alerts.webhook import (
    ALLOW_PRIVATE_ENV,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a killed worker resets its connections: expected here, not worth a traceback


class WebhookReceiver:
    """An HTTP server in a thread that records signed posts and de-duplicates by event id."""

    def __init__(self, secrets: dict[str, str] | None = None, delay: float = 0.0) -> None:
        self.secrets = secrets if secrets is not None else {}  # path -> shared secret
        self.delay = delay
        self.status = 200
        self.lock = threading.Lock()
        self.posts: list[dict[str, Any]] = []  # every post, repeats included
        self.bad_signatures = 0
        # (path, event id) -> monotonic time first received; each path stands for one receiver.
        self.seen: dict[tuple[str, str], float] = {}
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Listen (again) on the same port as before, or a fresh ephemeral one."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if receiver.delay:
                    time.sleep(random.uniform(0, receiver.delay))
                receiver.record(self.path, dict(self.headers), body)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        server = _QuietServer(("127.0.0.1", self.port), Handler)
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Go down: connections are refused until ``start``."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def record(self, path: str, headers: dict[str, str], body: bytes) -> None:
        from armtrace.alerts.webhook import verify_signature

        secret = self.secrets.get(path)
        signed = secret is not None and verify_signature(
            secret, headers.get(TIMESTAMP_HEADER, ""), body, headers.get(SIGNATURE_HEADER, "")
        )
        document = json.loads(body)
        events = document["events"] if document.get("kind") == "digest" else [document]
        with self.lock:
            if not signed:
                self.bad_signatures += 1
            self.posts.append({"path": path, "header_ids": headers.get(EVENT_HEADER), **document})
            if self.status < 300:
                for event in events:
                    self.seen.setdefault((path, event["id"]), time.monotonic())

    @property
    def distinct(self) -> int:
        with self.lock:
            return len(self.seen)

    @property
    def event_posts(self) -> int:
        """Events received counting repeats (a digest counts each event it carries)."""
        with self.lock:
            return sum(len(p["events"]) if p.get("kind") == "digest" else 1 for p in self.posts)


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class _EphemeralController(Controller):
    """aiosmtpd's Controller checks its own port after start; learn the port port 0 gave."""

    def _trigger_server(self) -> None:
        # Controller types its server as AbstractServer; loop.create_server made a Server.
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]  # aiosmtpd leaves it unannotated


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookReceiver]:
    """A webhook receiver on an ephemeral port (on loopback, so internal targets are allowed)."""
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    found = WebhookReceiver()
    yield found
    found.stop()


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A real SMTP server on an ephemeral port, named in ARMTRACE_SMTP_URL."""
    mailbox = Mailbox()
    controller = _EphemeralController(mailbox, hostname="127.0.0.1", port=0)
    controller.start()
    port = controller.port
    monkeypatch.setenv("ARMTRACE_SMTP_URL", f"smtp://127.0.0.1:{port}?from=alerts@example.org")
    yield mailbox
    controller.stop()


def wait_for(condition: Any, timeout: float = 20.0) -> bool:
    """Poll ``condition()`` until true or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


@pytest.fixture
def wait() -> Any:
    """The ``wait_for`` helper, as a fixture (test modules cannot import conftest)."""
    return wait_for


@pytest.fixture
def make_receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A factory for receivers with options (delay), stopped at the end."""
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    made: list[WebhookReceiver] = []

    def make(**options: Any) -> WebhookReceiver:
        found = WebhookReceiver(**options)
        made.append(found)
        return found

    yield make
    for found in made:
        found.stop()
