"""Sending the brief through a real SMTP server on loopback: what arrives, and each way a
send fails (refused login, refused recipient, busy server, nothing listening)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.delivery import DeliveryError
from flows.delivery.mail import compose, mask, send
from flows.delivery.settings import MailSettings

from .smtp_server import Mailbox, free_port, smtp_server

SECRET = "s3cret-Pa55word"


def settings(port: int, **changes) -> MailSettings:
    smtp = {"host": "127.0.0.1", "port": port, "security": "none", "timeout_seconds": 5}
    smtp.update(changes.pop("smtp", {}))
    return MailSettings.model_validate(
        {
            "to": ["direction@example.com", "finance@example.org"],
            "cc": ["ops@example.com"],
            "sender": "terrain@example.com",
            "smtp": smtp,
            **changes,
        }
    )


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    pdf = tmp_path / "brief-2026-10-fr.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    findings = tmp_path / "brief-2026-10.json"
    findings.write_text('{"month": "2026-10", "note": "é"}', encoding="utf-8")
    return [pdf, findings]


def test_the_brief_arrives_with_its_files_and_summary(files: list[Path]) -> None:
    with smtp_server() as box:
        mail = settings(box.port)
        body = "# Atelier · brief stratégique · octobre 2026\n\n1. **Jean brut** : 14 %\n"
        send(mail, compose(mail, "Atelier · brief stratégique · octobre 2026", body, files))
    (message,) = box.received
    assert message["Subject"] == "Atelier · brief stratégique · octobre 2026"
    assert message["To"] == "direction@example.com, finance@example.org"
    assert message["Cc"] == "ops@example.com"
    # every recipient, Cc included, is in the envelope
    assert box.envelopes == [
        ("terrain@example.com", ["direction@example.com", "finance@example.org", "ops@example.com"])
    ]
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == body
    attached = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attached) == {"brief-2026-10-fr.pdf", "brief-2026-10.json"}
    assert attached["brief-2026-10-fr.pdf"].get_content_type() == "application/pdf"
    assert attached["brief-2026-10-fr.pdf"].get_content() == files[0].read_bytes()
    assert attached["brief-2026-10.json"].get_content_type() == "application/json"


def test_a_login_with_the_password_from_the_environment(
    files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERRAIN_TEST_SMTP_PASSWORD", SECRET)
    with smtp_server(Mailbox(username="terrain", password=SECRET)) as box:
        mail = settings(
            box.port, smtp={"username": "terrain", "password_env": "TERRAIN_TEST_SMTP_PASSWORD"}
        )
        send(mail, compose(mail, "subject", "body", files))
    assert box.logins == [("terrain", True)]
    assert len(box.received) == 1


def test_a_refused_login_is_not_retried_and_never_shows_the_password(
    files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERRAIN_TEST_SMTP_PASSWORD", "wrong-" + SECRET)
    with smtp_server(Mailbox(username="terrain", password=SECRET)) as box:
        mail = settings(
            box.port, smtp={"username": "terrain", "password_env": "TERRAIN_TEST_SMTP_PASSWORD"}
        )
        with pytest.raises(DeliveryError) as raised:
            send(mail, compose(mail, "subject", "body", files))
    assert not raised.value.transient
    assert "refused the login 'terrain'" in str(raised.value)
    assert SECRET not in str(raised.value) and "TERRAIN_TEST_SMTP_PASSWORD" in str(raised.value)
    assert box.received == []


def test_a_login_without_a_password_fails_before_connecting(
    files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TERRAIN_TEST_SMTP_PASSWORD", raising=False)
    mail = settings(
        free_port(), smtp={"username": "terrain", "password_env": "TERRAIN_TEST_SMTP_PASSWORD"}
    )
    with pytest.raises(DeliveryError, match="needs a password: set the environment variable"):
        send(mail, compose(mail, "subject", "body", files))


def test_a_refused_recipient_fails_the_send_with_the_address_masked(files: list[Path]) -> None:
    with smtp_server(Mailbox(refuse={"finance@example.org"})) as box:
        mail = settings(box.port)
        with pytest.raises(DeliveryError) as raised:
            send(mail, compose(mail, "subject", "body", files))
    message = str(raised.value)
    assert "refused 1 of 3 recipient(s): f***@example.org: 550" in message
    assert "finance@example.org" not in message
    assert not raised.value.transient
    # the others did receive it: the failure says so rather than hiding a partial send
    assert box.envelopes == [("terrain@example.com", ["direction@example.com", "ops@example.com"])]


def test_every_recipient_refused_for_now_may_pass(files: list[Path]) -> None:
    refused = {"direction@example.com", "finance@example.org", "ops@example.com"}
    with smtp_server(Mailbox(refuse=refused, refuse_code="450 4.2.0 mailbox busy")) as box:
        mail = settings(box.port)
        with pytest.raises(DeliveryError) as raised:
            send(mail, compose(mail, "subject", "body", files))
    assert raised.value.transient
    assert "refused 3 of 3" in str(raised.value)


def test_a_busy_server_is_transient_a_refusing_one_is_not(files: list[Path]) -> None:
    with smtp_server(Mailbox(data_replies=["451 4.3.0 try again later"])) as box:
        mail = settings(box.port)
        with pytest.raises(DeliveryError) as busy:
            send(mail, compose(mail, "subject", "body", files))
        # the next try goes through
        send(mail, compose(mail, "subject", "body", files))
    assert busy.value.transient and "451" in str(busy.value)
    assert box.data_attempts == 2 and len(box.received) == 1
    with smtp_server(Mailbox(data_replies=["554 5.6.0 message refused"])) as box:
        mail = settings(box.port)
        with pytest.raises(DeliveryError) as refused:
            send(mail, compose(mail, "subject", "body", files))
    assert not refused.value.transient and "554" in str(refused.value)


def test_nothing_listening_is_transient_and_names_the_server(files: list[Path]) -> None:
    port = free_port()
    mail = settings(port)
    with pytest.raises(DeliveryError) as raised:
        send(mail, compose(mail, "subject", "body", files))
    assert raised.value.transient
    assert f"cannot reach the SMTP server 127.0.0.1:{port}" in str(raised.value)


def test_starttls_against_a_server_without_it_fails_clearly(files: list[Path]) -> None:
    with smtp_server() as box:
        mail = settings(box.port, smtp={"security": "starttls"})
        with pytest.raises(DeliveryError, match="STARTTLS|starttls"):
            send(mail, compose(mail, "subject", "body", files))
    assert box.received == []


def test_attachments_over_the_limit_are_refused_before_sending(files: list[Path]) -> None:
    mail = settings(free_port(), max_attachment_mb=0.001)
    with pytest.raises(DeliveryError, match="more than max_attachment_mb"):
        compose(mail, "subject", "body", files)


def test_mask_keeps_the_domain_only() -> None:
    assert mask("direction@example.com") == "d***@example.com"
