"""Where the registry is: the location the user named, the default one, and the form of a location that
may be remembered or shown (a PostgreSQL URL without its password: libpq finds it again in ``PGPASSWORD``
or ``~/.pgpass``). Standard library only."""

from __future__ import annotations

import os
import re
from pathlib import Path

REGISTRY_ENV = "DRUG_VIEWER_REGISTRY"


def connect_rule(refusal: Exception, timeout_s: float | None) -> str:
    """Why a PostgreSQL server refused a connection, in words a user can act on (``refusal``: the driver's
    error, whose libpq message never holds the password); ``timeout_s``: the connect timeout asked for, if
    any. The one wording of a refused connection, for opening a registry and for preparing one."""
    message = str(refusal).strip() or type(refusal).__name__
    lowered = message.casefold()
    if (
        "password" in lowered
        or "authentication failed" in lowered
        or ("role" in lowered and "does not exist" in lowered)
    ):
        return "the server refused the user name or password (set them in the URL, PGUSER/PGPASSWORD or ~/.pgpass)"
    if "does not exist" in lowered and "database" in lowered:
        return "no such database on that server"
    if "timeout" in lowered:
        within = f" within {timeout_s:g} s" if timeout_s is not None else ""
        return f"the server did not answer{within} (unreachable or too slow)"
    return f"cannot connect: {message.splitlines()[-1]}"


def is_postgres(location: str) -> bool:
    return location.startswith(("postgresql:", "postgres:"))


def redact(url: str) -> str:
    """The URL without its password: 'postgresql://u:secret@h/db?password=x' -> 'postgresql://u@h/db'."""
    url = re.sub(r"^(postgres(?:ql)?://[^:/@?]*):[^@/?]*@", r"\1@", url)
    url = re.sub(r"([?&])password=[^&]*&?", r"\1", url)
    return url.rstrip("?&")


def shown_location(location: str) -> str:
    """A location as it may be stored, logged or shown: never with a password."""
    location = location.strip()
    return redact(location) if is_postgres(location) else location


def default_local_copy() -> Path:
    """Where ``registry import`` puts the local copy unless told: the XDG data folder."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "drug-viewer" / "aact.duckdb"


def default_registry() -> str:
    return os.environ.get(REGISTRY_ENV) or str(default_local_copy())


REGISTRY_PATH = "aact+"  # a registry dataset's path: this prefix and its location, e.g. 'aact+postgresql://u@h/aact'


def dataset_path(label: str) -> str:
    """The path of the one dataset a registry's studies make (a new pick replaces it by this path)."""
    return REGISTRY_PATH + label


def location_of(path: str) -> str:
    """The registry location a dataset path names, or '' when the dataset was read from a file."""
    return path[len(REGISTRY_PATH) :] if path.startswith(REGISTRY_PATH) else ""
