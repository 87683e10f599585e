"""Settings read from the environment (the contract's variables), with their defaults."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MIN_SECRET_KEY_LENGTH = 16


class WeakSecret(ValueError):
    """``SECRET_KEY`` is too short to sign sessions and emailed links safely."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    smtp_url: str | None
    base_url: str
    mail_from: str = "Referral Network <no-reply@referral.local>"
    reminder_after_hours: float = 24
    expire_after_hours: float = 72
    no_capacity_pause_days: int = 14  # a "no_capacity" decline pauses offers to that colleague this long
    client_retention_days: int = 365
    ratelimit_storage_uri: str = "memory://"

    @classmethod
    def from_env(cls, instance_path: str | Path, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``DATABASE_URL``, ``SECRET_KEY``, ``SMTP_URL``, ``BASE_URL``, the offer periods and
        ``RATELIMIT_STORAGE_URI`` (``redis://host:6379/0``: limits shared by every worker and machine).

        Without ``SECRET_KEY`` a random key is generated once and kept in the instance
        folder, so sessions and links survive restarts.
        """
        env = os.environ if environ is None else environ
        instance = Path(instance_path)
        instance.mkdir(parents=True, exist_ok=True)
        url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'referral.db'}"
        key = env.get("SECRET_KEY") or _kept_secret(instance / "secret_key")
        return cls(
            database_url=url,
            secret_key=key,
            smtp_url=env.get("SMTP_URL") or None,
            base_url=(env.get("BASE_URL") or "http://localhost:5000").rstrip("/"),
            mail_from=env.get("MAIL_FROM") or cls.mail_from,
            reminder_after_hours=float(env.get("OFFER_REMINDER_HOURS") or 24),
            expire_after_hours=float(env.get("OFFER_EXPIRY_HOURS") or 72),
            no_capacity_pause_days=int(env.get("NO_CAPACITY_PAUSE_DAYS") or 14),
            client_retention_days=_positive_int(env, "CLIENT_RETENTION_DAYS", cls.client_retention_days),
            ratelimit_storage_uri=env.get("RATELIMIT_STORAGE_URI") or cls.ratelimit_storage_uri,
        )


def check_secret(settings: Settings, debug_or_testing: bool) -> None:
    """Raise ``WeakSecret`` when ``SECRET_KEY`` is shorter than ``MIN_SECRET_KEY_LENGTH``.

    A short key can be guessed offline from one session cookie, and then any session or
    emailed link forged; only a debug or test run may use one.
    """
    if len(settings.secret_key) < MIN_SECRET_KEY_LENGTH and not debug_or_testing:
        raise WeakSecret(f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters long (it has "
                         f"{len(settings.secret_key)}); leave it unset to have one generated into the instance "
                         "folder, or set a long random one, e.g. python3 -c 'import secrets; print(secrets.token_hex(32))'.")


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a whole number of days, at least 1 (got {raw!r}).")
    return int(raw)


def _kept_secret(path: Path) -> str:
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
