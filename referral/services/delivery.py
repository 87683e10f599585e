"""One round of the mail worker: expire and remind offers, queue daily digests, then send the outbox.

``work_once`` is what ``flask --app web outbox work`` runs in a loop. Each step is its
own transaction, so a crash anywhere loses nothing: an unsent message stays due, and a
claimed one becomes due again when its lease runs out.

A message that fails counts an attempt and is tried again later with backoff; one that can
never go out (it cannot be built or encoded) ends as failed at once. Either way the rest of
the batch goes on.

Delivery is at least once: a worker killed after the mail server took a message but
before the row was marked sent leaves that one message to be sent again once the lease
has run out. Nothing else is sent twice: a worker starts no message after its lease's
last ``LEASE_MARGIN`` (a slow server would otherwise let another worker take rows it is
still sending) and gives the rest of the batch back at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from referral.adapters import outbox
from referral.adapters.mailer import LogMailer, MailError, MailServerDown, SmtpMailer, Unsendable
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.services import history, offers, sync, timing

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
            f"{self.failed} failed, {self.logged} printed to the log"
        )


def _build(row, mail_from: str):
    """The row as a message, or ``Unsendable``: one row that cannot be built never stops the batch."""
    try:
        return outbox.as_email(row, mail_from)
    except Exception as err:  # whatever old data does to the email package, the batch goes on
        raise Unsendable(f"the message cannot be built: {err}") from err


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
    report.expired = timing.expire_overdue(uow, settings, now=clock(), rank=rank)
    report.reminded = timing.send_reminders(uow, settings, now=clock())
    history.send_digests(uow, settings, now=clock())
    sync.prune(uow, clock())
    claimed_at = clock()
    with uow:
        rows = outbox.claim(uow.session, claimed_at, batch, only_new=not mailer.sends_for_real)
        uow.commit()
    leased_until = claimed_at + outbox.LEASE
    down: MailServerDown | None = None
    with mailer:
        for n, row in enumerate(rows):
            if clock() >= leased_until - outbox.LEASE_MARGIN:
                with uow:
                    outbox.release(uow.session, [r.id for r in rows[n:]], leased_until)
                    uow.commit()
                log.warning("lease running out: %d messages of this batch left for the next round", len(rows) - n)
                break
            error = str(down) if down else None
            final = False
            if down is None:
                try:
                    mailer.send(_build(row, settings.mail_from))
                except MailError as err:
                    error, final = str(err), isinstance(err, Unsendable)
                    if isinstance(err, MailServerDown):
                        down = err  # the rest of the batch waits for the next round
            with uow:
                if error is not None:
                    outbox.mark_failed(uow.session, row.id, row.attempts, error, clock(), final=final)
                    report.failed += 1
                    log.warning("message %s to %s not sent%s: %s", row.id, row.to_addr,
                                " and not tried again" if final else "", error)
                elif mailer.sends_for_real:
                    outbox.mark_sent(uow.session, row.id, clock())
                    report.sent += 1
                else:
                    outbox.mark_logged(uow.session, row.id, clock())
                    report.logged += 1
                uow.commit()
    return report
