"""``irr site``: a static site of the package where every claim shows its words.

A page per table, record and source, the conflicts, a client-side search, the downloads
and the Web Annotations, rendered from Jinja2 templates (the ``site`` extra) into a
directory that works from ``file://`` and on any static host. The same package gives the
same bytes. A new directory appears whole, in one rename; over an earlier site (``--force``)
only the files its manifest names are replaced and everything else is kept (``io.outputs``).
"""

from __future__ import annotations

import importlib
import importlib.resources
import importlib.util
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import MissingDependencyError
from ...io import outputs
from ...io.files import read_inside
from ...schema.descriptor import DESCRIPTOR
from .. import annotations as web_annotations
from ..evidence import Evidence, read
from . import pages

GENERATOR = '<meta name="generator" content="india-russia-relations '
"""How a page is recognised as one of a site written before sites carried a manifest."""
STATIC = ("style.css", "site.js")
SEARCH_INDEX = "search-index.js"
TIMELINE = "timeline.svg"
SITEMAP = "sitemap.xml"


EXPORTS_DIR = "exports"


@dataclass(frozen=True)
class _Export:
    """An export the site offers for download when the library it needs is installed."""

    format: str
    name: str
    """Its file (a directory, for Parquet) under exports/."""
    module: str | None
    media_type: str
    description: str


EXPORTS = (
    _Export(
        "sqlite",
        "india-russia-relations.db",
        None,
        "application/vnd.sqlite3",
        "Every table in one SQLite database, typed, with keys, a records view and full-text search",
    ),
    _Export(
        "json",
        "india-russia-relations.json",
        None,
        "application/json",
        "One JSON document: every record with its citations nested under it",
    ),
    _Export(
        "xlsx",
        "india-russia-relations.xlsx",
        "xlsxwriter",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "A workbook: a sheet per table and a sheet that describes every column",
    ),
    _Export(
        "parquet",
        "parquet",
        "pyarrow",
        "application/vnd.apache.parquet",
        "One Parquet file per table, typed",
    ),
)
"""The exports in the site. DuckDB's is left out: its file differs from one export of the
same package to the next, and DuckDB reads the Parquet files and the CSVs directly."""


class SiteError(outputs.OutputError):
    """The site cannot be written where asked."""


@dataclass(frozen=True)
class Built:
    """What ``build`` wrote."""

    out: Path
    pages: int
    files: int
    bytes: int


def _require_jinja() -> Any:
    try:
        return importlib.import_module("jinja2")
    except ImportError:
        raise MissingDependencyError(
            "irr site needs jinja2: pip install 'india-russia-relations[site]'"
        ) from None


EARLIER_SITE = outputs.Layout(
    marker="index.html",
    mark=GENERATOR.encode(),
    patterns=(
        "*.html",
        "records/*.html",
        "sources/*.html",
        "tables/*.html",
        "annotations.jsonld",
        SEARCH_INDEX,
        TIMELINE,
        SITEMAP,
        *STATIC,
        "datapackage/datapackage.json",
        "datapackage/data/*.csv",
        "datapackage/sources/*.txt",
        f"{EXPORTS_DIR}/india-russia-relations.*",
        f"{EXPORTS_DIR}/parquet/*.parquet",
    ),
    marked=("*.html", "records/*.html", "sources/*.html", "tables/*.html"),
)
"""A site written before sites carried a manifest: its index page names the generator, and
irr claims only the files of a site's layout (its pages only when they name the generator)."""


def check_target(out: Path, force: bool) -> None:
    """Refuse ``out`` unless it is new, or (with ``force``) empty or an earlier site with nothing in the way."""
    outputs.check_directory(out, "site", force, EARLIER_SITE, SiteError)


def human_size(size: int) -> str:
    """A byte count for people: 980 B, 12.3 kB, 1.2 MB."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"


def _environment(jinja2: Any) -> Any:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(__name__, "templates"),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["size"] = human_size
    return env


def _root(path: str) -> str:
    """The way up from a page at ``path`` to the site's root."""
    return "../" * path.count("/")


def _copies(evidence: Evidence) -> dict[str, bytes]:
    """The data package as published: the descriptor, the CSVs and the archived texts."""
    files: dict[str, bytes] = {}
    paths = [DESCRIPTOR, *(r["path"] for r in evidence.descriptor.get("resources", []))]
    for relative in paths:
        data, why = read_inside(evidence.root, relative)
        if data is None:  # pragma: no cover - validate has just read them
            raise SiteError(f"{evidence.root / relative}: {why}")
        files[f"datapackage/{relative}"] = data
    return files


