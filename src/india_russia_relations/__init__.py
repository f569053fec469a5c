"""India–Soviet Union and India–Russia relations: a cited, typed, versioned dataset.

>>> import india_russia_relations as irr
>>> visits = irr.records("visits")  # list[Visit], each cited to a source
"""

from importlib import metadata as _metadata

from .citation import cite
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

try:
    __version__ = _metadata.version("india-russia-relations")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
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
    "cite",
    "datapackage_path",
    "load",
    "package",
    "records",
    "sources_for",
]
