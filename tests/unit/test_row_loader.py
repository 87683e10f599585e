"""The CSV import's fast loader answers exactly what the API's schema answers, row by row."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from web.schemas import ColleagueSchema, RowLoader, ValidationError

GOOD = {"name": " Ana Ruiz ", "email": " ANA@Example.org ", "specialties": ["bookkeeping", " payroll "],
        "target_clientele": "cafés", "capacity": 2, "location": "", "remote": False,
        "dealbreakers": ["hostile", "hostile"], "paused_until": "2027-01-31"}
BAD = [
    {**GOOD, "name": ""},
    {**GOOD, "email": "not-an-email"},
    {**GOOD, "capacity": -2},
    {**GOOD, "capacity": "many"},
    {**GOOD, "remote": "maybe"},
    {**GOOD, "dealbreakers": ["rude"]},
    {**GOOD, "paused_until": "tomorrow"},
    {**GOOD, "specialties": []},
    {**GOOD, "specialties": ["ok", "x" * 201]},
    {**GOOD, "name": "Nul\x00Name"},
    {**GOOD, "name": "Line\nBreak"},
    {k: v for k, v in GOOD.items() if k != "email"},
    {**GOOD, "shoe_size": 44},
]


def outcome(load, payload):
    try:
        return "ok", load(payload)
    except ValidationError as err:
        return "error", err.messages


@pytest.mark.parametrize("payload", [GOOD, {"name": "Tom", "email": "tom@example.org", "specialties": ["tax"]},
                                     *BAD])
def test_an_import_row_is_accepted_or_refused_with_the_same_words_as_the_api(payload):
    loader = RowLoader(ColleagueSchema())
    for _ in range(2):  # the second time from what it remembers
        assert outcome(loader.load, payload) == outcome(ColleagueSchema().load, payload)


cells = st.one_of(st.text(max_size=8), st.integers(-3, 1003), st.booleans(), st.sampled_from(["hostile", "2027-02-01"]))


@given(st.lists(st.fixed_dictionaries(
    {"name": cells, "email": st.sampled_from(["a@example.org", "B@example.org ", "x"]),
     "specialties": st.lists(st.text(max_size=5), max_size=3)},
    optional={"capacity": cells, "remote": cells, "dealbreakers": st.lists(cells, max_size=2),
              "paused_until": cells, "location": cells}), min_size=1, max_size=6))
def test_remembering_values_across_rows_never_changes_an_answer(rows):
    loader = RowLoader(ColleagueSchema())
    for row in rows:
        assert outcome(loader.load, row) == outcome(ColleagueSchema().load, row)
