"""The drug monographs of a dataset folder: one TOML file per drug in ``drugs/`` (data/README.md).

Every value a monograph gives is checked as a CSV cell is (text, lists of text, sourced facts with a level
the source can bear), and every problem is located by file and TOML path (``selectivity[0]``).

A registry-sized dataset holds thousands of monographs (2,000 at 100,000 arms), so the work around
``tomllib`` is kept to what the checks need (issue 17; the floor is ``tomllib.loads`` of each file's text,
``bench/core_measure.py``): the folder is listed once by name (no ``Path`` object and no glob per file), each
file is read with one open and one read (:func:`viewer.domain.readers.guard.read_text`), and a monograph
without some array of tables skips its checks at the cost of one dictionary lookup.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from viewer.domain.errors import DataError, Rule
from viewer.domain.model import Approval, Drug, EvidenceLevel, Fact, Origin, Selectivity
from viewer.domain.readers.fields import Problems
from viewer.domain.readers.guard import StrPath, read_text
from viewer.domain.readers.sourcing import SourceKinds, level_rule

KINASES = ("JAK1", "JAK2", "JAK3", "TYK2")
SUFFIX = ".toml"
_TOML_PLACE = re.compile(r"\(at line (\d+), column \d+\)$")  # how tomllib's messages end (Python 3.11-3.13)


def read_toml(path: StrPath, problems: Problems, name: str) -> dict[str, Any] | None:
    """The parsed table of a TOML file, or None after recording why it cannot be read (file ``name``).

    tomllib's errors carry their line only in the message before Python 3.14 (``lineno`` arrived then),
    so the line is read from there; the message itself is kept whole.
    """
    try:
        return tomllib.loads(read_text(path, what="TOML"))
    except tomllib.TOMLDecodeError as exc:
        place = _TOML_PLACE.search(str(exc))
        line = getattr(exc, "lineno", None) or (place.group(1) if place else "")
        problems.add(name, f"line {line}" if line else "", "", f"is not valid TOML: {exc}", Rule.SYNTAX)
    except DataError as exc:
        for p in exc.problems:
            problems.add(name, p.location, p.field, p.rule, p.kind)
    return None


def read_drugs(folder: Path, source_ids: SourceKinds, origin: Origin, problems: Problems) -> list[Drug]:
    """A :class:`Drug` per ``*.toml`` of ``folder``, in file-name order; none when there is no folder.

    Each monograph's ``id`` must be its file name without ``.toml``. A file that cannot be read or parsed
    is one problem and no drug; an empty one is checked like any other (its ``id`` and ``name`` are
    missing), never skipped in silence.
    """
    drugs = []
    seen: dict[str, str] = {}
    for file_name in _monograph_names(folder, problems):
        name = f"drugs/{file_name}"
        data = read_toml(os.path.join(folder, file_name), problems, name)
        if data is None:
            continue
        m = _Monograph(name, data, source_ids, problems)
        drug_id = m.text("id", required=True)
        stem = _stem(file_name)
        if drug_id and drug_id != stem:
            m.fail("", "id", f"must match the file name ({stem!r}), not {drug_id!r}")
        if drug_id in seen:
            m.fail("", "id", f"duplicate id {drug_id!r} (also in {seen[drug_id]})")
        elif drug_id:  # a missing id is its own problem, never a duplicate of another
            seen[drug_id] = name
        drugs.append(
            Drug(
                id=drug_id,
                name=m.text("name", required=True),
                drug_class=m.text("class"),
                brands=m.texts("brands"),
                codes=m.texts("codes"),
                targets=m.texts("targets"),
                mechanism=m.facts("mechanism"),
                selectivity=m.selectivity(),
                approved_doses=m.facts("approved_dose"),
                half_life=m.facts("half_life"),
                approvals=m.approvals(),
                boxed_warnings=m.facts("boxed_warning"),
                origin=origin,
                note=m.text("note"),
            )
        )
    return drugs


def _monograph_names(folder: Path, problems: Problems) -> list[str]:
    """The names ``folder.glob("*.toml")`` matches (hidden files and folders so named included), sorted as
    its paths sort; a folder that exists but cannot be listed is a problem, not an empty catalog."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        problems.add("drugs", "", "", f"cannot be read: {exc.strerror or exc}", Rule.UNREADABLE)
        return []
    return sorted(n for n in names if n.endswith(SUFFIX))


