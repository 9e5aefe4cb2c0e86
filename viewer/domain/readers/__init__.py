"""Every way evidence gets in: the dataset folder, a spreadsheet CSV and ClinicalTrials.gov records.

``load_path`` is the single entry point the window and the command line use, so a file opened either way
goes through the same reader and the same validation.
"""

from __future__ import annotations

from pathlib import Path

from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError, Rule
from viewer.domain.model import Dataset, Origin

SUPPORTED = "a dataset folder, a spreadsheet .csv, a ClinicalTrials.gov .json or legacy .xml record"


def load_path(path: Path, catalog: Catalog | None = None, *, origin: Origin = Origin.USER) -> Dataset:
    """Read one dataset folder or file; ``catalog`` is what is already loaded (for drug names and ids).

    Registry readers are imported on first use: they are not needed to show the first window. Reading
    several paths in order, and merging them, is :class:`viewer.session.Session`'s job.
    """
    if not path.exists():
        raise DataError.single(path.name, "", "", "does not exist", Rule.NOT_FOUND)
    if path.is_dir():
        from viewer.domain.readers.dataset import load_dataset

        known = catalog or Catalog()
        return load_dataset(path, origin=origin, known_drugs=known.drugs, known_outcomes=known.outcomes)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        from viewer.domain.readers.spreadsheet import read_spreadsheet

        return read_spreadsheet(path, catalog)
    if suffix == ".json":
        from viewer.domain.readers.ctgov import read_ctgov_json

        return read_ctgov_json(path, catalog)
    if suffix == ".xml":
        from viewer.domain.readers.ctgov import read_ctgov_xml

        return read_ctgov_xml(path, catalog)
    rule = f"unsupported file type {suffix or '(none)'}; open {SUPPORTED}"
    raise DataError.single(path.name, "", "", rule, Rule.UNSUPPORTED)
