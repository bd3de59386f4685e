"""A fake GOV.UK Notify on loopback: the API the official client speaks, for tests without the network.

POST /v2/notifications/email and /v2/notifications/sms with the client's JWT bearer token (checked
with the service's secret, as Notify does). Replies as Notify documents them: 201 with the
notification's id; 400 ValidationError for a number that is not a UK mobile (or `invalid_numbers`);
429 RateLimitError while `rate_limited` is above zero; 403 AuthError for a bad token.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from notifications_python_client.authentication import decode_jwt_token
from notifications_python_client.errors import TokenError

SERVICE_ID = "3d6b6f7e-8a0c-4a43-9d55-0a1b2c3d4e5f"
SECRET = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
API_KEY = f"academy_test-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE_ID = "f3f0c6d2-1111-4d3a-9a57-2f4b1c0d9e01"
SMS_TEMPLATE_ID = "a7b2e9c4-2222-4b6e-8e1f-7c3d5a9b0f02"
CALLBACK_TOKEN = "receipts-token-" + "x" * 32


@dataclass
class FakeNotifyState:
    requests: list[dict[str, Any]] = field(default_factory=list)
    rate_limited: int = 0  # answer 429 to this many requests
    invalid_numbers: set[str] = field(default_factory=set)
    auth_failures: int = 0  # tokens refused as if the key were revoked


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet in test output
        return

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, error: str, message: str) -> None:
        self._reply(status, {"status_code": status, "errors": [{"error": error, "message": message}]})

    def do_POST(self) -> None:
        state = self.server.state
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        auth = self.headers.get("Authorization", "")
        record = {"path": self.path, "json": body, "authorization": auth}
        state.requests.append(record)
        scheme, _, token = auth.partition(" ")
        try:
            valid = scheme == "Bearer" and bool(token) and decode_jwt_token(token, SECRET)
        except TokenError:
            valid = False
        if not valid or state.auth_failures > 0:
            state.auth_failures = max(state.auth_failures - 1, 0)
            return self._error(403, "AuthError", "Invalid token: API key not found")
        if state.rate_limited > 0:
            state.rate_limited -= 1
            return self._error(
                429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"
            )
        if self.path == "/v2/notifications/sms":
            number = str(body.get("phone_number", ""))
            digits = "".join(ch for ch in number if ch.isdigit())
            if number in state.invalid_numbers or not (digits.startswith("07") or digits.startswith("447")):
                return self._error(400, "ValidationError", "phone_number Not a UK mobile number")
            if body.get("template_id") != SMS_TEMPLATE_ID:
                return self._error(400, "BadRequestError", "Template not found")
            content = {"body": body["personalisation"]["body"], "from_number": "GOVUK"}
        elif self.path == "/v2/notifications/email":
            if "@" not in str(body.get("email_address", "")):
                return self._error(400, "ValidationError", "email_address Not a valid email address")
            if body.get("template_id") != EMAIL_TEMPLATE_ID:
                return self._error(400, "BadRequestError", "Template not found")
            personalisation = body["personalisation"]
            content = {"subject": personalisation["subject"], "body": personalisation["body"], "from_email": "a@b"}
        else:
            return self._error(404, "NotFound", "Not found")
        notification_id = str(uuid.uuid4())
        record["id"] = notification_id
        self._reply(
            201,
            {
                "id": notification_id,
                "reference": body.get("reference"),
                "content": content,
                "uri": f"{self.server.url}/v2/notifications/{notification_id}",
                "template": {"id": body["template_id"], "version": 1, "uri": ""},
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: FakeNotifyState
    url: str


class FakeNotify:
    """Start with `with FakeNotify() as notify:`; `notify.use(settings)` points the portal at it."""

    def __init__(self) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.state = FakeNotifyState()
        self.server.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def state(self) -> FakeNotifyState:
        return self.server.state

    @property
    def url(self) -> str:
        return self.server.url

    def sent(self, kind: str) -> list[dict[str, Any]]:
        """Notifications it accepted, "sms" or "email"."""
        return [r for r in self.state.requests if r["path"] == f"/v2/notifications/{kind}" and "id" in r]

    def use(self, settings: Any) -> None:
        settings.NOTIFICATIONS_BACKEND = "notify"
        settings.NOTIFY_API_KEY = API_KEY
        settings.NOTIFY_BASE_URL = self.url
        settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE_ID
        settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE_ID
        settings.NOTIFY_CALLBACK_TOKEN = CALLBACK_TOKEN

    def __enter__(self) -> FakeNotify:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
