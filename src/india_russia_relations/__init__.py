"""India–Soviet Union and India–Russia relations: a cited, typed, versioned dataset.

>>> import india_russia_relations as irr
>>> visits = irr.records("visits")  # list[Visit], each cited to a source
"""

from functools import cache as _cache

from .citation import cite
from .errors import (
    DataError,
    IrrError,
    MissingDependencyError,
    UnknownRecordError,
    UnknownTableError,
)
from .load import citations_for, datapackage_path, load, package, records, sources_for
from .load import package_dir as _package_dir
from .reports.support import Support
from .reports.support import compute as _support_of
from .schema.dates import PartialDate
from .schema.models import (
    TABLES,
    Agreement,
    AgreementParty,
    Citation,
    Country,
    Event,
    Leader,
    Position,
    Source,
    Visit,
)


@_cache
def _support_index() -> dict[str, Support]:
    return _support_of(_package_dir())


def support(record_id: str) -> Support:
    """How well one record is supported: independent sources, contradictions, inference.

    Computed from the installed citations on first use, never stored; raises
    ``UnknownRecordError`` for an id that is not a cited record (sources and countries
    need no citations).
    """
    try:
        return _support_index()[record_id]
    except KeyError:
        raise UnknownRecordError(f"no cited record has the id {record_id!r}") from None


# The build writes [project].version into _version.py (importing importlib.metadata would
# cost more than the rest of the import); an install older than that file asks the metadata.
try:
    from ._version import __version__
except ImportError:  # pragma: no cover - an older editable install, or an uninstalled tree
    from importlib import metadata as _metadata

    try:
        __version__ = _metadata.version("india-russia-relations")
    except _metadata.PackageNotFoundError:
        __version__ = "0+unknown"

__all__ = [
    "TABLES",
    "Agreement",
    "AgreementParty",
    "Citation",
    "Country",
    "DataError",
    "Event",
    "IrrError",
    "Leader",
    "MissingDependencyError",
    "PartialDate",
    "Position",
    "Source",
    "Support",
    "UnknownRecordError",
    "UnknownTableError",
    "Visit",
    "__version__",
    "citations_for",
    "cite",
    "datapackage_path",
    "load",
    "package",
    "records",
    "sources_for",
    "support",
]
