"""delivery.yaml: every problem reported with its line, the password never in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.delivery import DeliveryError
from flows.delivery.settings import load_delivery, parse_delivery, smtp_password

GOOD = """\
mail:
  to: [direction@example.com]
  sender: terrain@example.com
  smtp:
    host: smtp.example.com
    username: terrain
    password_env: TERRAIN_TEST_SMTP_PASSWORD
"""


def test_a_good_file_with_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "delivery.yaml"
    path.write_text(GOOD, encoding="utf-8")
    delivery = load_delivery(path)
    assert delivery is not None and delivery.path == path
    mail = delivery.mail
    assert mail.to == ["direction@example.com"] and mail.cc == []
    assert (mail.smtp.port, mail.smtp.security, mail.smtp.timeout_seconds) == (587, "starttls", 30)
    assert (mail.retries, mail.retry_delay_seconds, mail.attach_json) == (3, 60, True)


def test_no_file_means_no_delivery(tmp_path: Path) -> None:
    assert load_delivery(tmp_path / "delivery.yaml") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("direction@example.com", "direction.example.com"),
            "line 2, key 'mail.to[0]': 'direction.example.com' is not an e-mail address",
        ),
        (GOOD.replace("  to: [direction@example.com]\n", ""), "key 'mail': missing key 'to'"),
        (GOOD.replace("  to: [direction@example.com]\n", "  to: []\n"), "key 'mail.to'"),
        (
            GOOD + "    password: hunter2\n",
            "line 8, key 'mail.smtp.password': unknown key 'password'",
        ),
        (
            GOOD.replace(
                "    host: smtp.example.com\n", "    host: smtp.example.com\n    security: tls\n"
            ),
            "line 6, key 'mail.smtp.security'",
        ),
        (
            GOOD.replace(
                "    host: smtp.example.com\n", "    host: smtp.example.com\n    port: 70000\n"
            ),
            "line 6, key 'mail.smtp.port'",
        ),
        ("mail:\n  to: [a@b.co]\n  to: [c@d.co]\n", "this key appears twice"),
        ("mail: [\n", "not valid YAML"),
        ("", "the file is empty"),
    ],
)
def test_problems_say_where_and_what(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "delivery.yaml"
    with pytest.raises(DeliveryError) as raised:
        parse_delivery(text, path)
    assert expected in str(raised.value)
    assert str(path) in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_the_password_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    smtp = parse_delivery(GOOD, tmp_path / "delivery.yaml").mail.smtp
    monkeypatch.setenv("TERRAIN_TEST_SMTP_PASSWORD", "from-the-environment")
    assert smtp_password(smtp) == "from-the-environment"
    monkeypatch.delenv("TERRAIN_TEST_SMTP_PASSWORD")
    with pytest.raises(
        DeliveryError, match="set the environment variable TERRAIN_TEST_SMTP_PASSWORD"
    ):
        smtp_password(smtp)
    relay = parse_delivery(GOOD.replace("    username: terrain\n", ""), tmp_path / "d.yaml")
    assert smtp_password(relay.mail.smtp) is None
