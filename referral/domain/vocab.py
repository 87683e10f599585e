"""Codes of the public contract: why a member lets a client go, and how they leave."""

__all__ = ["EXIT_STRATEGIES", "REASONS", "REFERRAL_STATUSES"]

REASONS: dict[str, str] = {
    "complaints": "too many complaints",
    "late_payments": "frequent late payments",
    "cancellations": "cancels or misses appointments",
    "scope_creep": "too many demands outside the agreed scope",
    "hostile": "rude, abusive or plainly obnoxious",
    "unresponsive": "ignores calls and emails when information is needed",
    "not_a_fit": "wants something outside the services offered",
}

EXIT_STRATEGIES: dict[str, str] = {
    "take_blame": "Take the blame (the fault is mine, not yours)",
    "refer_elsewhere": "Refer elsewhere (a colleague fits you better)",
    "bow_out": "Bow out (I am stepping back from this kind of work)",
}

REFERRAL_STATUSES = ("offered", "accepted", "declined", "expired", "withdrawn", "completed")

# why a colleague declines an offer (the contract's "Answers to offers")
DECLINE_CODES: dict[str, str] = {
    "no_capacity": "no room for another client right now",
    "outside_my_field": "outside my field",
    "location": "the location does not suit",
    "conflict_of_interest": "a conflict of interest",
    "budget_too_low": "the budget is too low",
    "client_concerns": "concerns about the client",
    "other": "another reason",
}

#: how several colleagues are offered one client: in turn, or all at once
DISPATCH_MODES = ("waterfall", "broadcast")
__all__ += ["DECLINE_CODES", "DISPATCH_MODES"]
