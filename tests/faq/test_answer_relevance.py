"""The direct answer over both relevance sets, through /api/v1/search: shown only when right.

`CLEAR_MARGINS` (faq/answers.py) was chosen on the tuning parts of the demo and wallet sets; this
test holds what it gives there on the database the suite runs on: no answer shown is from an
article a person would not accept, and at least MIN_ANSWERED of the queries get one (the lower
of SQLite's and PostgreSQL's figures). The wallet set's held-out part is printed, not asserted.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.faq.relevance_sets import evaluate

pytestmark = pytest.mark.django_db

#: Share of the tuning queries answered, the lower of the two databases: demo 14/56 and wallet
#: 30/117 on SQLite (PostgreSQL: 25/56 and 56/117).
MIN_ANSWERED = {"demo": 0.25, "wallet": 0.25}

#: The ranking's own mistakes: a wrong article first by a margin no clear-win margin removes.
#: Listed so that any new wrong answer fails; empty on both databases since the candidates are
#: ranked by where each word is (faq/search/fields.py).
KNOWN_WRONG: dict[str, list[tuple[str, str]]] = {"sqlite": [], "postgresql": []}


def _answers(client, queries: list[evaluate.Query]) -> tuple[int, list[tuple[str, str]]]:
    answered, wrong = 0, []
    for query in queries:
        answer = evaluate.ask(client, query)["answer"]
        if answer is not None:
            answered += 1
            if answer["slug"] not in query.answers:
                wrong.append((query.text, answer["slug"]))
    return answered, wrong


@pytest.mark.parametrize("name", evaluate.SETS)
def test_every_direct_answer_on_the_tuning_part_is_an_accepted_article(client, name):
    evaluate.load(name)
    queries = evaluate.queries(name)
    tuning = [query for query in queries if not query.held_out]
    answered, wrong = _answers(client, tuning)
    held_out = [query for query in queries if query.held_out]
    held_answered, held_wrong = _answers(client, held_out)
    print(
        f"{name}: {answered} of {len(tuning)} answered, {len(wrong)} wrong;"
        f" held out: {held_answered} of {len(held_out)} answered, {len(held_wrong)} wrong"
    )
    assert wrong == (KNOWN_WRONG[connection.vendor] if name == "wallet" else [])
    assert answered >= MIN_ANSWERED[name] * len(tuning)
