"""The brief flow on the demo warehouse: the PDF e-mailed through a real SMTP server on
loopback (a busy server tried again, a refusing one failing the run), and the run's
Prefect artifacts read back from the Prefect API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prefect.artifacts import Artifact
from prefect.blocks.system import Secret

from flows.delivery import DeliveryError
from flows.delivery.artifacts import FILES_KEY, PDF_KEY, SUMMARY_KEY
from flows.delivery.settings import smtp_password
from flows.pipeline import brief_flow

from .smtp_server import Mailbox, smtp_server


def delivery_file(folder: Path, port: int, retries: int = 2) -> Path:
    path = folder / "delivery.yaml"
    path.write_text(
        f"""\
mail:
  to: [direction@example.com]
  sender: terrain@example.com
  retries: {retries}
  retry_delay_seconds: 0
  smtp:
    host: 127.0.0.1
    port: {port}
    security: none
    timeout_seconds: 10
""",
        encoding="utf-8",
    )
    return path


def run_brief(demo_run, out: Path, send: bool | None) -> list[str]:
    return brief_flow(
        month=demo_run.result.last_complete_month,
        warehouse=str(demo_run.warehouse),
        out_dir=str(out),
        send=send,
    )


def test_a_busy_server_is_tried_again_and_the_brief_arrives(
    demo_run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server(Mailbox(data_replies=["451 4.3.0 busy, try later"])) as box:
        monkeypatch.setenv("TERRAIN_DELIVERY", str(delivery_file(tmp_path, box.port)))
        pdf, findings_path = (Path(p) for p in run_brief(demo_run, tmp_path / "out", send=True))
    assert box.data_attempts == 2
    (message,) = box.received
    findings = json.loads(findings_path.read_text(encoding="utf-8"))
    assert findings["company"]["name"] in message["Subject"]
    attached = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert attached == {pdf.name: pdf.read_bytes(), findings_path.name: findings_path.read_bytes()}
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    # the summary names each finding at a glance, in the brief's language
    assert body.count("\n1. **") == 1 and len(findings["at_a_glance"]) >= 3
    for item in findings["at_a_glance"]:
        assert f"\n{item['rank']}. **" in body
    assert "L'essentiel du mois" in body and f"{pdf.name}, {findings_path.name}" in body

    # the same run published its summary and the PDF's place as artifacts
    summary = Artifact.get(SUMMARY_KEY)
    assert summary is not None and summary.data == body
    link = Artifact.get(PDF_KEY)
    assert link is not None and pdf.resolve().as_uri() in str(link.data)


def test_a_refusing_server_fails_the_run_and_keeps_the_brief(
    demo_run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server(Mailbox(data_replies=["554 5.7.1 rejected"] * 3)) as box:
        monkeypatch.setenv("TERRAIN_DELIVERY", str(delivery_file(tmp_path, box.port)))
        with pytest.raises(DeliveryError, match="answered 554"):
            run_brief(demo_run, tmp_path / "out", send=True)
    assert box.data_attempts == 1  # a permanent refusal is not tried again
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        f"brief-{demo_run.findings['month']}-fr.pdf",
        f"brief-{demo_run.findings['month']}.json",
    ]


def test_asking_to_send_without_settings_fails_before_rendering(
    demo_run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERRAIN_DELIVERY", str(tmp_path / "absent.yaml"))
    with pytest.raises(DeliveryError, match="no delivery settings at .*absent.yaml"):
        run_brief(demo_run, tmp_path / "out", send=True)
    assert not (tmp_path / "out").exists()
    # the schedule's default: no settings, no mail, the brief is written
    assert len(run_brief(demo_run, tmp_path / "out", send=None)) == 2


def test_the_ingestion_published_its_files_table(demo_run) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    # every ingestion of the session published a version; the demo's is among them
    with get_client(sync_client=True) as client:
        versions = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[FILES_KEY]))
        )
    tables = [json.loads(version.data) for version in versions]
    demo = [
        rows
        for rows in tables
        if {row["file"] for row in rows} >= {"shop/orders.csv", "crm/accounts.csv"}
        and sum(row["rows_loaded"] for row in rows) > 1000
    ]
    assert demo, [sorted(row["file"] for row in rows) for rows in tables]
    for rows in tables:
        for row in rows:
            if row["rows_received"] is not None:  # a file refused unread has no count
                assert row["rows_loaded"] + row["rows_rejected"] == row["rows_received"], row
    assert {row["source"] for row in demo[0]} >= {"shop/orders", "crm/accounts", "support/tickets"}


def test_the_password_from_a_prefect_secret_block(monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.delivery.settings import SmtpSettings

    Secret(value="from-the-block").save("terrain-test-smtp-password", overwrite=True)
    monkeypatch.delenv("TERRAIN_TEST_SMTP_PASSWORD", raising=False)
    smtp = SmtpSettings(
        host="127.0.0.1",
        username="terrain",
        password_env="TERRAIN_TEST_SMTP_PASSWORD",
        password_block="terrain-test-smtp-password",
    )
    assert smtp_password(smtp) == "from-the-block"
    missing = smtp.model_copy(update={"password_block": "no-such-block"})
    with pytest.raises(DeliveryError, match="no Prefect Secret block named 'no-such-block'"):
        smtp_password(missing)
