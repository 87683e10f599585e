"""Sending a message: over SMTP (``smtp://`` or ``smtps://user:pass@host:port``), or to the log.

Standard library only (``smtplib``). One connection per batch; a failure raises
``MailError`` with a short human-readable reason that is stored with the attempt.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from typing import Self
from urllib.parse import unquote, urlsplit

__all__ = ["LogMailer", "MailError", "MailServerDown", "SmtpMailer", "Unsendable", "mailer_for"]

log = logging.getLogger("referral.mail")


class MailError(Exception):
    """A message could not be handed to the mail server."""


class MailServerDown(MailError):
    """The server cannot be reached at all: no other message of the batch will get through either."""


class Unsendable(MailError):
    """This message can never go out as it is (it cannot be built or encoded); trying again is pointless."""


class SmtpMailer:
    """Delivers through one SMTP server; use as a context manager around a batch."""

    sends_for_real = True

    def __init__(self, url: str, timeout: float = 30):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:port or smtps://...")
        self.ssl = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.ssl else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self._conn: smtplib.SMTP | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._conn = None

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.ssl:
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                conn.ehlo()
                if conn.has_extn("starttls"):
                    conn.starttls(context=ssl.create_default_context())
                    conn.ehlo()
            if self.user:
                conn.login(self.user, self.password or "")
            return conn
        except (smtplib.SMTPException, OSError) as err:
            raise MailServerDown(f"cannot reach the mail server {self.host}:{self.port}: {err}") from err

    def send(self, msg: EmailMessage) -> None:
        if self._conn is None:
            self._conn = self._connect()
        try:
            self._conn.send_message(msg)
        except smtplib.SMTPNotSupportedError as err:  # e.g. a non-ASCII address without SMTPUTF8: never will
            raise Unsendable(f"the mail server cannot carry this message: {err}") from err
        except smtplib.SMTPServerDisconnected as err:
            self._conn = None
            raise MailServerDown(f"the mail server dropped the connection: {err}") from err
        except smtplib.SMTPException as err:  # before OSError, which it subclasses: one refusal is not an outage
            raise MailError(f"the mail server refused the message: {err}") from err
        except OSError as err:
            self._conn = None
            raise MailServerDown(f"the mail server dropped the connection: {err}") from err
        except (ValueError, TypeError, LookupError) as err:  # e.g. an address that cannot be encoded
            self.__exit__()  # the conversation may be half way through a message: start afresh
            raise Unsendable(f"the message cannot be sent: {err}") from err


class LogMailer:
    """No SMTP configured: print each message to the log; nothing leaves the machine."""

    sends_for_real = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def send(self, msg: EmailMessage) -> None:
        body = msg.get_body(("plain",))
        log.warning(
            "SMTP_URL is not set; this message stays in the outbox:\nTo: %s\nSubject: %s\n\n%s",
            msg["To"],
            msg["Subject"],
            body.get_content() if body else "",
        )


def mailer_for(smtp_url: str | None) -> SmtpMailer | LogMailer:
    return SmtpMailer(smtp_url) if smtp_url else LogMailer()
