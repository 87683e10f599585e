"""Codes of the public contract: why a member lets a client go, and how they leave."""

__all__ = [
    "EXITS_WITHOUT_COLLEAGUE",
    "EXIT_STRATEGIES",
    "OUTCOMES",
    "REASONS",
    "REFERRAL_STATUSES",
    "REVIEW_STATUSES",
    "TERM_ANSWERS",
]

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

#: what a member wants from ending the relationship (contract v2, "Letting go with care")
OUTCOMES: dict[str, str] = {
    "recover_payment": "recover what I am owed",
    "end_on_good_terms": "end on good terms",
    "free_capacity": "free time for other clients",
    "protect_reputation": "protect my reputation",
    "keep_the_door_open": "keep the door open for later",
    "other": "something else (see the note)",
}

#: whether one side met a term of the contract
TERM_ANSWERS: dict[str, str] = {"yes": "met", "partly": "partly met", "no": "not met"}

#: a second reader's answer: requested until they approve or suggest changes
REVIEW_STATUSES = ("requested", "approved", "changes_suggested")

#: exits that need no colleague: the member finishes the work and steps back, no offer forced
EXITS_WITHOUT_COLLEAGUE = frozenset({"bow_out"})
__all__ += ["EXITS_WITHOUT_COLLEAGUE", "OUTCOMES", "REVIEW_STATUSES", "TERM_ANSWERS"]
