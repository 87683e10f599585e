"""Marshmallow schemas: one set validates the JSON API and the HTML forms alike."""

from datetime import UTC

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    missing,
    post_load,
    validate,
    validates,
    validates_schema,
)

from referral.domain.clean import clean_text
from referral.domain.vocab import (
    DECLINE_CODES,
    DISPATCH_MODES,
    EXIT_STRATEGIES,
    OUTCOMES,
    REASONS,
    TERM_ANSWERS,
)

REASON = validate.OneOf(list(REASONS), error="Must be one of: {choices}.")


class Text(fields.String):
    """A string cleaned as it enters (:func:`referral.domain.clean.clean_text`): NFC, no invisible
    format characters, no control characters (422 naming the field), line breaks only when
    ``multiline``. Every text an API schema or a form reads is one of these.
    """

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return clean_text(text, multiline=self.multiline)
        except ValueError as err:
            raise ValidationError(str(err)) from err


class Trimmed(Text):
    """A cleaned string with surrounding white space removed."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Email(fields.Email):
    """An email address, cleaned like :class:`Text` and trimmed before it is checked."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return clean_text(text).strip()
        except ValueError as err:
            raise ValidationError(str(err)) from err


ID_MAX = 2**31 - 1  # the database's INTEGER: a larger id cannot exist, and would fail in the driver


def Id(strict: bool = True, **kwargs) -> fields.Integer:
    """A row id in a request: an integer from 1 to ``ID_MAX`` (else 422 naming the field)."""
    return fields.Integer(strict=strict, validate=validate.Range(1, ID_MAX), **kwargs)


class UtcDateTime(fields.DateTime):
    """A moment stored as naive UTC, written with its offset (RFC 3339) so clients need not guess the zone."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class ColleagueSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = Trimmed(required=True, validate=validate.Length(1, 200))
    email = Email(required=True, validate=validate.Length(max=320))
    specialties = fields.List(Trimmed(validate=validate.Length(1, 200)), required=True,
                              validate=validate.Length(min=1, error="Give at least one specialty."))
    target_clientele = Trimmed(load_default="", validate=validate.Length(max=2000))
    capacity = fields.Integer(strict=True, load_default=3, validate=validate.Range(min=0, max=1000))
    location = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=200))
    remote = fields.Boolean(load_default=True, truthy={True}, falsy={False})
    dealbreakers = fields.List(Text(validate=REASON), load_default=list)
    paused_until = fields.Date(allow_none=True, load_default=None)
    firm = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=200),
                   metadata={"description": "the firm or practice they work in; candidates of your own come first"})
    open_referrals = fields.Integer(dump_only=True)

    @post_load
    def _tidy(self, data, **kwargs):
        if "email" in data:
            data["email"] = data["email"].strip().lower()
        for key in ("location", "firm"):
            if data.get(key) == "":
                data[key] = None
        if "dealbreakers" in data:
            data["dealbreakers"] = sorted(set(data["dealbreakers"]))
        return data


class ColleagueOutSchema(Schema):
    """A colleague as the API answers it: what is stored, without the rules for input.

    A member's own entry may have no specialty yet, so the answer cannot promise ``minItems: 1``.
    """

    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    specialties = fields.List(fields.String())
    target_clientele = fields.String()
    capacity = fields.Integer()
    location = fields.String(allow_none=True)
    remote = fields.Boolean()
    dealbreakers = fields.List(fields.String())
    paused_until = fields.Date(allow_none=True)
    firm = fields.String(allow_none=True)
    open_referrals = fields.Integer()


class ColleaguePatchSchema(ColleagueSchema):
    """The same rules for a PATCH: only the fields given are checked and changed."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class RowLoader:
    """``schema.load`` for many rows of one shape (the CSV import), with the schema's own rules and messages.

    ``load(data)`` returns what ``schema.load(data)`` returns and raises the same
    ``ValidationError``. Each value goes through its own field (conversion and validators, as
    ``load`` does), and the result is remembered per value, so a place, a specialty or a capacity
    that recurs on thousands of rows is checked once; the schema's post-load step then runs as in
    ``load``. A row with any error is loaded again by ``schema.load`` itself, so the messages are the
    schema's, word for word. No rule is written here: they all stay in the schema's fields.

    Only for schemas without pre-load or validation hooks, whose fields read their own value
    alone (``TypeError`` otherwise). Cost: about a fifth of ``load`` per row on generated
    colleagues (``bench/import_bench.py``); memory grows with the distinct values, up to
    ``REMEMBERED`` per field, then starts again (names and emails seldom recur).
    """

    REMEMBERED = 100_000

    def __init__(self, schema: Schema):
        hooks = schema._hooks  # marshmallow keeps a schema's decorated methods here
        if hooks["pre_load"] or hooks["validates"] or hooks["validates_schema"] or schema.partial or any(
                f.pre_load for f in schema.load_fields.values()) or any(
                kw.get("pass_original") for _, _, kw in hooks["post_load"]):
            raise TypeError(f"{type(schema).__name__} has hooks that RowLoader does not run")
        self.schema = schema
        # the post-load methods in the order load calls them for one item: whole-collection hooks first
        self._post = [getattr(schema, name) for name, _, _ in sorted(hooks["post_load"], key=lambda h: not h[1])]
        self._keys = {f.data_key or name for name, f in schema.load_fields.items()}
        # per field: its data key, its name, the field, what it has seen; for a list, its items' field too
        self._plan: list[tuple[str, str, fields.Field, dict, tuple[fields.Field, dict] | None]] = [
            (f.data_key or name, name, f, {}, (f.inner, {}) if isinstance(f, fields.List) else None)
            for name, f in schema.load_fields.items()]

    def load(self, data: dict) -> dict:
        out = {}
        try:
            if not data.keys() <= self._keys:
                raise ValidationError("unknown field")  # the schema names it
            for key, name, field, seen, items in self._plan:
                value = data.get(key, missing)
                if value is missing:
                    out[name] = field.deserialize(value)  # the default, or "Missing data for required field."
                elif items is not None and type(value) is list:
                    out[name] = [_remembered(*items, v) for v in value]
                    field._validate(out[name])  # the list's own rules (at least one specialty)
                else:
                    out[name] = _remembered(field, seen, value)
        except ValidationError:
            return self.schema.load(data)  # raises the schema's own messages
        for post in self._post:
            out = post(out, many=False, partial=self.schema.partial, unknown=self.schema.unknown)
        return out


