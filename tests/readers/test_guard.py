"""The file checks every reader shares (readers.guard): size, encoding, delimiter, unsafe XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.domain.errors import DataError, Rule
from viewer.domain.readers import load_path
from viewer.domain.readers.ctgov import read_ctgov_json, read_ctgov_xml
from viewer.domain.readers.guard import read_bytes
from viewer.domain.readers.spreadsheet import read_spreadsheet

SHEET = Path(__file__).resolve().parents[1] / "data" / "migraine_spreadsheet.csv"


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(DataError) as info:
        read_bytes(path, limit=1000)
    assert info.value.problems[0].kind is Rule.TOO_LARGE
    assert "2000 bytes" in info.value.problems[0].rule


def test_semicolon_spreadsheet_reads_like_the_comma_one(tmp_path: Path) -> None:
    text = SHEET.read_text(encoding="utf-8")
    assert ";" not in text
    path = tmp_path / SHEET.name  # the same name: provenance names the file
    path.write_text(text.replace(",", ";"), encoding="utf-8")
    comma, semicolon = read_spreadsheet(SHEET), read_spreadsheet(path)
    assert semicolon.results == comma.results
    assert semicolon.arms == comma.arms


def test_utf16_spreadsheet_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / SHEET.name
    path.write_bytes(SHEET.read_text(encoding="utf-8").encode("utf-16"))
    assert read_spreadsheet(path).results == read_spreadsheet(SHEET).results


def test_cp1252_spreadsheet_is_refused_with_a_hint(tmp_path: Path) -> None:
    text = SHEET.read_text(encoding="utf-8").replace("Migraine", "Migräne", 1)
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(DataError) as info:
        read_spreadsheet(path)
    problem = info.value.problems[0]
    assert problem.kind is Rule.ENCODING
    assert "not UTF-8 text" in problem.rule and "Save As > CSV UTF-8" in problem.rule


def test_decimal_comma_gets_a_hint(tmp_path: Path) -> None:
    rows = SHEET.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    cells = rows[1].split(",")
    cells[header.index("percent")] = "12,5"
    cells[header.index("responders")] = ""
    path = tmp_path / "comma.csv"
    path.write_text("\n".join([";".join(header), ";".join(cells)]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="decimal separator as a point"):
        read_spreadsheet(path)


@pytest.mark.parametrize("declaration", ["<!DOCTYPE x [<!ENTITY a 'b'>]>", "<!ENTITY a SYSTEM 'file:///etc/passwd'>"])
def test_xml_declarations_are_refused(tmp_path: Path, declaration: str) -> None:
    path = tmp_path / "record.xml"
    path.write_text(f"<?xml version='1.0'?>{declaration}<clinical_study/>", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_ctgov_xml(path, None)
    assert info.value.problems[0].kind is Rule.UNSAFE


def test_json_in_another_encoding_names_the_rule(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_bytes('{"protocolSection": "é"}'.encode("cp1252"))
    with pytest.raises(DataError) as info:
        read_ctgov_json(path, None)
    assert info.value.problems[0].kind is Rule.ENCODING


def test_missing_and_unsupported_files_name_the_file_not_the_path(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load_path(tmp_path / "absent.json")
    assert info.value.problems[0].file == "absent.json"
    assert info.value.problems[0].kind is Rule.NOT_FOUND
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_path(tmp_path / "notes.txt")
    assert info.value.problems[0].file == "notes.txt"
    assert info.value.problems[0].kind is Rule.UNSUPPORTED


def test_tab_separated_unicode_text_is_read(tmp_path: Path) -> None:
    """Excel's 'Unicode text' is UTF-16 with tabs between cells."""
    path = tmp_path / SHEET.name
    path.write_bytes(SHEET.read_text(encoding="utf-8").replace(",", "\t").encode("utf-16"))
    assert read_spreadsheet(path).results == read_spreadsheet(SHEET).results


@pytest.mark.parametrize(
    ("header", "field", "kind"),
    [("trial,population,extra", "extra", Rule.SHAPE), ("trial", "population", Rule.MISSING)],
)
def test_column_problems_name_the_rule(tmp_path: Path, header: str, field: str, kind: Rule) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_spreadsheet(path)
    assert any(field in p.field and p.kind is kind for p in info.value.problems)


def test_row_longer_than_the_header_is_a_shape_problem(tmp_path: Path) -> None:
    lines = SHEET.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "sheet.csv"
    path.write_text("\n".join([lines[0], lines[1] + ",surplus"]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_spreadsheet(path)
    assert [(p.location, p.kind) for p in info.value.problems] == [("row 2", Rule.SHAPE)]


def _xml(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "record.xml"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "data",
    [
        "<?xml version='1.0'?><other/>".encode("utf-16"),
        b"\xef\xbb\xbf<?xml version='1.0'?><other/>",
        "<other/>".encode("utf-16-le"),
        "<?xml version='1.0' encoding='ISO-8859-1'?><other>\u00e9</other>".encode("latin-1"),
    ],
    ids=["utf-16 with BOM", "utf-8 with BOM", "utf-16 without BOM", "declared latin-1"],
)
def test_xml_encodings_are_decoded_before_the_root_is_checked(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(DataError) as info:
        load_path(_xml(tmp_path, data))
    assert info.value.problems[0].kind is Rule.WRONG_FORMAT  # decoded, parsed, then found not to be a record


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"<?xml version='1.0' encoding='no-such-code'?><x/>", Rule.ENCODING),
        (b"<?xml version='1.0' encoding='utf-8'?><x>\xff</x>", Rule.ENCODING),
        (b"<x>\x00</x>", Rule.ENCODING),
        (b"   ", Rule.MISSING),
    ],
    ids=["unknown encoding", "invalid utf-8", "NUL", "empty"],
)
def test_xml_that_is_not_text_names_the_rule(tmp_path: Path, data: bytes, kind: Rule) -> None:
    with pytest.raises(DataError) as info:
        read_ctgov_xml(_xml(tmp_path, data), None)
    assert info.value.problems[0].kind is kind


def test_nul_in_utf8_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(b'{"a": "\x00"}')
    with pytest.raises(DataError, match="NUL") as info:
        read_ctgov_json(path, None)
    assert info.value.problems[0].kind is Rule.ENCODING
