"""The session file: what a user saves to reopen the same picture later, or hand to a colleague.

A small, human-readable JSON document (stdlib only; pure, no Qt)::

    {
      "format": "drug-viewer-session",
      "version": 1,
      "app_version": "0.1.0",
      "datasets": [
        {"path": "data/jak-ra", "shipped": true, "sha256": "3f…"},
        {"path": "/home/me/trials/NCT02552212.json", "relative": "../trials/NCT02552212.json", "sha256": "9a…"}
      ],
      "chart": "forest",
      "query": {"drugs": ["upadacitinib", "tofacitinib"], "outcome": "ACR20", "effect": "rr", …},
      "export": {"width": 1920, "height": 1080, "dpi": 96},
      "registry": [{"location": "postgresql://reader@aact-db.ctti-clinicaltrials.org:5432/aact",
                    "snapshot": "2026-12-01", "studies": ["NCT02552212"]}]
    }

Registry studies (read through AACT, not from a file) are named by the registry's location (a PostgreSQL
URL never holds a password here: libpq finds it in ``PGPASSWORD`` or ``~/.pgpass``) and their NCT ids; the
snapshot date says which copy they were read from. ``"registry"`` is left out when there is none.

Datasets are named by path and by the SHA-256 of their content (a folder: its files' names and bytes in
sorted order), so reopening can tell a dataset that **moved** (no file at the path, nor at the path
relative to the session file) from one that **changed** (a different hash). Either is reported in words
and the rest of the session opens: :func:`resolve_datasets`. The query is every field of
:class:`~viewer.charts.query.Query`, enums by value, read back field by field with its type checked; an option
of an earlier version is read into the one that replaced it (``log_dose`` into ``dose_axis``), and a registry
outcome's id saved with em dashes into its id now (:func:`viewer.domain.outcome_ids.current_outcome_id`).

A file that is not such a document raises :class:`~viewer.domain.errors.DataError` naming the file, the
JSON place and the rule: bad input, never a crash, and nothing already open is touched by a failed read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, get_args, get_type_hints

from viewer.charts.query import DoseAxis, Query
from viewer.charts.spec import ChartKind
from viewer.domain.errors import DataError, Problem
from viewer.domain.model import Dataset
from viewer.domain.outcome_ids import current_outcome_id, holds_registry_records
from viewer.domain.readers.fields import is_nct
from viewer.domain.registry.location import location_of, shown_location

FORMAT = "drug-viewer-session"
VERSION = 1
SUFFIX = ".dvsession.json"
SNAPSHOT = re.compile(r"AACT snapshot (\d{4}-\d{2}-\d{2})")  # as registry.rows.stamp_provenance cites it


@dataclass(frozen=True, slots=True)
class DatasetRef:
    """A dataset as the session names it: where it was, what it contained, and whether it was shipped.

    A shipped dataset's ``path`` is relative to the app's data folder, so a session moves between
    machines and installs (checkout, wheel, bundle) and still finds the catalog.
    """

    path: str
    sha256: str
    shipped: bool = False
    relative: str = ""  # the path relative to the session file's folder, tried when ``path`` is gone


@dataclass(frozen=True, slots=True)
class RegistryRef:
    """Studies read from a registry: where (no password), which, and from which snapshot."""

    location: str
    studies: tuple[str, ...]
    snapshot: str = ""


@dataclass(frozen=True, slots=True)
class ExportSize:
    width: int = 1920
    height: int = 1080
    dpi: int = 96


@dataclass(frozen=True, slots=True)
class SessionFile:
    datasets: tuple[DatasetRef, ...]
    query: Query
    chart: ChartKind = ChartKind.DOSE_RESPONSE
    export: ExportSize = field(default_factory=ExportSize)
    app_version: str = ""
    registry: tuple[RegistryRef, ...] = ()


class DatasetStatus(StrEnum):
    FOUND = "found"
    MOVED = "moved"  # found at its path relative to the session file
    CHANGED = "changed"  # found, with other content than when the session was saved
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class ResolvedDataset:
    ref: DatasetRef
    status: DatasetStatus
    path: Path | None  # where it is now (None when missing)

    def message(self) -> str:
        """What a user needs to know about this dataset, or '' when it is as saved."""
        if self.status is DatasetStatus.MISSING:
            where = f" (nor at {self.ref.relative} beside the session file)" if self.ref.relative else ""
            return f"{self.ref.path}: not found{where}; the session opens without it"
        if self.status is DatasetStatus.CHANGED:
            return (
                f"{self.path}: changed since the session was saved (SHA-256 {self.ref.sha256[:12]}…, now "
                f"{content_hash(self.path)[:12]}…); opened as it is now, so its figures may differ"
                if self.path
                else ""
            )
        if self.status is DatasetStatus.MOVED:
            return f"{self.ref.path}: not found there; opened from {self.path} (same content)"
        return ""


def content_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, or of a folder's files (relative names and bytes, in sorted order)."""
    import hashlib  # here: OpenSSL's libcrypto loads in ~5 ms, and only saving or checking a session hashes

    digest = hashlib.sha256()
    if path.is_dir():
        for member in sorted(p for p in path.rglob("*") if p.is_file()):
            name = member.relative_to(path).as_posix().encode("utf-8")
            digest.update(len(name).to_bytes(8, "big") + name)
            data = member.read_bytes()
            digest.update(len(data).to_bytes(8, "big") + data)
    else:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def dataset_ref(path: Path, *, data_root: Path, session_dir: Path | None = None) -> DatasetRef:
    """Name a loaded dataset for a session file; shipped datasets relative to ``data_root``."""
    resolved = path.resolve()
    root = data_root.resolve()
    if resolved.is_relative_to(root):
        return DatasetRef(resolved.relative_to(root).as_posix(), content_hash(resolved), shipped=True)
    relative = os.path.relpath(resolved, session_dir.resolve()) if session_dir else ""
    return DatasetRef(str(resolved), content_hash(resolved), relative=Path(relative).as_posix() if relative else "")


