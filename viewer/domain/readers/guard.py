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
import os
import re
from pathlib import PurePath

from viewer.domain import sliced
from viewer.domain.errors import DataError, Problem, Rule

MAX_BYTES = 256 * 1024 * 1024
_REST = 1024 * 1024  # bytes read at a time past what ``fstat`` stated (a file that grew, a pipe)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # Windows would otherwise translate line ends

StrPath = str | os.PathLike[str]
SAVE_AS_UTF8 = "save it as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8 (Comma delimited))"

_XML_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']")


def fail(file: str, location: str, field: str, rule: str, kind: Rule) -> DataError:
    """A DataError with one problem (raised by the caller, so type checkers see the raise)."""
    return DataError([Problem(file, location, field, rule, kind)])


def read_bytes(path: StrPath, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes; a missing, unreadable or too large file is a DataError naming it.

    One open, one ``fstat`` and a read of the size it states (plus a byte, to see the end): no second
    ``stat`` by path and no buffered reader, which halves the cost of 2,000 small monographs (issue 17;
    ``pathlib.Path.read_bytes`` stats, checks for a terminal and reads through a buffer). A file longer than
    it stated is read on to its end, still within ``limit``.
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise fail(file_name(path), "", "", "does not exist", Rule.NOT_FOUND) from None
    except OSError as exc:
        raise _unreadable(path, exc) from None
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise _too_large(path, size, limit)
        data = os.read(fd, size + 1)
        if len(data) <= size:
            return data
        parts, total = [data], len(data)
        while part := os.read(fd, _REST):
            parts.append(part)
            total += len(part)
            if total > limit:
                raise _too_large(path, total, limit)
        return b"".join(parts)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    finally:
        os.close(fd)


def file_name(path: StrPath) -> str:
    """The name a problem gives the file: ``Path.name`` (a string path's last part)."""
    return path.name if isinstance(path, PurePath) else os.path.basename(os.fspath(path))


def _unreadable(path: StrPath, exc: OSError) -> DataError:
    return fail(file_name(path), "", "", f"cannot be read: {exc.strerror or exc}", Rule.UNREADABLE)


def _too_large(path: StrPath, size: int, limit: int) -> DataError:
    rule = f"is too large ({size} bytes; at most {limit} are read)"
    return fail(file_name(path), "", "", rule, Rule.TOO_LARGE)


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


def read_text(path: StrPath, *, what: str, hint: str = "", limit: int = MAX_BYTES) -> str:
    """``read_bytes`` then ``decode``: the text of a file every reader accepts."""
    return decode(file_name(path), read_bytes(path, limit), what=what, hint=hint)


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
