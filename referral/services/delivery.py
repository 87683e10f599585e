"""One round of the mail worker: expire and remind offers, then send what the outbox holds.

``work_once`` is what ``flask --app web outbox work`` runs in a loop. Each step is its
own transaction, so a crash anywhere loses nothing: an unsent message stays due, and a
claimed one becomes due again when its lease runs out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from referral.adapters import outbox
from referral.adapters.mailer import LogMailer, MailError, MailServerDown, SmtpMailer
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.services import offers

__all__ = ["WorkReport", "work_once"]

log = logging.getLogger("referral.mail")


@dataclass
class WorkReport:
    expired: int = 0
    reminded: int = 0
    sent: int = 0
    failed: int = 0
    logged: int = 0

    def __bool__(self) -> bool:
        return any((self.expired, self.reminded, self.sent, self.failed, self.logged))

    def __str__(self) -> str:
        return (
            f"{self.expired} offers expired, {self.reminded} reminders queued, {self.sent} messages sent, "
            f"{self.failed} failed (will retry), {self.logged} printed to the log"
        )


def work_once(
    uow: UnitOfWork,
    settings: Settings,
    mailer: SmtpMailer | LogMailer,
    clock: Callable[[], datetime],
    rank: offers.Ranker | None = None,
    batch: int = 50,
) -> WorkReport:
    """Expire overdue offers, queue due reminders, then deliver one batch of due messages."""
    report = WorkReport()
    report.expired = offers.expire_overdue(uow, settings, now=clock(), rank=rank)
    report.reminded = offers.send_reminders(uow, settings, now=clock())
    with uow:
        rows = outbox.claim(uow.session, clock(), batch, only_new=not mailer.sends_for_real)
        uow.commit()
    down: MailServerDown | None = None
    with mailer:
        for row in rows:
            error = str(down) if down else None
            if down is None:
                try:
                    mailer.send(outbox.as_email(row, settings.mail_from))
                except MailError as err:
                    error = str(err)
                    if isinstance(err, MailServerDown):
                        down = err  # the rest of the batch waits for the next round
            with uow:
                if error is not None:
                    outbox.mark_failed(uow.session, row.id, row.attempts, error, clock())
                    report.failed += 1
                    log.warning("message %s to %s not sent: %s", row.id, row.to_addr, error)
                elif mailer.sends_for_real:
                    outbox.mark_sent(uow.session, row.id, clock())
                    report.sent += 1
                else:
                    outbox.mark_logged(uow.session, row.id, clock())
                    report.logged += 1
                uow.commit()
    return report
