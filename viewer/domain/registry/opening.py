"""Open a registry by what the user typed: a PostgreSQL URL or the path of the local copy."""

from __future__ import annotations

from pathlib import Path

from viewer.domain.registry.location import is_postgres
from viewer.domain.registry.source import RegistrySource


def open_registry(location: str, *, timeout_s: float = 15.0) -> RegistrySource:
    """A postgresql:// URL ('postgresql://' alone: all from the PG* variables and ~/.pgpass) or a local copy path."""
    if is_postgres(location):
        from viewer.domain.registry.postgres import PostgresRegistry

        return PostgresRegistry(location, timeout_s=timeout_s)
    from viewer.domain.registry.local import LocalRegistry

    return LocalRegistry(Path(location))
