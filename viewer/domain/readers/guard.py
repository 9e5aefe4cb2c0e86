"""What every reader checks before it parses anything: size, readability, encoding, unsafe XML.

The dataset folder, the spreadsheet and the ClinicalTrials.gov readers all take their bytes and text from
here, so a file is refused for the same reasons, with the same words, whichever reader opens it:

* a file larger than :data:`MAX_BYTES` is not read at all (a full API page of 1,000 studies is far
  below it), so a wrong file cannot exhaust memory;
* text must be UTF-8 (a byte-order mark is allowed) or UTF-16 with a byte-order mark; anything else is
  refused with a hint saying how to re-save it (Excel's "CSV UTF-8"), never guessed, because a wrong
  guess silently changes names and numbers;
* text holding NUL characters is not a text file;
* XML with a document type or entity declaration is refused before any parser sees it: entity expansion
  ("billion laughs") and external entities are unsafe and registry records never use either.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from viewer.domain import sliced
from viewer.domain.errors import DataError, Problem, Rule

MAX_BYTES = 256 * 1024 * 1024
SAVE_AS_UTF8 = "save it as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8 (Comma delimited))"

_XML_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']")


def fail(file: str, location: str, field: str, rule: str, kind: Rule) -> DataError:
    """A DataError with one problem (raised by the caller, so type checkers see the raise)."""
    return DataError([Problem(file, location, field, rule, kind)])


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes; a missing, unreadable or too large file is a DataError naming it."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise fail(path.name, "", "", f"is too large ({size} bytes; at most {limit} are read)", Rule.TOO_LARGE)
        return path.read_bytes()
    except FileNotFoundError:
        raise fail(path.name, "", "", "does not exist", Rule.NOT_FOUND) from None
    except OSError as exc:
        raise fail(path.name, "", "", f"cannot be read: {exc.strerror or exc}", Rule.UNREADABLE) from None


def decode(file: str, data: bytes, *, what: str, hint: str = "") -> str:
    """UTF-8 (optional BOM) or BOM-marked UTF-16 text; refuses other encodings and NUL characters.

    ``what`` names the expected content in the message ("ClinicalTrials.gov JSON"); ``hint`` says what the
    user can do about a file in another encoding.
    """
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    encoding = "utf-16" if utf16 else "utf-8-sig"
    try:
        text = sliced.decode(data, encoding)  # a megabyte at a time: a worker thread's read lets the GUI in
    except UnicodeDecodeError as exc:
        extra = f"; {hint}" if hint else ""
        rule = f"is not {'UTF-16' if encoding == 'utf-16' else 'UTF-8'} text, so not {what}{extra}"
        raise fail(file, f"byte {exc.start}", "", rule, Rule.ENCODING) from None
    if "\x00" in text:
        raise fail(file, "", "", f"is not a text file (contains NUL characters), so not {what}", Rule.ENCODING)
    return text


def read_text(path: Path, *, what: str, hint: str = "", limit: int = MAX_BYTES) -> str:
    """``read_bytes`` then ``decode``: the text of a file every reader accepts."""
    return decode(path.name, read_bytes(path, limit), what=what, hint=hint)


def decode_xml(file: str, data: bytes) -> str:
    """XML text in the encoding its BOM or declaration names, with every DTD and entity refused."""
    if not data.strip():
        raise fail(file, "", "", "is empty", Rule.MISSING)
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        elif data.startswith((b"<\x00", b"\x00<")):
            text = data.decode("utf-16-le" if data[0] == ord("<") else "utf-16-be")
        else:
            declared = _XML_ENCODING.match(data)
            encoding = declared.group(1).decode("ascii") if declared else "utf-8"
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise fail(
                    file, "line 1", "encoding", f"unknown character encoding '{encoding}'", Rule.ENCODING
                ) from None
            text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise fail(
            file, f"byte {exc.start}", "", f"is not valid {exc.encoding} text, so not XML", Rule.ENCODING
        ) from None
    found = _XML_DECLARATION.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise fail(
            file,
            f"line {line}",
            found.group(1).upper(),
            "document type and entity declarations are refused (entity expansion and external entities are "
            "unsafe, and ClinicalTrials.gov records never use them)",
            Rule.UNSAFE,
        )
    if "\x00" in text:
        raise fail(file, "", "", "is not a text file (contains NUL characters)", Rule.ENCODING)
    return text
