"""How a registry outcome's id joins its parts, and how an id an earlier version saved is read now.

A registry outcome's id joins its measure, class and category. Until issue 17 the registry readers joined
them with an em dash; they now use a middle dot (Latin-1: CPython holds each character of these long ids in
one byte, where an em dash made every character take two: NCT03064438's 26 ids 10.5 -> ~5 KB). An id saved
the old way (a session file, the window's remembered query, a script's ``--outcome``) names the same outcome
once its em dashes are middle dots, and every place that reads a saved id reads it through
:func:`current_outcome_id`. Standard library only, and nothing of ours: the window's settings read it at
start-up, before any reader is imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

PART_SEPARATOR = " · "  # between measure, class and category in an outcome's id and title (never parsed back)
OLD_PART_SEPARATOR = " — "  # what joined them before issue 17 (provenance lines still use it)
REGISTRY_RECORDS = (".json", ".xml")  # what ``readers.load_path`` reads as a ClinicalTrials.gov record


def current_outcome_id(outcome: str, registry_records: bool) -> str:
    """``outcome`` as this version spells it: an em-dash id saved before issue 17 with its parts joined by
    the middle dot. ``registry_records``: whether the outcome is chosen among data holding a registry record
    (a .json/.xml record, a study read from AACT); only the registry readers wrote em-dash ids, so without
    one an em dash is the user's own (a spreadsheet may name an outcome with one) and is kept."""
    if not registry_records or OLD_PART_SEPARATOR not in outcome:
        return outcome
    return outcome.replace(OLD_PART_SEPARATOR, PART_SEPARATOR)


def holds_registry_records(paths: Iterable[str]) -> bool:
    """Whether any of ``paths`` (the files and folders a user loads) is a ClinicalTrials.gov record file."""
    return any(PurePath(p).suffix.lower() in REGISTRY_RECORDS for p in paths)
