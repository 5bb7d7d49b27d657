"""`terrain doctor`'s delivery check: the file, the password (never shown), the server
and the login, against a real SMTP server on loopback; nothing is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import doctor

from .smtp_server import Mailbox, free_port, smtp_server

SECRET = "doctor-Pa55word"


def write(tmp_path: Path, port: int, login: bool = True) -> Path:
    path = tmp_path / "delivery.yaml"
    smtp = f"    host: 127.0.0.1\n    port: {port}\n    security: none\n    timeout_seconds: 5\n"
    if login:
        smtp += "    username: terrain\n    password_env: TERRAIN_TEST_SMTP_PASSWORD\n"
    path.write_text(
        "mail:\n  to: [direction@example.com]\n  sender: terrain@example.com\n  smtp:\n" + smtp,
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def _delivery_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERRAIN_DELIVERY", str(tmp_path / "delivery.yaml"))


def test_a_server_that_accepts_the_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERRAIN_TEST_SMTP_PASSWORD", SECRET)
    with smtp_server(Mailbox(username="terrain", password=SECRET)) as box:
        write(tmp_path, box.port)
        check = doctor.check_delivery()
    assert check.status == doctor.OK, check.line()
    assert "login 'terrain' accepted" in check.detail and SECRET not in check.line()
    assert box.logins == [("terrain", True)] and box.received == []  # nothing sent


def test_a_wrong_password_fails_without_showing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERRAIN_TEST_SMTP_PASSWORD", "wrong-" + SECRET)
    with smtp_server(Mailbox(username="terrain", password=SECRET)) as box:
        write(tmp_path, box.port)
        check = doctor.check_delivery()
    assert check.failed and "refused the login 'terrain'" in check.detail
    assert SECRET not in check.line()


def test_no_server_and_a_bad_file_fail(tmp_path: Path) -> None:
    write(tmp_path, free_port(), login=False)
    check = doctor.check_delivery()
    assert check.failed and "cannot reach the SMTP server" in check.detail
    (tmp_path / "delivery.yaml").write_text("mail:\n  to: [nobody]\n", encoding="utf-8")
    check = doctor.check_delivery()
    assert check.failed and "'nobody' is not an e-mail address" in check.detail


def test_no_file_is_fine() -> None:
    check = doctor.check_delivery()
    assert check.status == doctor.OK and "not e-mailed" in check.detail
