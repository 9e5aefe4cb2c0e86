"""What the window remembers between runs, behind one small typed wrapper over QSettings.

QSettings hands back strings in a fresh process, converts silently to 0 or '' when a value does not fit
the requested type, and keeps whatever a user (or a crash) left in the file. So every key has a typed
default in one table, every read goes through ``value(key, default, type=str)`` followed by a parse of
our own, and anything that does not parse falls back to the default: a corrupt settings file costs the
user their layout, never their start-up. The QSettings object is injected so tests use an INI in a
temporary folder instead of the user's real configuration. Keys of earlier versions are translated into
the ones that replaced them once, when the settings are opened, and then removed.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Final, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from viewer.charts.query import DEFAULT_DRUGS, MAX_DRUGS, DiffCI, DoseAxis, Effect, PanelMode, Query, RateCI
from viewer.domain.outcome_ids import current_outcome_id, holds_registry_records
from viewer.domain.synthesis.options import DoseModel, PoolModel, Tau2Method

# key -> default; the default's type is the key's type (lists are stored as JSON text).
DEFAULTS: Final[dict[str, object]] = {
    "query/drugs": list(DEFAULT_DRUGS),
    "query/outcome": Query().outcome,
    "query/timepoint": "",
    "query/population": "",
    "query/trials": [],
    "query/adjusted": False,
    "query/effect": Effect.RD.value,
    "query/diff_ci": DiffCI.NEWCOMBE.value,
    "query/rate_ci": RateCI.WILSON.value,
    "query/dose_axis": Query().dose_axis.value,
    "query/panels": Query().panels.value,
    "query/ic50_raw": False,
    "query/emax": False,
    "query/verified_only": False,
    "query/ae_term": Query().ae_term,
    "query/safety_term": Query().safety_term,
    "query/pool": "",
    "query/tau2": Query().tau2.value,
    "query/hksj": False,
    "query/combine_populations": False,
    "query/pool_doses": False,
    "query/dose_model": Query().dose_model.value,
    "view/tab": 0,
    "view/focused_drug": "",
    "view/details_visible": True,
    "view/datasets_visible": True,
    "view/drugs_visible": True,
    "view/theme": "system",  # system | light | dark (viewer.ui.theme.Theme)
    "view/compact_controls": False,
    "view/chart_notes": True,
    "data/user_paths": [],
    "session/recent": [],  # recently opened or saved session files, newest first
    "registry/location": "",  # a postgresql:// URL without any password, or the local copy's path
    "files/folder": "",  # the folder of the file or folder last chosen in a file dialog (opened or saved)
    # File > Export chart's last confirmed choices (viewer.ui.export_dialog, which checks them; "" and 0: none yet)
    "export/format": "",  # png | svg | pdf (ExportFormat)
    "export/size": "",  # slide | journal | a4 | custom (Size)
    "export/width_px": 0,  # the size in the dialog's fields, read back for a custom size
    "export/height_px": 0,
    "export/dpi": 0,
}
_E = TypeVar("_E", bound=Enum)
BYTES_KEYS: Final[tuple[str, ...]] = ("window/geometry", "window/state", "window/splitter", "window/side_splitter")


class Settings:
    """Typed access to the remembered state; construct with the QSettings to use (tests: a tmp INI)."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.qsettings = qsettings if qsettings is not None else QSettings()
        self._translate_old_keys()

    def _translate_old_keys(self) -> None:
        """An earlier version's ``query/log_dose`` true/false is the dose axis log/linear it chose then, as
        :func:`viewer.session_file` reads an old session's ``log_dose``; a ``query/dose_axis`` stored beside
        it is the newer choice and wins. The old key is removed, so this happens once. A registry outcome
        remembered with em dashes between its parts is that outcome's id now, by the session file's rule."""
        self._translate_outcome_id()
        if not self.qsettings.contains("query/log_dose"):
            return
        log = _parse_bool(self._text("query/log_dose"))
        if log is not None and not self.qsettings.contains("query/dose_axis"):
            self.set("query/dose_axis", (DoseAxis.LOG if log else DoseAxis.LINEAR).value)
        self.qsettings.remove("query/log_dose")
        self.qsettings.sync()  # written at once: the next start reads the new key only

    def _translate_outcome_id(self) -> None:
        """The remembered outcome as this version spells it (:func:`current_outcome_id`: the datasets it was
        chosen among are the remembered ones), written back at once so the next start finds it as is."""
        outcome = self._text("query/outcome")
        if not outcome:
            return
        current = current_outcome_id(outcome, holds_registry_records(self.user_paths()))
        if current != outcome:
            self.set("query/outcome", current)
            self.qsettings.sync()

    # -- primitive typed reads ------------------------------------------------------------------

    def _text(self, key: str) -> str | None:
        """The stored text of ``key``, or None when absent or not representable as text (a list)."""
        if not self.qsettings.contains(key):
            return None
        try:
            value = self.qsettings.value(key, "", type=str)
        except (TypeError, ValueError, RuntimeError):
            return None
        return value if isinstance(value, str) else None

    def get_str(self, key: str) -> str:
        default = DEFAULTS[key]
        assert isinstance(default, str)
        text = self._text(key)
        return default if text is None else text

    def get_bool(self, key: str) -> bool:
        default = DEFAULTS[key]
        assert isinstance(default, bool)
        value = _parse_bool(self._text(key))
        return default if value is None else value

    def get_int(self, key: str) -> int:
        default = DEFAULTS[key]
        assert isinstance(default, int)
        try:
            return int((self._text(key) or "").strip())
        except ValueError:
            return default

    def get_list(self, key: str) -> list[str]:
        """A list of strings stored as JSON; anything else ("notalist", a number) gives the default."""
        default = DEFAULTS[key]
        assert isinstance(default, list)
        text = self._text(key)
        if text is None:
            return list(default)
        try:
            value = json.loads(text)
        except ValueError:
            return list(default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return list(default)
        return value

    def get_enum(self, key: str, default: _E) -> _E:
        """A remembered choice among ``default``'s enum's values; any other text gives ``default``."""
        return _enum(type(default), self.get_str(key), default)

    def get_bytes(self, key: str) -> QByteArray:
        """Window geometry and state blobs; Qt's restore functions reject a corrupt blob themselves."""
        assert key in BYTES_KEYS
        try:
            value = self.qsettings.value(key, QByteArray(), type=QByteArray)
        except (TypeError, ValueError, RuntimeError):
            return QByteArray()
        return value if isinstance(value, QByteArray) else QByteArray()

    def set(self, key: str, value: object) -> None:
        """Write ``value`` in the form the typed reads expect (lists as JSON, bools as true/false)."""
        if key in BYTES_KEYS:
            assert isinstance(value, QByteArray)
            self.qsettings.setValue(key, value)
            return
        default = DEFAULTS[key]
        if isinstance(default, list):
            assert isinstance(value, (list, tuple))
            self.qsettings.setValue(key, json.dumps([str(v) for v in value]))
        elif isinstance(default, bool):
            self.qsettings.setValue(key, "true" if value else "false")
        else:
            self.qsettings.setValue(key, str(value))

    def sync(self) -> None:
        self.qsettings.sync()

    # -- the query ------------------------------------------------------------------------------

    def save_query(self, query: Query) -> None:
        self.set("query/drugs", list(query.drugs))
        self.set("query/outcome", query.outcome)
        self.set("query/timepoint", query.timepoint)
        self.set("query/population", query.population)
        self.set("query/trials", list(query.trials))
        self.set("query/adjusted", query.adjusted)
        self.set("query/effect", query.effect.value)
        self.set("query/diff_ci", query.diff_ci.value)
        self.set("query/rate_ci", query.rate_ci.value)
        self.set("query/dose_axis", query.dose_axis.value)
        self.set("query/panels", query.panels.value)
        self.set("query/ic50_raw", query.ic50_raw)
        self.set("query/emax", query.emax)
        self.set("query/verified_only", query.verified_only)
        self.set("query/ae_term", query.ae_term)
        self.set("query/safety_term", query.safety_term)
        self.set("query/pool", query.pool.value if query.pool else "")
        self.set("query/tau2", query.tau2.value)
        self.set("query/hksj", query.hksj)
        self.set("query/combine_populations", query.combine_populations)
        self.set("query/pool_doses", query.pool_doses)
        self.set("query/dose_model", query.dose_model.value)

    def load_query(self) -> Query:
        """The remembered query, each field checked on its own (a bad enum keeps the rest).

        Whether the drugs, outcome or trials exist is checked later against the catalog
        (:meth:`viewer.session.Session.fit`), because the user's datasets may not be loaded yet.
        """
        base = Query()
        pool = self.get_str("query/pool")
        return Query(
            drugs=tuple(dict.fromkeys(self.get_list("query/drugs")))[:MAX_DRUGS],
            outcome=self.get_str("query/outcome") or base.outcome,
            timepoint=self.get_str("query/timepoint"),
            population=self.get_str("query/population"),
            trials=tuple(self.get_list("query/trials")),
            adjusted=self.get_bool("query/adjusted"),
            effect=_enum(Effect, self.get_str("query/effect"), base.effect),
            diff_ci=_enum(DiffCI, self.get_str("query/diff_ci"), base.diff_ci),
            rate_ci=_enum(RateCI, self.get_str("query/rate_ci"), base.rate_ci),
            dose_axis=_enum(DoseAxis, self.get_str("query/dose_axis"), base.dose_axis),
            panels=_enum(PanelMode, self.get_str("query/panels"), base.panels),
            ic50_raw=self.get_bool("query/ic50_raw"),
            emax=self.get_bool("query/emax"),
            verified_only=self.get_bool("query/verified_only"),
            ae_term=self.get_str("query/ae_term") or base.ae_term,
            safety_term=self.get_str("query/safety_term") or base.safety_term,
            pool=_enum(PoolModel, pool, PoolModel.RANDOM) if pool else None,
            tau2=_enum(Tau2Method, self.get_str("query/tau2"), base.tau2),
            hksj=self.get_bool("query/hksj"),
            combine_populations=self.get_bool("query/combine_populations"),
            pool_doses=self.get_bool("query/pool_doses"),
            dose_model=_enum(DoseModel, self.get_str("query/dose_model"), base.dose_model),
        )

    # -- file dialogs -----------------------------------------------------------------------------

    def start_folder(self) -> Path:
        """Where a file dialog opens: where the user last opened or saved a file (people keep their trials and
        exports together and expect to land there again), while that folder exists; else the home folder."""
        folder = self.get_str("files/folder")
        return Path(folder) if folder and Path(folder).is_dir() else Path.home()

    def remember_folder(self, chosen: Path) -> None:
        """Remember the folder holding ``chosen`` (a file, or a dataset folder: its siblings are next)."""
        self.set("files/folder", str(Path(chosen).parent))

    # -- user datasets ----------------------------------------------------------------------------

    def user_paths(self) -> list[str]:
        return self.get_list("data/user_paths")

    def set_user_paths(self, paths: list[str]) -> None:
        self.set("data/user_paths", paths)


def _parse_bool(text: str | None) -> bool | None:
    """true/1/yes or false/0/no as QSettings or a hand-edited file may hold them; anything else None."""
    word = (text or "").strip().casefold()
    if word in ("true", "1", "yes"):
        return True
    if word in ("false", "0", "no"):
        return False
    return None


def _enum(cls: type[_E], text: str, default: _E) -> _E:
    try:
        return cls(text)
    except ValueError:
        return default
