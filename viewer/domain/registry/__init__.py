"""The whole ClinicalTrials.gov registry through AACT: search it and bring studies into a comparison.

``open_registry`` takes a ``postgresql://`` URL (AACT's public server or a local restore) or the path of
the local copy that ``import_flatfiles`` builds from AACT's daily flat files; both answer the same
``RegistrySource`` interface with the same SQL, and studies become Datasets through the ClinicalTrials.gov
readers' own builder, so a study read here and from its JSON gives the same figures.

``open_registry`` and ``RegistrySource`` are imported on first use (PEP 562): they bring in the
ClinicalTrials.gov readers, which a command that never touches the registry (``drug-viewer export``) need
not import just because it builds its argument parser from :mod:`viewer.domain.registry.location`.
"""

from typing import TYPE_CHECKING, Any

from viewer.domain.registry.search import DrugHit, SearchQuery, StudyHit

if TYPE_CHECKING:
    from viewer.domain.registry.opening import open_registry
    from viewer.domain.registry.source import RegistrySource

__all__ = ["DrugHit", "RegistrySource", "SearchQuery", "StudyHit", "open_registry"]


def __getattr__(name: str) -> Any:
    if name == "open_registry":
        from viewer.domain.registry.opening import open_registry

        return open_registry
    if name == "RegistrySource":
        from viewer.domain.registry.source import RegistrySource

        return RegistrySource
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