def registry_refs(datasets: Sequence[Dataset]) -> tuple[RegistryRef, ...]:
    """The registry studies among loaded datasets, one entry per registry, studies in load order."""
    refs = []
    for d in datasets:
        location = location_of(d.path)
        if location:
            studies = tuple(dict.fromkeys(t.nct for t in d.trials if t.nct))
            found = (SNAPSHOT.search(source.citation) for source in d.sources)
            snapshot = next((m.group(1) for m in found if m), "")
            refs.append(RegistryRef(shown_location(location), studies, snapshot))
    return tuple(refs)


def resolve_datasets(
    refs: tuple[DatasetRef, ...], *, data_root: Path, session_dir: Path
) -> tuple[ResolvedDataset, ...]:
    """Where each dataset is now, and whether it is the one that was saved."""
    resolved = []
    for ref in refs:
        base = data_root / ref.path if ref.shipped else Path(ref.path)
        candidates = [(base, DatasetStatus.FOUND)]
        if ref.relative:
            candidates.append((session_dir / ref.relative, DatasetStatus.MOVED))
        found = next(((p, s) for p, s in candidates if p.exists()), None)
        if found is None:
            resolved.append(ResolvedDataset(ref, DatasetStatus.MISSING, None))
            continue
        path, status = found
        same = content_hash(path) == ref.sha256
        if not same:
            status = DatasetStatus.CHANGED
        elif status is DatasetStatus.MOVED and path.resolve() == base.resolve():
            status = DatasetStatus.FOUND
        resolved.append(ResolvedDataset(ref, status, path))
    return tuple(resolved)


# -- writing and reading ------------------------------------------------------------------------------