def _remembered(field: fields.Field, seen: dict, value):
    """``field.deserialize(value)``, from ``seen`` when this value was seen before."""
    mark = (type(value), value)  # True and 1 are equal keys in a dict; their results are not
    try:
        return seen[mark]
    except TypeError:  # not hashable: nothing to remember it by
        return field.deserialize(value)
    except KeyError:
        result = seen[mark] = field.deserialize(value)
        if len(seen) > RowLoader.REMEMBERED:
            seen.clear()
        return result


class ColleagueQuerySchema(Schema):
    q = Text(load_default="", validate=validate.Length(max=200))


class ConnectionSchema(Schema):
    colleague_id = Id(required=True)


class FactSchema(Schema):
    date = fields.Date(required=True)
    text = Trimmed(required=True, multiline=True, validate=validate.Length(1, 1000))


class ClientSchema(Schema):
    name = Trimmed(required=True, validate=validate.Length(1, 200))
    email = Email(required=True, validate=validate.Length(max=320))
    phone = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=100))
    company = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=200))
    industry = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=200))
    budget = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=200))
    location = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=200))
    needs = Trimmed(required=True, multiline=True, validate=validate.Length(1, 5000))


# --- letting go with care (contract v2): contract terms, outcomes, second reads, retrospectives ----

OUTCOME = validate.OneOf(list(OUTCOMES), error="Must be one of: {choices}.")
TERM_ANSWER = validate.OneOf(list(TERM_ANSWERS), error="Must be one of: {choices}.")


class ContractTermSchema(Schema):
    term = Trimmed(required=True, validate=validate.Length(1, 500))
    due = fields.Date(allow_none=True, load_default=None)
    met_by_me = Text(required=True, validate=TERM_ANSWER)
    met_by_client = Text(required=True, validate=TERM_ANSWER)
    note = Trimmed(load_default="", validate=validate.Length(max=2000))


