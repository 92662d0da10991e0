"""The articles the contact form suggests while someone writes (faq:suggestions), as one function
so the form's fragment and the record kept with each sent message (contact/deflection.py) run
exactly the same search."""

from __future__ import annotations

from .forms import SuggestionForm
from .models import Article
from .search import MIN_QUERY_CHARS, SearchFilters
from .search import search as run_search

SUGGESTIONS = 3


def suggested_articles(form: SuggestionForm, language: str) -> list[Article]:
    """Up to three published articles for a valid form's text, brand and topic; none for text
    too short to search."""
    if len(form.text().strip()) < MIN_QUERY_CHARS:
        return []
    data = form.cleaned_data
    filters = SearchFilters(language=language, brand=data["brand"], category=form.category())
    return run_search(form.text(), filters, limit=SUGGESTIONS).top(SUGGESTIONS)
