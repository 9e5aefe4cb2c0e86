"""The search tables, built once (the local copy at import; a PostgreSQL restore by ``registry prepare``,
see ``pgprepare.py``), and the searches that read them.

The drug search over AACT's own tables scans three of them (intervention names, other names, MeSH
intervention terms), joins two, lower-cases every name and de-duplicates (study, drug) pairs on every
keystroke; the first letters match most names, so they pay the most (``bench/REGISTRY.md``). The local
copy keeps instead (and so does a prepared PostgreSQL database, in its ``drug_viewer`` schema):

* ``search_terms``: every (study, drug, lower-cased term) of the three sources, with whether the study
  has posted results, sorted by term; only studies of the ``studies`` table;
* ``drug_terms``: per (drug, term), its studies and those with results;
* ``drug_totals``: per drug, how many terms it has, its studies and those with results.

A drug's matching studies are the union of the studies of its matching terms. When every term of the
drug matches, that union is all the drug's studies; when exactly one matches, it is that term's studies;
both are read from the small tables. Only drugs with some but not all of several terms matching are
counted from ``search_terms``. The counts are exact, the same as the search over AACT's tables (tested
on a generated registry). These forms apply when the search names a drug and asks for nothing but "with
results" (the window's default); any other filter uses the general search (``search.py``) over
``search_terms``.
"""

from __future__ import annotations

from viewer.domain.registry.schema import DRUG_TERMS, DRUG_TOTALS, SCHEMA, SEARCH_TERMS
from viewer.domain.registry.search import SearchQuery, like_pattern, limit_of

# DROP and CREATE rather than DuckDB's CREATE OR REPLACE: the same statements build them on PostgreSQL
BUILD = (
    f"DROP TABLE IF EXISTS {SEARCH_TERMS}",
    f"CREATE TABLE {SEARCH_TERMS} AS SELECT DISTINCT t.nct_id, t.drug, t.term, "
    "s.results_first_posted_date IS NOT NULL AS results FROM ("
    f"SELECT i.nct_id, lower(i.name) AS drug, lower(i.name) AS term FROM {SCHEMA}.interventions i "
    f"UNION ALL SELECT i.nct_id, lower(i.name), lower(o.name) FROM {SCHEMA}.intervention_other_names o "
    f"JOIN {SCHEMA}.interventions i ON i.id = o.intervention_id "
    f"UNION ALL SELECT b.nct_id, b.downcase_mesh_term, b.downcase_mesh_term FROM {SCHEMA}.browse_interventions b "
    f"WHERE b.mesh_type = 'mesh-list') t JOIN {SCHEMA}.studies s ON s.nct_id = t.nct_id "
    "WHERE t.drug IS NOT NULL AND t.term IS NOT NULL ORDER BY t.term",
    f"DROP TABLE IF EXISTS {DRUG_TERMS}",
    f"CREATE TABLE {DRUG_TERMS} AS SELECT drug, term, count(DISTINCT nct_id) AS studies, "
    f"count(DISTINCT nct_id) FILTER (WHERE results) AS with_results FROM {SEARCH_TERMS} GROUP BY drug, term "
    "ORDER BY term",
    f"DROP TABLE IF EXISTS {DRUG_TOTALS}",
    f"CREATE TABLE {DRUG_TOTALS} AS SELECT drug, count(DISTINCT term) AS terms, "
    f"count(DISTINCT nct_id) AS studies, count(DISTINCT nct_id) FILTER (WHERE results) AS with_results "
    f"FROM {SEARCH_TERMS} GROUP BY drug",
)
_LIKE = "LIKE %s ESCAPE '\\'"
_TERMS = f"SELECT term FROM {DRUG_TERMS} WHERE term {_LIKE}"  # the distinct terms matching the text


def applies(q: SearchQuery) -> bool:
    """Whether the tables answer ``q`` directly: a drug text and no filter but "with results"."""
    return bool(q.text.strip()) and not (
        q.condition.strip() or q.phase.strip() or q.status.strip() or q.placebo_controlled or q.has_results is False
    )


def drugs_sql(q: SearchQuery) -> tuple[str, list[object]]:
    """Drug names matching the text with their study counts, most studied first (``applies(q)`` holds)."""
    column = "with_results" if q.has_results else "studies"
    results = " AND t.results" if q.has_results else ""
    pattern = like_pattern(q.text)
    sql = (
        f"WITH m AS (SELECT drug, count(*) AS matched, max({column}) AS one FROM {DRUG_TERMS} "
        f"WHERE term {_LIKE} GROUP BY drug), "
        f"k AS (SELECT m.drug, CASE WHEN m.matched = d.terms THEN d.{column} WHEN m.matched = 1 THEN m.one END "
        f"AS studies FROM m JOIN {DRUG_TOTALS} d ON d.drug = m.drug), "
        f"rest AS (SELECT t.drug, count(DISTINCT t.nct_id) AS studies FROM {SEARCH_TERMS} t "
        f"WHERE t.term IN ({_TERMS}){results} AND t.drug IN (SELECT drug FROM k WHERE studies IS NULL) "
        "GROUP BY t.drug) "
        "SELECT drug, studies FROM (SELECT drug, studies FROM k WHERE studies > 0 "
        "UNION ALL SELECT drug, studies FROM rest) found ORDER BY studies DESC, drug LIMIT %s"
    )
    return sql, [pattern, pattern, limit_of(q)]


def _matching(q: SearchQuery) -> str:
    """Rows of the matching terms: the text is matched against the distinct terms (a small table), and
    the rows are found by term, which the table is sorted by (DuckDB skips the row groups of other terms)."""
    results = " AND results" if q.has_results else ""
    return f"SELECT nct_id FROM {SEARCH_TERMS} WHERE term IN ({_TERMS}){results}"


def studies_sql(q: SearchQuery) -> tuple[str, list[object]]:
    """The newest matching studies (``applies(q)`` holds): their NCT ids from the search table alone, then
    their rows joined from ``studies``."""
    sql = (
        "SELECT s.nct_id, s.brief_title, s.phase, s.overall_status, s.results_first_posted_date, s.enrollment "
        f"FROM (SELECT DISTINCT nct_id FROM ({_matching(q)}) t ORDER BY nct_id DESC LIMIT %s) m "
        f"JOIN {SCHEMA}.studies s ON s.nct_id = m.nct_id ORDER BY s.nct_id DESC"
    )
    return sql, [like_pattern(q.text), limit_of(q)]


def count_sql(q: SearchQuery) -> tuple[str, list[object]]:
    """How many studies match (``applies(q)`` holds); the search table holds only studies of ``studies``."""
    # DISTINCT in a subquery: PostgreSQL hashes it, where count(DISTINCT) sorts (the first letter's count
    # 445 -> 240 ms at 500,000 studies; DuckDB the same either way)
    return f"SELECT count(*) FROM (SELECT DISTINCT nct_id FROM ({_matching(q)}) t) d", [like_pattern(q.text)]