def _exports(evidence: Evidence) -> tuple[dict[str, bytes], list[pages.Download]]:
    """The exports whose libraries are installed, as files of the site and downloads."""
    chosen = [e for e in EXPORTS if e.module is None or importlib.util.find_spec(e.module)]
    if not chosen:
        return {}, []
    from ..export import write_formats

    files: dict[str, bytes] = {}
    downloads: list[pages.Download] = []
    with tempfile.TemporaryDirectory() as work:
        write_formats(evidence.root, {e.format: Path(work) / e.name for e in chosen})
        for path in sorted(Path(work).rglob("*")):
            if path.is_file():
                files[f"{EXPORTS_DIR}/{path.relative_to(work).as_posix()}"] = path.read_bytes()
    for export in chosen:
        prefix = f"{EXPORTS_DIR}/{export.name}"
        mine = sorted(p for p in files if p == prefix or p.startswith(prefix + "/"))
        parts = tuple(pages.Link(p, p.rsplit("/", 1)[-1].split(".")[0]) for p in mine)
        downloads.append(
            pages.Download(
                export.name if len(mine) == 1 else f"{export.name}/",
                mine[0] if len(mine) == 1 else "",
                export.media_type,
                sum(len(files[p]) for p in mine),
                export.description,
                parts=parts if len(mine) > 1 else (),
            )
        )
        if export.format == "sqlite":
            meta = f"{EXPORTS_DIR}/india-russia-relations.metadata.json"
            downloads.append(
                pages.Download(
                    meta.rsplit("/", 1)[-1],
                    meta,
                    "application/json",
                    len(files[meta]),
                    "Datasette's metadata for the SQLite database: what each table and column holds",
                )
            )
    return files, downloads


def _downloads(evidence: Evidence, files: dict[str, bytes]) -> list[pages.Download]:
    result = [
        pages.Download(
            "datapackage.json",
            f"datapackage/{DESCRIPTOR}",
            "application/json",
            len(files[f"datapackage/{DESCRIPTOR}"]),
            "The descriptor: every table's Table Schema, the licences and the sources",
        )
    ]
    for resource in evidence.descriptor.get("resources", []):
        path = f"datapackage/{resource['path']}"
        kind = "text/csv" if path.endswith(".csv") else "text/plain"
        what = (
            f"The {resource['name']} table"
            if kind == "text/csv"
            else f"The archived text of source {resource['name']}"
        )
        result.append(
            pages.Download(path.rsplit("/", maxsplit=1)[-1], path, kind, len(files[path]), what)
        )
    result.append(
        pages.Download(
            web_annotations.FILENAME,
            web_annotations.FILENAME,
            web_annotations.MEDIA_TYPE,
            len(files[web_annotations.FILENAME]),
            "Every citation as a W3C Web Annotation (JSON-LD AnnotationCollection)",
        )
    )
    return result


def render(
    evidence: Evidence, base_url: str | None = None, timeline: bytes | None = None
) -> dict[str, bytes]:
    """Every file of the site, by its path in the site."""
    jinja2 = _require_jinja()
    root = web_annotations.base(base_url)
    site = pages.gather(evidence, root)
    files = _copies(evidence)
    files[web_annotations.FILENAME] = web_annotations.dumps(
        web_annotations.collection(evidence, root)
    )
    if timeline is not None:
        files[TIMELINE] = timeline
    exported, exports = _exports(evidence)
    files.update(exported)
    site.downloads = _downloads(evidence, files) + exports
    site.dataset = pages.dataset_jsonld(site, evidence)
    env = _environment(jinja2)

    def page(template: str, path: str, **values: Any) -> None:
        html = env.get_template(template).render(site=site, path=path, root=_root(path), **values)
        files[path] = html.encode("utf-8")

    page("home.html", "index.html", timeline=timeline is not None)
    page("search.html", "search.html")
    page("conflicts.html", "conflicts.html")
    for table in site.tables:
        page("table.html", table.path, page=table)
    for record in site.records:
        page("record.html", record.path, page=record)
    for source in site.sources:
        page("source.html", source.path, page=source)
    if site.base_url:  # a sitemap needs absolute URLs; it lets dataset search find every page
        paths = sorted(p for p in files if p.endswith(".html"))
        sitemap = env.get_template("sitemap.xml").render(site=site, paths=paths)
        files[SITEMAP] = sitemap.encode("utf-8")
    index = json.dumps(site.search, ensure_ascii=False, separators=(",", ":"))
    files[SEARCH_INDEX] = (
        "// The search index of search.html: [url, title, table, words] per page.\n"
        f"window.IRR_SEARCH = {index};\n"
    ).encode()
    static = importlib.resources.files(__name__) / "static"
    for name in STATIC:
        files[name] = (static / name).read_bytes()
    return files


def build(
    package: Path,
    out: Path,
    *,
    force: bool = False,
    base_url: str | None = None,
    timeline: Path | None = None,
) -> Built:
    """Write the site of the package at ``package`` to the directory ``out``.

    Raises ``SiteError`` when ``out`` exists (unless ``force``, and then only over an
    earlier site), ``DataError`` when the package is invalid and
    ``MissingDependencyError`` without Jinja2. ``timeline`` is an SVG to show on the home page.
    """
    why = web_annotations.unusable_base(base_url)
    if why is not None:
        raise SiteError(f"--base-url {why}")
    check_target(out, force)
    _require_jinja()
    with outputs.locked(out, SiteError):
        check_target(out, force)  # again, now that no other irr command writes it
        evidence = read(package)
        picture = timeline.read_bytes() if timeline is not None else None
        files = render(evidence, base_url, picture)
        outputs.write_directory(
            out, files, kind="site", force=force, layout=EARLIER_SITE, error=SiteError
        )
    return Built(
        out=out,
        pages=sum(1 for p in files if p.endswith(".html")),
        files=len(files),
        bytes=sum(len(d) for d in files.values()),
    )
