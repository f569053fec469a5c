"""India–Soviet Union and India–Russia relations: a cited, typed, versioned dataset.

>>> import india_russia_relations as irr
>>> visits = irr.records("visits")  # list[Visit], each cited to a source
"""

from .errors import (
    DataError,
    IrrError,
    MissingDependencyError,
    UnknownRecordError,
    UnknownTableError,
)
from .load import citations_for, datapackage_path, load, package, records, sources_for
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
    "UnknownRecordError",
    "UnknownTableError",
    "Visit",
    "__version__",
    "citations_for",
    "datapackage_path",
    "load",
    "package",
    "records",
    "sources_for",
]
