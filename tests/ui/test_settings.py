"""The settings wrapper: typed reads, round trips, and a corrupt file that must never stop the start."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from viewer.charts.query import DEFAULT_DRUGS, DiffCI, DoseAxis, DoseModel, Effect, PanelMode, Query, RateCI
from viewer.domain.synthesis.pairwise import PoolModel, Tau2Method
from viewer.ui.settings import DEFAULTS, Settings


def ini(path: Path) -> Settings:
    return Settings(QSettings(str(path), QSettings.Format.IniFormat))


def test_empty_settings_give_the_defaults(settings: Settings) -> None:
    assert settings.load_query() == Query()
    assert settings.user_paths() == []
    assert settings.get_int("view/tab") == 0
    assert settings.get_bool("view/details_visible") is True
    assert settings.get_bytes("window/geometry").isEmpty()


def test_query_round_trips_through_a_fresh_qsettings(tmp_path: Path) -> None:
    query = Query(
        drugs=("baricitinib", "filgotinib"),
        outcome="ACR50",
        timepoint="week 12",
        population="MTX-IR",
        trials=("ra-beam",),
        adjusted=True,
        effect=Effect.OR,
        diff_ci=DiffCI.WALD,
        rate_ci=RateCI.CLOPPER_PEARSON,
        dose_axis=DoseAxis.LOG,
        panels=PanelMode.DRUG,
        emax=True,
        verified_only=True,
        ae_term="herpes zoster",
        safety_term="MACE",
        pool=PoolModel.FIXED,
        tau2=Tau2Method.DL,
        hksj=True,
        combine_populations=True,
        pool_doses=True,
        dose_model=DoseModel.LOG_LINEAR,
    )
    first = ini(tmp_path / "a.ini")
    first.save_query(query)
    first.set("data/user_paths", ["/x/one.csv"])
    first.set("window/geometry", QByteArray(b"\x00\x01geometry"))
    first.sync()
    again = ini(tmp_path / "a.ini")  # values come back as strings: the typed reads must parse them
    assert again.load_query() == query
    assert again.user_paths() == ["/x/one.csv"]
    assert bytes(again.get_bytes("window/geometry").data()) == b"\x00\x01geometry"


def test_a_single_drug_list_stays_a_list(tmp_path: Path) -> None:
    """QSettings returns a one-element list as a plain string; JSON storage avoids that trap."""
    s = ini(tmp_path / "b.ini")
    s.save_query(Query(drugs=("upadacitinib",)))
    s.sync()
    assert ini(tmp_path / "b.ini").load_query().drugs == ("upadacitinib",)


@pytest.mark.parametrize(
    ("key", "raw", "read"),
    [
        ("query/drugs", "notalist", lambda s: s.load_query().drugs == DEFAULT_DRUGS),
        ("query/drugs", '{"a": 1}', lambda s: s.load_query().drugs == DEFAULT_DRUGS),
        ("query/drugs", "[1, 2]", lambda s: s.load_query().drugs == DEFAULT_DRUGS),
        ("query/effect", "median", lambda s: s.load_query().effect is Effect.RD),
        ("query/diff_ci", "", lambda s: s.load_query().diff_ci is DiffCI.NEWCOMBE),
        ("query/adjusted", "maybe", lambda s: s.load_query().adjusted is False),
        ("view/tab", "abc", lambda s: s.get_int("view/tab") == 0),
        ("data/user_paths", "12", lambda s: s.user_paths() == []),
    ],
)
def test_wrong_types_fall_back_to_defaults(tmp_path: Path, key: str, raw: str, read: object) -> None:
    path = tmp_path / "c.ini"
    section, name = key.split("/")
    path.write_text(f"[{section}]\n{name}={raw}\n", encoding="utf-8")
    assert callable(read)
    assert read(ini(path))


def test_a_file_of_garbage_bytes_reads_as_defaults(tmp_path: Path) -> None:
    path = tmp_path / "garbage.ini"
    path.write_bytes(
        b"\x00\xff\xfe\x80 [[[ \n[query]\ndrugs=\xc3\x28\noutcome=a, b, c\n\x00\x00[window]\ngeometry=@ByteArray(zz\n"
    )
    s = ini(path)
    query = s.load_query()
    assert query.drugs == DEFAULT_DRUGS
    assert query.outcome == "ACR20"  # a list where text belongs reads as missing
    assert isinstance(s.get_bytes("window/geometry"), QByteArray)


def test_every_default_has_a_typed_reader(settings: Settings) -> None:
    for key, default in DEFAULTS.items():
        if isinstance(default, bool):
            assert settings.get_bool(key) is default
        elif isinstance(default, int):
            assert settings.get_int(key) == default
        elif isinstance(default, list):
            assert settings.get_list(key) == default
        else:
            assert settings.get_str(key) == default


@pytest.mark.parametrize(
    ("old", "axis"),
    [("true", DoseAxis.LOG), ("false", DoseAxis.LINEAR), ("1", DoseAxis.LOG), ("maybe", DoseAxis.LINEAR)],
)
def test_an_earlier_log_dose_switch_becomes_the_dose_axis_once(tmp_path: Path, old: str, axis: DoseAxis) -> None:
    """Settings written before the dose axis had three scales kept ``query/log_dose``: read as the axis it chose
    (an unreadable value as the default), then removed from the file."""
    path = tmp_path / "old.ini"
    path.write_text(f"[query]\nlog_dose={old}\n", encoding="utf-8")
    assert ini(path).load_query().dose_axis is axis
    text = path.read_text(encoding="utf-8")
    assert "log_dose" not in text
    assert ("dose_axis=log" in text) is (axis is DoseAxis.LOG)
    fresh = ini(path)  # translated once: a later choice is not overwritten by the old switch
    fresh.save_query(Query(dose_axis=DoseAxis.APPROVED))
    fresh.sync()
    assert ini(path).load_query().dose_axis is DoseAxis.APPROVED


def test_a_dose_axis_stored_beside_the_old_switch_wins(tmp_path: Path) -> None:
    path = tmp_path / "both.ini"
    path.write_text("[query]\nlog_dose=true\ndose_axis=approved\n", encoding="utf-8")
    assert ini(path).load_query().dose_axis is DoseAxis.APPROVED
    assert "log_dose" not in path.read_text(encoding="utf-8")
