"""``irr export``: the package as a SQLite, DuckDB, Parquet, JSON or xlsx file, typed from the models.

Every format takes its types, keys and descriptions from ``typemap`` (itself read off the
models), refuses to replace an existing output unless asked to, and writes atomically.
``annotations`` writes every citation as a W3C Web Annotation (``publish.annotations``).
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ...checks.validate import validate
from ...errors import DataError, MissingDependencyError
from ...io import outputs as outputs_
from ...io.tables import read_table
from ...problems import total
from ...schema.models import TABLES, Record
from .typemap import Export, make_export, read_descriptor

FORMATS = ("sqlite", "duckdb", "parquet", "json", "xlsx", "annotations")


class ExportError(outputs_.OutputError):
    """The output cannot be written where asked (it exists, or is not a previous export)."""


def require(module: str) -> Any:
    """Import an optional dependency of the ``export`` extra, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"this export needs {module}: pip install 'india-russia-relations[export]'"
        ) from None


def load_export(package: Path) -> Export:
    """Validate the package at ``package`` and gather what the exports write."""
    report = validate(package)
    if report.problems:
        count = total(report.problems)
        raise DataError(
            f"{package} has {count:,} problem{'s' if count != 1 else ''}; "
            "run `irr validate` and fix them before exporting"
        )
    records: dict[str, list[Record]] = {table: read_table(package, table) for table in TABLES}
    return make_export(read_descriptor(package), records)


def outputs(fmt: str, out: Path) -> list[Path]:
    """The paths an export to ``out`` writes (SQLite adds Datasette metadata beside the file)."""
    if fmt == "sqlite":
        return [out, metadata_path(out)]
    return [out]


def metadata_path(out: Path) -> Path:
    """``OUT.metadata.json`` beside ``OUT.db``: Datasette's metadata for the database."""
    return (
        out.with_name(out.stem + ".metadata.json")
        if out.suffix
        else out.with_name(out.name + ".metadata.json")
    )


PARQUET = "parquet"
EARLIER_PARQUET = outputs_.Layout(
    patterns=tuple(f"{table}.parquet" for table in TABLES), magic=b"PAR1"
)
"""A Parquet export written before exports carried a manifest: irr claims only its tables' files."""


def _check_target(fmt: str, out: Path, force: bool) -> None:
    if fmt == PARQUET:
        outputs_.check_directory(out, PARQUET, force, EARLIER_PARQUET, ExportError)
        return
    for path in outputs(fmt, out):
        outputs_.check_file(path, force, ExportError)


def export(
    package: Path, fmt: str, out: Path, *, force: bool = False, base_url: str | None = None
) -> list[Path]:
    """Write ``package`` as ``fmt`` to ``out``; return the paths written.

    Raises ``ExportError`` when ``out`` exists and ``force`` is false (nothing is touched),
    or when ``out`` holds what irr did not write; ``DataError`` when the package is invalid,
    ``MissingDependencyError`` without the extra. A Parquet directory replaced with ``force``
    keeps every entry its manifest does not name (``io.outputs``). ``base_url`` makes the
    annotations' links absolute (the other formats have none).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt == "annotations":
        from ..annotations import unusable_base
        from ..annotations import write as annotations_write
        from ..evidence import read

        why = unusable_base(base_url)
        if why is not None:
            raise ExportError(f"--base-url {why}")
        _check_target(fmt, out, force)
        annotations_write(read(package), out, force=force, base_url=base_url)
        return [out]
    _check_target(fmt, out, force)
    writer = _writer(fmt)
    with outputs_.locked(out, ExportError):
        _check_target(fmt, out, force)  # again, now that no other irr command writes it
        data = load_export(package)
        if fmt == PARQUET:
            with tempfile.TemporaryDirectory() as work:
                writer(data, Path(work) / PARQUET)
                files = outputs_.collect(Path(work) / PARQUET)
            outputs_.write_directory(
                out, files, kind=PARQUET, force=force, layout=EARLIER_PARQUET, error=ExportError
            )
        else:
            try:
                writer(data, out)
            except OSError as err:
                raise ExportError(f"{out} cannot be written ({err.strerror or err})") from None
    return outputs(fmt, out)


def write_formats(package: Path, targets: Mapping[str, Path]) -> None:
    """Write several table formats from one reading of the package, each to a new path.

    The site's downloads use it; ``targets`` maps a format (not ``annotations``) to its path.
    """
    data = load_export(package)
    for fmt, out in targets.items():
        _writer(fmt)(data, out)


def _writer(fmt: str) -> Callable[[Export, Path], None]:
    """The writer of ``fmt``; its optional library is imported only here, when needed."""
    if fmt == "sqlite":
        from .to_sqlite import write as sqlite_write

        return sqlite_write
    if fmt == "duckdb":
        require("duckdb")
        from .to_duckdb import write as duckdb_write

        return duckdb_write
    if fmt == "parquet":
        require("pyarrow")
        from .to_parquet import write as parquet_write

        return parquet_write
    if fmt == "json":
        from .to_json import write as json_write

        return json_write
    require("xlsxwriter")
    from .to_xlsx import write as xlsx_write

    return xlsx_write
