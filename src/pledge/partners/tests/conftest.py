from decimal import Decimal

import pytest

from pledge.partners import hooks, loader

BOTH = ["default", "vault"]


@pytest.fixture(autouse=True)
def fresh_adapters(isolated_runtime):
    """Each test loads adapters from its own settings and environment."""
    loader.reset()
    yield
    loader.reset()


@pytest.fixture
def payment_events():
    """What the shop's on_payment_status handler would have been told."""
    events = []

    def handler(*, order_reference: str, payment_id: str, status: str, amount: Decimal):
        events.append((order_reference, payment_id, status, amount))

    hooks.on_payment_status(handler)
    yield events
    hooks.disconnect(handler)


@pytest.fixture
def shipment_events():
    events = []

    def handler(*, order_reference: str, status: str, tracking_code: str):
        events.append((order_reference, status, tracking_code))

    hooks.on_shipment_status(handler)
    yield events
    hooks.disconnect(handler)


class PartnerServer:
    """A real HTTP server on 127.0.0.1 standing in for a partner: records what it received and
    answers with the queued status codes (200 once the queue is empty)."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.received: list[tuple[str, dict, bytes]] = []
        self.answers: list[tuple[int, dict]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                server.received.append((self.path, dict(self.headers), self.rfile.read(length)))
                status, headers = server.answers.pop(0) if server.answers else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # the test server's own log stays quiet
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str = "/pledge") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def partner_server():
    server = PartnerServer()
    yield server
    server.stop()


PARTNER_SECRET = "s3cr3t-" + "k" * 40


@pytest.fixture
def webhook_partners(settings, partner_server):
    """postnl, print_supplier and kiyoh configured with the webhook adapter at the test server."""
    options = {"url": partner_server.url(), "secret": PARTNER_SECRET}
    settings.PLEDGE_PARTNERS = {
        recipient: {"ADAPTER": "webhook", "OPTIONS": dict(options)}
        for recipient in ("postnl", "print_supplier", "kiyoh")
    }
    return partner_server
