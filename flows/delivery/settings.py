"""`delivery.yaml`: who receives the brief and through which SMTP server.

The file sits beside the warehouse by default (`warehouse/delivery.yaml`, or
$TERRAIN_DELIVERY). Without it nothing is sent: asking for a delivery then fails.
The SMTP password is never written in it: the file names where to find it, an
environment variable (`password_env`, by default TERRAIN_SMTP_PASSWORD) or a Prefect
Secret block (`password_block`), so the secret stays in the worker's environment or in
Prefect's secret store.

    mail:
      to: [direction@example.com]
      sender: terrain@example.com
      smtp:
        host: smtp.example.com
        port: 587
        security: starttls        # starttls (default), ssl or none (loopback relays only)
        username: terrain
        password_env: TERRAIN_SMTP_PASSWORD
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from flows.delivery import DeliveryError
from flows.settings import WAREHOUSE_DIR, env_path
from flows.yaml_config import Problem, Wording, problem, read_document, validate

DEFAULT_DELIVERY_FILE = WAREHOUSE_DIR / "delivery.yaml"
DEFAULT_PASSWORD_ENV = "TERRAIN_SMTP_PASSWORD"

# One address, without display name: enough to refuse a typo, not a full RFC 5322 parser
# (the SMTP server has the last word, and a refused recipient fails the delivery).
ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def _address(value: str) -> str:
    if not ADDRESS.match(value):
        raise problem(f"'{value}' is not an e-mail address (name@domain.tld).")
    return value


Address = Annotated[str, AfterValidator(_address)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SmtpSettings(_Model):
    """The SMTP server the brief is sent through."""

    host: str = Field(min_length=1, description="Server name or address.")
    port: int = Field(587, ge=1, le=65535, description="587 (STARTTLS), 465 (SSL), 25.")
    security: Literal["starttls", "ssl", "none"] = Field(
        "starttls",
        description="starttls: upgrade the connection; ssl: TLS from the start; none: "
        "plain text, only for a relay on the same machine.",
    )
    username: str | None = Field(None, description="Login; none for a relay without login.")
    password_env: str = Field(
        DEFAULT_PASSWORD_ENV, description="Environment variable holding the password."
    )
    password_block: str | None = Field(
        None, description="Prefect Secret block holding the password (when the variable is unset)."
    )
    timeout_seconds: float = Field(30, gt=0, description="Per network operation.")


class MailSettings(_Model):
    """Who receives the brief, and how often a failed send is tried again."""

    to: list[Address] = Field(min_length=1, description="Recipients.")
    cc: list[Address] = Field(default_factory=list)
    sender: Address = Field(description="The From address.")
    reply_to: Address | None = None
    smtp: SmtpSettings
    attach_json: bool = Field(True, description="Attach the findings JSON beside the PDF.")
    max_attachment_mb: float = Field(
        20, gt=0, description="Refuse to send more than this (most servers refuse 25 MB)."
    )
    retries: int = Field(
        3, ge=0, le=10, description="Tries after the first, on errors that may pass."
    )
    retry_delay_seconds: float = Field(60, ge=0)


class DeliveryFile(_Model):
    mail: MailSettings


_WORDING = Wording(
    expected_mapping="expected a mapping of keys to values.",
    duplicate_key="this key appears twice.",
    unknown_key=lambda key, allowed: f"unknown key '{key}'; expected one of: {', '.join(allowed)}.",
    missing_key=lambda key: f"missing key '{key}'.",
)


@dataclass(frozen=True)
class Delivery:
    """The delivery settings of one file."""

    path: Path
    mail: MailSettings


def delivery_path() -> Path:
    """$TERRAIN_DELIVERY, or warehouse/delivery.yaml."""
    return env_path("TERRAIN_DELIVERY", DEFAULT_DELIVERY_FILE)


def load_delivery(path: Path | None = None) -> Delivery | None:
    """The settings of `path` (default: delivery_path()); None when the file does not exist."""
    path = Path(path) if path else delivery_path()
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DeliveryError(f"{path}: cannot be read ({exc}).") from exc
    return parse_delivery(text, path)


def parse_delivery(text: str, path: Path) -> Delivery:
    try:
        document = read_document(text, typed_scalars=True)
    except yaml.YAMLError as exc:
        raise DeliveryError(f"{path}: not valid YAML: {exc}") from exc
    if document is None:
        raise DeliveryError(f"{path}: the file is empty; it needs a 'mail' block (see README).")
    spec, problems = validate(DeliveryFile, document, _WORDING)
    if spec is None:
        raise DeliveryError("\n".join(_describe(path, found) for found in problems))
    return Delivery(path=path, mail=spec.mail)


def _describe(path: Path, found: Problem) -> str:
    return f"{path}, line {found.line}, key '{found.path or 'top level'}': {found.message}"


def smtp_password(smtp: SmtpSettings) -> str | None:
    """The password for `smtp.username`: its environment variable, else its Prefect Secret
    block; None when there is no login. Never logged."""
    if smtp.username is None:
        return None
    password = os.environ.get(smtp.password_env)
    if password:
        return password
    if smtp.password_block:
        from prefect.blocks.system import Secret

        try:
            return Secret.load(smtp.password_block).get()
        except ValueError as exc:  # Prefect's "block not found"
            raise DeliveryError(
                f"the SMTP password: no Prefect Secret block named '{smtp.password_block}' "
                f"({exc}); create it (prefect block create secret) or set {smtp.password_env}."
            ) from exc
    raise DeliveryError(
        f"the SMTP login '{smtp.username}' needs a password: set the environment variable "
        f"{smtp.password_env} for the process that sends the brief"
        + (
            f", or the Prefect Secret block '{smtp.password_block}'."
            if smtp.password_block
            else "."
        )
    )
