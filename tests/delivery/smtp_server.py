"""A real SMTP server on loopback (aiosmtpd) for the delivery tests, told how to answer.

`Mailbox.data_replies` are answered to the DATA commands in order (then 250): a "451"
first makes the client's first try fail as a busy server would. `refuse` lists the
recipients answered 550 (or `refuse_code`). With `password`, the server requires a login
as `username` (AUTH PLAIN/LOGIN, allowed without TLS on loopback for the tests).
"""

from __future__ import annotations

import email
import email.policy
import socket
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Mailbox:
    data_replies: list[str] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    refuse_code: str = "550 5.1.1 no such mailbox"
    username: str | None = None
    password: str | None = None
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    data_attempts: int = 0
    logins: list[tuple[str, bool]] = field(default_factory=list)
    port: int = 0

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse_code
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.data_attempts += 1
        if self.data_replies:
            return self.data_replies.pop(0)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = (
            auth_data.login.decode() == self.username
            and auth_data.password.decode() == self.password
        )
        self.logins.append((auth_data.login.decode(), ok))
        return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(mailbox: Mailbox | None = None) -> Iterator[Mailbox]:
    """Serve `mailbox` on 127.0.0.1 for the duration of the block."""
    mailbox = mailbox or Mailbox()
    mailbox.port = free_port()
    options = {}
    if mailbox.password is not None:
        options = {
            "authenticator": mailbox.authenticate,
            "auth_required": True,
            "auth_require_tls": False,
        }
    with warnings.catch_warnings():
        # login without TLS: only ever on loopback, in these tests
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port, **options)
        controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