class HandoffSchema(Schema):
    client = fields.Nested(ClientSchema, required=True)
    reasons = fields.List(Text(validate=REASON), required=True,
                          validate=validate.Length(min=1, error="Choose at least one reason."))
    facts = fields.List(fields.Nested(FactSchema), load_default=list, validate=validate.Length(max=50))
    disclosure = Trimmed(required=True, multiline=True, validate=validate.Length(1, 5000))
    exit_strategy = Text(load_default="refer_elsewhere",
                                  validate=validate.OneOf(list(EXIT_STRATEGIES), error="Must be one of: {choices}."))
    finish_by = fields.Date(allow_none=True, load_default=None)
    auto_cascade = fields.Boolean(load_default=False, truthy={True}, falsy={False})
    desired_outcomes = fields.List(Text(validate=OUTCOME), load_default=list,
                                   metadata={"description": "what you want from ending it (outcome codes)"})
    outcome_note = Trimmed(load_default="", validate=validate.Length(max=2000))
    contract_terms = fields.List(fields.Nested(ContractTermSchema), load_default=list,
                                 validate=validate.Length(max=50))

    @validates("desired_outcomes")
    def _distinct_outcomes(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Each outcome once.")

    @validates("reasons")
    def _distinct(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Each reason once.")



class OfferRequestSchema(Schema):
    """``{"colleague_id": ID}`` to offer to that colleague, or ``{"auto": true}`` for the best candidate;
    or several colleagues: ``{"mode": "waterfall", "colleague_ids": [..], "hours_each": H}`` (in turn)
    or ``{"mode": "broadcast", "colleague_ids": [..], "hours": H}`` (at once, the first to accept wins)."""

    colleague_id = Id(load_default=None, allow_none=True)
    auto = fields.Boolean(load_default=False, truthy={True}, falsy={False})
    mode = Text(load_default=None, allow_none=True,
            validate=validate.OneOf(list(DISPATCH_MODES), error="Must be one of: {choices}."))
    colleague_ids = fields.List(Id(), load_default=None, validate=validate.Length(1, 20))
    hours_each = fields.Float(load_default=None, validate=validate.Range(min=0.1, max=24 * 30))
    hours = fields.Float(load_default=None, validate=validate.Range(min=0.1, max=24 * 30))

    @validates_schema
    def _one_of(self, data, **kwargs):
        mode = data.get("mode")
        if mode is not None:
            if data.get("colleague_id") is not None or data.get("auto"):
                raise ValidationError("With a mode, name the colleagues in colleague_ids.", "mode")
            ids = data.get("colleague_ids")
            if not ids:
                raise ValidationError(f"A {mode} needs the colleagues in colleague_ids.", "colleague_ids")
            if len(set(ids)) != len(ids):
                raise ValidationError("Each colleague once.", "colleague_ids")
            wrong = "hours" if mode == "waterfall" else "hours_each"
            if data.get(wrong) is not None:
                right = "hours_each" if mode == "waterfall" else "hours"
                raise ValidationError(f"A {mode} takes {right}, not {wrong}.", wrong)
            return
        if data.get("colleague_ids") is not None:
            raise ValidationError("colleague_ids needs a mode: waterfall or broadcast.", "mode")
        if data.get("colleague_id") is None and not data.get("auto"):
            raise ValidationError("Give a colleague_id, or auto: true for the best candidate.",
                                  "colleague_id")
        if data.get("colleague_id") is not None and data.get("auto"):
            raise ValidationError("Give either a colleague_id or auto: true, not both.", "auto")


class ReferralSchema(Schema):
    """A referral as the API shows it (read only)."""

    id = fields.Integer()
    handoff_id = fields.Integer(allow_none=True)
    status = fields.String()
    colleague_id = fields.Integer()
    colleague_name = fields.String(allow_none=True)
    from_id = fields.Integer()
    to_id = fields.Integer()
    offered_at = UtcDateTime()
    expires_at = UtcDateTime(allow_none=True)
    answered_at = UtcDateTime(allow_none=True)
    reminded_at = UtcDateTime(allow_none=True)
    decline_reason = fields.String(allow_none=True, metadata={"description": "the same as decline_note (v1 name)"})
    decline_code = fields.String(allow_none=True)
    decline_note = fields.String(allow_none=True)
    dispatch_mode = fields.String(allow_none=True, metadata={"description": "waterfall, broadcast or null"})
    disclosure_version = fields.Integer(allow_none=True)
    disclosure_sha256 = fields.String(allow_none=True)
    acknowledged_sha256 = fields.String(allow_none=True)


class OfferCreatedSchema(ReferralSchema):
    """A single offer answers the referral (v1); a waterfall or broadcast ``{"handoff_id", "mode", "referrals"}``."""

    mode = fields.String()
    referrals = fields.List(fields.Nested(ReferralSchema))


class DeclineFormSchema(Schema):
    decline_code = Text(required=True, validate=validate.OneOf(
        list(DECLINE_CODES), error="Choose why you decline."), error_messages={"required": "Choose why you decline."})
    reason = Trimmed(load_default="", multiline=True, validate=validate.Length(max=2000))


class ReopenFormSchema(Schema):
    reason = Trimmed(required=True, multiline=True, validate=validate.Length(1, 2000))


class LetterFormSchema(Schema):
    subject = Trimmed(required=True, validate=validate.Length(1, 300))
    body = Text(required=True, multiline=True, validate=validate.Length(1, 20000))


__all__ = ["ColleagueOutSchema", "ColleaguePatchSchema", "ColleagueQuerySchema", "ColleagueSchema", "ConnectionSchema", "Email", "HandoffSchema", "Text", "Trimmed", "ValidationError"]


class CandidateSchema(Schema):
    colleague_id = fields.Integer()
    name = fields.String()
    score = fields.Float()
    explanation = fields.List(fields.String())
    same_firm = fields.Boolean(metadata={"description": "works in your own firm (shown first when they fit)"})


class ToneSchema(Schema):
    field = fields.String()
    kind = fields.String()
    excerpt = fields.String()
    message = fields.String()


class HandoffCreatedSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    candidates = fields.List(fields.Nested(CandidateSchema))
    tone = fields.List(fields.Nested(ToneSchema), metadata={"description": "warnings of the tone check"})


class CandidatesQuerySchema(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class CandidatesSchema(Schema):
    handoff_id = fields.Integer()
    candidates = fields.List(fields.Nested(CandidateSchema))


class DisclosureVersionSchema(Schema):
    version = fields.Integer()
    text = fields.String()
    sha256 = fields.String()
    created_at = UtcDateTime()


class ContractTermOutSchema(Schema):
    term = fields.String()
    due = fields.String(allow_none=True, metadata={"description": "ISO date"})
    met_by_me = fields.String()
    met_by_client = fields.String()
    note = fields.String()


class ContractGapSchema(ContractTermOutSchema):
    index = fields.Integer(metadata={"description": "the term's place in contract_terms, for .../terms/<index>/fix"})


class ReviewSchema(Schema):
    id = fields.Integer()
    reviewer_email = fields.String()
    reviewer_name = fields.String()
    note = fields.String()
    status = fields.String(metadata={"description": "requested, approved or changes_suggested"})
    comment = fields.String(allow_none=True)
    requested_at = UtcDateTime()
    answered_at = UtcDateTime(allow_none=True)


class LetterStateSchema(Schema):
    subject = fields.String(allow_none=True)
    body = fields.String(allow_none=True, metadata={"description": "the draft; null while a colleague must accept"})
    needs_colleague = fields.Boolean()
    colleague_name = fields.String(allow_none=True)
    sent_at = UtcDateTime(allow_none=True)
    sent_via = fields.String(allow_none=True, metadata={"description": "service or marked"})
    waiting_for_review = fields.Boolean()
    client_replied_at = UtcDateTime(allow_none=True)
    call_due_at = UtcDateTime(allow_none=True)


class RetrospectiveOutSchema(Schema):
    what_did_not_work = fields.String()
    my_part = fields.String()
    their_part = fields.String()
    next_time = fields.String()
    warning_signs = fields.List(fields.String())
    outcomes_achieved = fields.List(fields.String())


class HandoffSchemaOut(Schema):
    id = fields.Integer()
    status = fields.String()
    client = fields.Dict()
    reasons = fields.List(fields.String())
    facts = fields.List(fields.Dict())
    disclosure = fields.String()
    disclosures = fields.List(fields.Nested(DisclosureVersionSchema))
    exit_strategy = fields.String()
    finish_by = fields.Date(allow_none=True)
    auto_cascade = fields.Boolean()
    created_at = UtcDateTime()
    desired_outcomes = fields.List(fields.String())
    outcome_note = fields.String()
    contract_terms = fields.List(fields.Nested(ContractTermOutSchema))
    contract_gaps = fields.List(fields.Nested(ContractGapSchema),
                                metadata={"description": "terms you have not fully met: put these right first"})
    reviews = fields.List(fields.Nested(ReviewSchema))
    letter = fields.Nested(LetterStateSchema)
    runway_days = fields.Integer(allow_none=True, metadata={"description": "days left until finish_by"})
    closed_at = UtcDateTime(allow_none=True)
    ended = fields.Boolean()
    retrospective = fields.Nested(RetrospectiveOutSchema, allow_none=True)


class HandoffSummarySchema(Schema):
    id = fields.Integer()
    status = fields.String()
    client_name = fields.String()
    created_at = UtcDateTime()


class DisclosureRevisionSchema(Schema):
    disclosure = Trimmed(required=True, multiline=True, validate=validate.Length(1, 5000))
__all__ += ["DeclineFormSchema", "LetterFormSchema", "OfferCreatedSchema", "OfferRequestSchema", "ReferralSchema",
            "ReopenFormSchema"]


class ReviewRequestSchema(Schema):
    reviewer_email = Email(required=True, validate=validate.Length(max=320))
    reviewer_name = Trimmed(load_default="", validate=validate.Length(max=200))
    note = Trimmed(load_default="", validate=validate.Length(max=2000))


class ReviewAnswerSchema(Schema):
    verdict = Text(required=True, validate=validate.OneOf(["approve", "suggest_changes"],
                                                                   error="Must be one of: {choices}."))
    comment = Trimmed(load_default="", validate=validate.Length(max=5000))

    @validates_schema
    def _comment_for_changes(self, data, **kwargs):
        if data.get("verdict") == "suggest_changes" and not data.get("comment"):
            raise ValidationError("Say what you would change.", "comment")


class RetrospectiveSchema(Schema):
    what_did_not_work = Trimmed(load_default="", validate=validate.Length(max=5000))
    my_part = Trimmed(load_default="", validate=validate.Length(max=5000))
    their_part = Trimmed(load_default="", validate=validate.Length(max=5000))
    next_time = Trimmed(load_default="", validate=validate.Length(max=5000))
    warning_signs = fields.List(Text(validate=REASON), load_default=list,
                                metadata={"description": "reason codes you saw early"})
    outcomes_achieved = fields.List(Text(validate=OUTCOME), load_default=list,
                                    metadata={"description": "which desired outcomes came about"})


class LetterSendSchema(Schema):
    subject = Trimmed(load_default="", validate=validate.Length(max=300))
    body = Text(multiline=True, required=True, validate=validate.Length(1, 20000))
    go_ahead = fields.Boolean(load_default=False, truthy={True}, falsy={False},
                              metadata={"description": "send although a second read is unanswered"})


class TermFixSchema(Schema):
    note = Trimmed(load_default="", validate=validate.Length(max=2000))


class LessonsSchema(Schema):
    handoffs = fields.Integer()
    retrospectives = fields.Integer()
    by_reason = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_warning_sign = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_outcome = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()))
    days_from_first_fact = fields.List(fields.Dict())
    median_days_from_first_fact = fields.Float(allow_none=True)
    next_time = fields.List(fields.String())


__all__ += ["ContractTermSchema", "LessonsSchema", "LetterSendSchema", "RetrospectiveSchema", "ReviewAnswerSchema",
            "ReviewRequestSchema", "TermFixSchema"]