def _plain(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def to_json(session: SessionFile) -> str:
    datasets = []
    for ref in session.datasets:
        entry: dict[str, object] = {"path": ref.path}
        if ref.shipped:
            entry["shipped"] = True
        if ref.relative:
            entry["relative"] = ref.relative
        entry["sha256"] = ref.sha256
        datasets.append(entry)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "app_version": session.app_version,
        "datasets": datasets,
        "chart": session.chart.value,
        "query": {f.name: _plain(getattr(session.query, f.name)) for f in fields(Query)},
        "export": {"width": session.export.width, "height": session.export.height, "dpi": session.export.dpi},
    }
    if session.registry:
        document["registry"] = [
            {"location": shown_location(r.location), "snapshot": r.snapshot, "studies": list(r.studies)}
            for r in session.registry
        ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class _Reader:
    """Collects every problem in one pass, each with its JSON place, like the data readers do."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, place: str, name: str, rule: str) -> None:
        self.problems.append(Problem(self.file, place, name, rule))

    def typed(self, mapping: dict[str, Any], key: str, kind: type, place: str, default: Any) -> Any:
        if key not in mapping:
            return default
        value = mapping[key]
        if kind is int and isinstance(value, bool):
            value = None  # JSON true is not a number of pixels
        if not isinstance(value, kind):
            self.problem(place, key, f"expected {kind.__name__}, found {json.dumps(value)[:40]}")
            return default
        return value

    def enum(self, mapping: dict[str, Any], key: str, kind: type[StrEnum], place: str, default: StrEnum) -> Any:
        text = self.typed(mapping, key, str, place, default.value)
        try:
            return kind(text)
        except ValueError:
            choices = ", ".join(m.value for m in kind)
            self.problem(place, key, f"unknown value {text!r}; one of: {choices}")
            return default


def _read_query(reader: _Reader, raw: Any) -> Query:
    if not isinstance(raw, dict):
        reader.problem("$.query", "query", "expected an object")
        return Query()
    base = Query()
    values: dict[str, Any] = {}
    hints = get_type_hints(Query)
    for f in fields(Query):
        default = getattr(base, f.name)
        place = "$.query"
        optional = [t for t in get_args(hints[f.name]) if isinstance(t, type) and issubclass(t, StrEnum)]
        if default is None and optional:  # an optional choice (pooling model): null or one of its values
            value = raw.get(f.name)
            if value is None:
                values[f.name] = None
            else:
                values[f.name] = reader.enum(raw, f.name, optional[0], place, next(iter(optional[0])))
        elif isinstance(default, StrEnum):
            values[f.name] = reader.enum(raw, f.name, type(default), place, default)
        elif isinstance(default, tuple):
            items = reader.typed(raw, f.name, list, place, list(default))
            if not all(isinstance(i, str) for i in items):
                reader.problem(place, f.name, "expected a list of strings")
                items = list(default)
            values[f.name] = tuple(items)
        else:
            values[f.name] = reader.typed(raw, f.name, type(default), place, default)
    values.update(_old_options(reader, raw))
    unknown = sorted(set(raw) - {f.name for f in fields(Query)} - set(OLD_OPTIONS))
    if unknown:
        reader.problem("$.query", ", ".join(unknown), "not a query option of this version of drug-viewer")
    return Query(**values)


OLD_OPTIONS = ("log_dose",)
"""Query options of earlier versions, read into what replaced them (sessions are version 1 throughout)."""


def _old_options(reader: _Reader, raw: dict[str, Any]) -> dict[str, Any]:
    """An earlier session's ``"log_dose": true/false`` is the dose axis ``log``/``linear`` it chose then; a
    ``dose_axis`` saved beside it (a file edited by hand) is the newer choice and wins."""
    if "log_dose" not in raw:
        return {}
    log = reader.typed(raw, "log_dose", bool, "$.query", False)
    if "dose_axis" in raw:
        return {}
    return {"dose_axis": DoseAxis.LOG if log else DoseAxis.LINEAR}


def _read_datasets(reader: _Reader, raw: Any) -> tuple[DatasetRef, ...]:
    if not isinstance(raw, list):
        reader.problem("$.datasets", "datasets", "expected a list")
        return ()
    refs = []
    for index, entry in enumerate(raw):
        place = f"$.datasets[{index}]"
        if not isinstance(entry, dict):
            reader.problem(place, "", "expected an object with path and sha256")
            continue
        path = reader.typed(entry, "path", str, place, "")
        digest = reader.typed(entry, "sha256", str, place, "")
        if not path:
            reader.problem(place, "path", "missing")
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            reader.problem(place, "sha256", "expected 64 lowercase hexadecimal digits")
        shipped = reader.typed(entry, "shipped", bool, place, False)
        relative = reader.typed(entry, "relative", str, place, "")
        refs.append(DatasetRef(path, digest, shipped=shipped, relative=relative))
    return tuple(refs)


def _read_registry(reader: _Reader, raw: Any) -> tuple[RegistryRef, ...]:
    if not isinstance(raw, list):
        reader.problem("$.registry", "registry", "expected a list")
        return ()
    refs = []
    for index, entry in enumerate(raw):
        place = f"$.registry[{index}]"
        if not isinstance(entry, dict):
            reader.problem(place, "", "expected an object with location and studies")
            continue
        location = reader.typed(entry, "location", str, place, "")
        if not location:
            reader.problem(place, "location", "missing")
        elif shown_location(location) != location.strip():
            reader.problem(place, "location", "holds a password: a session never does (use PGPASSWORD or ~/.pgpass)")
        studies = reader.typed(entry, "studies", list, place, [])
        bad = [s for s in studies if not isinstance(s, str) or not is_nct(s)]
        if bad or not studies:
            reader.problem(place, "studies", "expected a non-empty list of NCT ids (NCT and 8 digits)")
        snapshot = reader.typed(entry, "snapshot", str, place, "")
        refs.append(RegistryRef(shown_location(location), tuple(str(s) for s in studies), snapshot))
    return tuple(refs)


def from_json(text: str, file: str) -> SessionFile:
    """Parse a session document; every problem at once in a :class:`DataError` (``file`` names it)."""
    reader = _Reader(file)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError.single(file, f"line {exc.lineno} column {exc.colno}", "", f"not JSON: {exc.msg}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise DataError.single(file, "$", "format", f'not a drug-viewer session (expected "format": {FORMAT!r})')
    version = raw.get("version")
    if version != VERSION:
        raise DataError.single(
            file, "$", "version", f"session format version {version!r}; this drug-viewer reads version {VERSION}"
        )
    datasets = _read_datasets(reader, raw.get("datasets", []))
    registry = _read_registry(reader, raw.get("registry", []))
    query = _read_query(reader, raw.get("query", {}))
    registry_records = bool(registry) or holds_registry_records(d.path for d in datasets)
    query = query.with_(outcome=current_outcome_id(query.outcome, registry_records))
    chart = reader.enum(raw, "chart", ChartKind, "$", ChartKind.DOSE_RESPONSE)
    export_raw = raw.get("export", {})
    if not isinstance(export_raw, dict):
        reader.problem("$.export", "export", "expected an object")
        export_raw = {}
    base = ExportSize()
    export = ExportSize(
        *(reader.typed(export_raw, key, int, "$.export", getattr(base, key)) for key in ("width", "height", "dpi"))
    )
    if reader.problems:
        raise DataError(reader.problems)
    return SessionFile(datasets, query, chart, export, reader.typed(raw, "app_version", str, "$", ""), registry)


def read_session(path: Path) -> SessionFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError.single(str(path), "", "", f"cannot read the session file: {exc}") from None
    return from_json(text, str(path))
