"""Turn HTML form fields into the JSON shape the schemas validate, so both share one set of rules."""

import re

from marshmallow import Schema, ValidationError

from referral.domain.clean import clean_text


def unclean_field(values) -> tuple[str, str] | None:
    """``(field, reason)`` for the first value of a form or query string holding a control character
    (a NUL byte, say), else None. The fields the schemas read are cleaned there too
    (``web.schemas.Text``); this covers the few a page reads directly (search, log-in)."""
    for field, value in values.items(multi=True):
        try:
            clean_text(value, multiline=True)
        except ValueError as err:
            return field, str(err)
    return None


def split_list(text: str) -> list[str]:
    """Items typed one per line or separated by semicolons."""
    return [part.strip() for part in re.split(r"[;\n]", text or "") if part.strip()]


def integer_or_text(text: str):
    """An int when the box holds one; otherwise the text, which the schema then rejects by name."""
    text = (text or "").strip()
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else text


def colleague_payload(form) -> dict:
    return {
        "name": form.get("name", ""),
        "email": form.get("email", ""),
        "specialties": split_list(form.get("specialties", "")),
        "target_clientele": form.get("target_clientele", ""),
        "capacity": integer_or_text(form.get("capacity", "3")),
        "location": form.get("location", "").strip() or None,
        "remote": form.get("remote") == "on",
        "dealbreakers": form.getlist("dealbreakers"),
        "paused_until": form.get("paused_until") or None,
        "firm": form.get("firm", "").strip() or None,
    }


def validate(schema: Schema, payload: dict) -> tuple[dict, dict[str, list[str]]]:
    """``(data, {})`` when valid, else ``({}, errors by field)`` with nested fields flattened: check the errors."""
    try:
        return schema.load(payload), {}
    except ValidationError as err:
        return {}, flatten(err.messages)


def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out[prefix] = messages
    elif isinstance(messages, list):
        for i, value in enumerate(messages):
            out.update(flatten(value, f"{prefix}.{i}"))
    else:
        out[prefix] = [str(messages)]
    return out


CLIENT_FIELDS = ("name", "email", "phone", "company", "industry", "budget", "location", "needs")


def fact_rows(form) -> list[dict]:
    """The dated-fact rows the member filled in, in order (blank rows dropped)."""
    indexes = sorted({int(m[1]) for key in form for m in [re.fullmatch(r"facts-(\d+)-(date|text)", key)] if m})
    rows = [{"date": form.get(f"facts-{i}-date", "").strip(), "text": form.get(f"facts-{i}-text", "")} for i in indexes]
    return [r for r in rows if r["date"] or r["text"].strip()]


def client_payload(form) -> dict:
    """The client's fields (``client.name``...) as the schema's ``client`` object; empty optional ones None."""
    client = {k: form.get(f"client.{k}", "") for k in CLIENT_FIELDS}
    for key in ("phone", "company", "industry", "budget", "location"):
        client[key] = client[key].strip() or None
    return client


def handoff_payload(form) -> dict:
    return {
        "client": client_payload(form),
        "reasons": form.getlist("reasons"),
        "facts": [{"date": r["date"] or None, "text": r["text"]} for r in fact_rows(form)],
        "disclosure": form.get("disclosure", ""),
        "exit_strategy": form.get("exit_strategy", "refer_elsewhere"),
        "finish_by": form.get("finish_by") or None,
        "auto_cascade": form.get("auto_cascade") == "on",
        **care_payload(form),
    }


TERM_FIELDS = ("term", "due", "met_by_me", "met_by_client", "note")


def term_rows(form) -> list[dict]:
    """The contract-term rows the member filled in (``terms-<i>-<field>``), in order; blank rows dropped."""
    indexes = sorted({int(m[1]) for key in form for m in [re.fullmatch(r"terms-(\d+)-(\w+)", key)] if m})
    rows = [{k: form.get(f"terms-{i}-{k}", "") for k in TERM_FIELDS} for i in indexes]
    return [r for r in rows if r["term"].strip() or r["due"] or r["note"].strip()]


def care_payload(form) -> dict:
    """Desired outcomes, their note and the contract's terms, in the API's shape."""
    return {
        "desired_outcomes": form.getlist("desired_outcomes"),
        "outcome_note": form.get("outcome_note", ""),
        "contract_terms": [dict(r, due=r["due"] or None) for r in term_rows(form)],
    }


# The handoff form speaks to the member about their client; the schema's messages are written for
# API callers ("Length must be between 1 and 200."). Missing fields get the first wording, filled
# but wrong ones the second; fields not listed keep the schema's message.
HANDOFF_MESSAGES = {
    "client.name": ("Give the client's name.", "Keep the client's name to 200 characters."),
    "client.email": ("Give the client's email address.",
                     "Give the client's email address in full, like name@example.com."),
    "client.needs": ("Say what the client needs done.", "Keep what the client needs to 5,000 characters."),
    "reasons": ("Choose at least one reason you are letting the client go.",
                "Choose at least one reason you are letting the client go."),
    "disclosure": ("Write the fair warning the colleague reads before accepting.",
                   "Keep the fair warning to 5,000 characters."),
    "finish_by": ("Give the date you finish current work, or leave it empty.",
                  "Give the date you finish current work as a date, like 2026-12-18."),
    "fact.date": ("Give the date this happened, or empty the row.", "Give the date this happened, like 2026-03-02."),
    "fact.text": ("Say what happened on this date, or empty the row.", "Keep each fact to 1,000 characters."),
}


def handoff_messages(errors: dict[str, list[str]], form) -> dict[str, list[str]]:
    """The schema's ``errors`` for the handoff form, reworded for the member (one message a field)."""
    out = {}
    for field, messages in errors.items():
        fact = re.fullmatch(r"facts\.(\d+)\.(date|text)", field)
        key = f"fact.{fact[2]}" if fact else field
        if key not in HANDOFF_MESSAGES:
            out[field] = messages
            continue
        if fact:
            row = fact_rows(form)[int(fact[1])]
            typed = row[fact[2]]
        elif field == "reasons":
            typed = form.getlist("reasons")
        else:
            typed = form.get(field, "")
        missing, wrong = HANDOFF_MESSAGES[key]
        out[field] = [wrong if (typed.strip() if isinstance(typed, str) else typed) else missing]
    return out
