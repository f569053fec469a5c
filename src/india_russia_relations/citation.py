"""The public ``cite()``: how to cite the installed version, and the sources behind a record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import DataError
from .load import datapackage_path, package_dir, sources_for

if TYPE_CHECKING:
    from .reports.cite import CiteFormat

CHANGELOG = "CHANGELOG.md"
"""Beside the package directory: at the top of a checkout, inside the installed package."""


def cite(record_id: str | None = None, format: CiteFormat = "text") -> str:
    """The dataset's citation for the installed version, as ``text``, ``bibtex`` or ``csl-json``.

    Given a ``record_id``, the sources that record rests on follow (raises
    ``UnknownRecordError`` for an id no table holds).
    """
    import json  # here and below: importing the package must stay light

    from .io.changelog import release_date
    from .reports.cite import CITE_FORMATS, dataset, render

    if format not in CITE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(CITE_FORMATS)}, not {format!r}")
    try:
        descriptor = json.loads(datapackage_path().read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataError(f"{datapackage_path()}: cannot be read ({err})") from None
    changelog = package_dir().parent / CHANGELOG
    released = None
    if changelog.is_file():
        try:
            released = release_date(
                changelog.read_text(encoding="utf-8"), str(descriptor.get("version"))
            )
        except ValueError as err:
            raise DataError(str(err)) from None
    sources = sources_for(record_id) if record_id is not None else []
    return render(dataset(descriptor, released), format, record_id, sources)
