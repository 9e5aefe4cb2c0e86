"""The whole ClinicalTrials.gov registry through AACT: search it and bring studies into a comparison.

``open_registry`` takes a ``postgresql://`` URL (AACT's public server or a local restore) or the path of
the local copy that ``import_flatfiles`` builds from AACT's daily flat files; both answer the same
``RegistrySource`` interface with the same SQL, and studies become Datasets through the ClinicalTrials.gov
readers' own builder, so a study read here and from its JSON gives the same figures.
"""

from viewer.domain.registry.opening import open_registry
from viewer.domain.registry.search import DrugHit, SearchQuery, StudyHit
from viewer.domain.registry.source import RegistrySource

__all__ = ["DrugHit", "RegistrySource", "SearchQuery", "StudyHit", "open_registry"]
