"""Wagtail's database search backend, with search terms quoted safely for SQLite's FTS5.

modelsearch puts each term of a query into an FTS5 string ("term") without doubling the `"`
inside it, so a search for `"` (in the admin's page and image choosers, which merchants use, or
in API v2's ?search=) ends as "unterminated string", a 500. Here the SQLite compilers double it,
as FTS5 strings require; every other database keeps modelsearch's own backend.
Settings: WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search_backend", ...}}.
"""

import functools

from django.db import connection
from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.query import Phrase, PlainText


def fts5_quoted(query):
    """`query` with every `"` of its text doubled (a plain-text query or a phrase)."""
    if isinstance(query, PlainText):
        return PlainText(query.query_string.replace('"', '""'), operator=query.operator)
    if isinstance(query, Phrase):
        return Phrase(query.query_string.replace('"', '""'))
    return query


@functools.cache
def _quoting_sqlite_backend():
    """Built on first use: modelsearch's SQLite module is only imported on SQLite."""
    from modelsearch.backends.database.sqlite.sqlite import (
        SQLiteAutocompleteQueryCompiler,
        SQLiteSearchBackend,
        SQLiteSearchQueryCompiler,
    )

    class QuotingSearchQueryCompiler(SQLiteSearchQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(fts5_quoted(query), config=config)

    class QuotingAutocompleteQueryCompiler(SQLiteAutocompleteQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(fts5_quoted(query), config=config)

    class QuotingSQLiteSearchBackend(SQLiteSearchBackend):
        query_compiler_class = QuotingSearchQueryCompiler
        autocomplete_query_compiler_class = QuotingAutocompleteQueryCompiler

    return QuotingSQLiteSearchBackend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = DatabaseSearchBackend(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        return _quoting_sqlite_backend()(params)
    return backend
