"""ClinicalTrials.gov records: front ends per format, one builder for what the numbers mean.

* ``raw``: a study as the registry gives it (the neutral record every front end fills);
* ``from_json`` (API v2 JSON), ``from_xml`` (legacy XML): walk a format, fill the raw record;
* ``build``: raw record -> Dataset, with ``drugs``, ``arms`` (and ``doses``), ``outcomes`` and ``events``
  deciding what each part means; ``printed`` reads single printed values.
"""

from __future__ import annotations

from viewer.domain.readers.ctgov.build import build_dataset, combine
from viewer.domain.readers.ctgov.from_json import read_ctgov_json
from viewer.domain.readers.ctgov.from_xml import read_ctgov_xml

__all__ = ["build_dataset", "combine", "read_ctgov_json", "read_ctgov_xml"]
