"""Send the brief by e-mail: the PDF (and its findings JSON) attached, the summary as text.

smtplib and email.message are the standard library's SMTP client and MIME builder. What
can go wrong is sorted into what may pass by itself (the server unreachable, a timeout,
a 4xx reply: `DeliveryError(transient=True)`, retried by the flow) and what will not
(a refused login, a refused recipient, a 5xx reply, a file too large: not retried, the
run fails at once). Either way the run fails visibly; a brief is never silently unsent.

Recipients are people: the log and errors show their addresses masked (`d***@example.com`),
and the password never leaves `smtplib.SMTP.login`.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flows.delivery import DeliveryError
from flows.delivery.settings import MailSettings, smtp_password

log = logging.getLogger(__name__)

MEDIA_TYPES = {".pdf": ("application", "pdf"), ".json": ("application", "json")}


def mask(address: str) -> str:
    """'direction@example.com' -> 'd***@example.com' (logs and errors only)."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def compose(
    mail: MailSettings, subject: str, body: str, attachments: Sequence[Path]
) -> EmailMessage:
    """The message: `body` as UTF-8 text, each attachment with its media type."""
    total = sum(path.stat().st_size for path in attachments)
    if total > mail.max_attachment_mb * 1024 * 1024:
        raise DeliveryError(
            f"the attachments weigh {total / 1024 / 1024:.1f} MB, more than max_attachment_mb "
            f"({mail.max_attachment_mb} MB) in delivery.yaml: raise it if your server accepts it."
        )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail.sender
    message["To"] = ", ".join(mail.to)
    if mail.cc:
        message["Cc"] = ", ".join(mail.cc)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=mail.sender.partition("@")[2])
    message.set_content(body)
    for path in attachments:
        maintype, subtype = MEDIA_TYPES.get(path.suffix, ("application", "octet-stream"))
        message.add_attachment(
            path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name
        )
    return message


def _connect(mail: MailSettings) -> smtplib.SMTP:
    smtp = mail.smtp
    context = ssl.create_default_context()
    if smtp.security == "ssl":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=context)
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
    if smtp.security == "starttls":
        client.ehlo()
        client.starttls(context=context)
    return client


def send(mail: MailSettings, message: EmailMessage | None) -> None:
    """Send `message` through the server of `mail`; raise DeliveryError on any failure.

    With `message` None, only connect and log in (terrain doctor's check): nothing is sent.
    """
    server = f"{mail.smtp.host}:{mail.smtp.port}"
    password = smtp_password(mail.smtp)
    recipients = [*mail.to, *mail.cc]
    try:
        with _connect(mail) as client:
            if mail.smtp.username:
                client.login(mail.smtp.username, password or "")
            if message is None:
                client.noop()
                return
            refused = client.send_message(message, mail.sender, recipients)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"the SMTP server {server} refused the login '{mail.smtp.username}' "
            f"({exc.smtp_code}): check the user and the password ({mail.smtp.password_env})."
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(
            _refused_message(server, exc.recipients, len(recipients)),
            transient=_all_temporary(exc.recipients),
        ) from None
    except smtplib.SMTPResponseException as exc:
        # 4xx: the server asks to try later; 5xx: it will not take this message
        transient = 400 <= exc.smtp_code < 500
        raise DeliveryError(
            f"the SMTP server {server} answered {exc.smtp_code} "
            f"{exc.smtp_error.decode(errors='replace') if isinstance(exc.smtp_error, bytes) else exc.smtp_error}"
            + (" (temporary: tried again)" if transient else ""),
            transient=transient,
        ) from None
    except (OSError, smtplib.SMTPException) as exc:  # refused, unreachable, timed out, TLS
        raise DeliveryError(
            f"cannot reach the SMTP server {server} ({type(exc).__name__}: {exc}); check "
            "smtp.host, smtp.port and smtp.security in delivery.yaml.",
            transient=True,
        ) from None
    if refused:
        # some recipients got it, others not: the run fails so someone looks
        raise DeliveryError(_refused_message(server, refused, len(recipients)))
    log.info("brief sent to %d recipient(s) through %s", len(recipients), server)


def _all_temporary(refused: dict) -> bool:
    """Every recipient refused with a 4xx code (mailbox busy, greylisting): try later."""
    return bool(refused) and all(400 <= code < 500 for code, _ in refused.values())


def _refused_message(server: str, refused: dict, total: int) -> str:
    details = "; ".join(
        f"{mask(address)}: {code} "
        f"{reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
        for address, (code, reply) in sorted(refused.items())
    )
    return (
        f"the SMTP server {server} refused {len(refused)} of {total} recipient(s): {details}. "
        "Check the addresses in delivery.yaml."
    )
