"""Settings read from the environment (the contract's variables), with their defaults."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


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

    @classmethod
    def from_env(cls, instance_path: str | Path, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``DATABASE_URL``, ``SECRET_KEY``, ``SMTP_URL``, ``BASE_URL`` and the offer periods.

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
        )


def _kept_secret(path: Path) -> str:
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