def _stem(file_name: str) -> str:
    """``Path(file_name).stem`` for a name ending in ``.toml``: a file named just ``.toml`` keeps its name."""
    return file_name[: -len(SUFFIX)] if len(file_name) > len(SUFFIX) else file_name


class _Monograph:
    """Field access on one parsed TOML monograph, recording problems with the TOML path."""

    def __init__(self, file: str, data: dict[str, Any], source_ids: SourceKinds, problems: Problems) -> None:
        self.file = file
        self.data = data
        self.source_ids = source_ids
        self.problems = problems

    def fail(self, where: str, field: str, rule: str) -> None:
        self.problems.add(self.file, where, field, rule)

    def text(self, key: str, *, required: bool = False, table: dict[str, Any] | None = None, where: str = "") -> str:
        value = (self.data if table is None else table).get(key, "")
        if not isinstance(value, str):
            self.fail(where, key, "must be text")
            return ""
        if required and not value.strip():
            self.fail(where, key, "is required")
        return value.strip()

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:  # TOML has no null: the key is absent
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail("", key, "must be a list of text")
            return ()
        return tuple(v.strip() for v in value if v.strip())

    def tables(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail("", key, f"must be an array of tables ([[{key}]])")
            return []
        return [(f"{key}[{i}]", t) for i, t in enumerate(value)]

    def sourced(self, table: dict[str, Any], where: str) -> tuple[str, EvidenceLevel]:
        source = self.text("source", table=table, where=where)
        if not source:
            self.fail(where, "source", "every figure needs a source")
        elif source not in self.source_ids:
            self.fail(where, "source", f"unknown source {source!r} (not in sources.csv)")
        raw = self.text("level", table=table, where=where).lower()
        try:
            level = EvidenceLevel(raw)
        except ValueError:
            self.fail(where, "level", f"must be one of {EvidenceLevel.choices()}, not {raw!r}")
            level = EvidenceLevel.UNVERIFIED
        if source in self.source_ids:
            rule = level_rule(level, self.source_ids[source], source)
            if rule:
                self.fail(where, "level", rule)
        return source, level

    def facts(self, key: str) -> tuple[Fact, ...]:
        out = []
        for where, t in self.tables(key):
            text = self.text("text", required=True, table=t, where=where)
            source, level = self.sourced(t, where)
            daily = t.get("daily_mg")
            if daily is not None and (isinstance(daily, bool) or not isinstance(daily, int | float) or daily < 0):
                self.fail(where, "daily_mg", f"must be a non-negative number, not {daily!r}")
                daily = None
            out.append(Fact(text, source, level, None if daily is None else float(daily)))
        return tuple(out)

    def selectivity(self) -> tuple[Selectivity, ...]:
        out = []
        for where, t in self.tables("selectivity"):
            target = self.text("target", required=True, table=t, where=where).upper()
            if target and target not in KINASES:
                self.fail(where, "target", f"must be one of {', '.join(KINASES)}, not {target!r}")
            ic50 = t.get("ic50_nm")
            if isinstance(ic50, bool) or not isinstance(ic50, int | float) or not ic50 > 0:
                self.fail(where, "ic50_nm", f"must be a positive number of nanomolar, not {ic50!r}")
                ic50 = float("nan")
            qualifier = self.text("qualifier", table=t, where=where)
            if qualifier not in ("", ">", "<", "~"):
                self.fail(where, "qualifier", f"must be empty, '>', '<' or '~', not {qualifier!r}")
            assay = self.text("assay", required=True, table=t, where=where)
            source, level = self.sourced(t, where)
            out.append(Selectivity(target, float(ic50), qualifier, assay, source, level))
        return tuple(out)

    def approvals(self) -> tuple[Approval, ...]:
        out = []
        for where, t in self.tables("approval"):
            agency = self.text("agency", required=True, table=t, where=where)
            date = self.text("date", required=True, table=t, where=where)
            parts = date.split("-")
            if date and not (parts[0].isdigit() and len(parts[0]) == 4 and all(p.isdigit() for p in parts)):
                self.fail(where, "date", f"must be YYYY, YYYY-MM or YYYY-MM-DD, not {date!r}")
            indication = self.text("indication", table=t, where=where)
            source, level = self.sourced(t, where)
            note = self.text("note", table=t, where=where)
            out.append(Approval(agency, date, indication, source, level, note))
        return tuple(out)
