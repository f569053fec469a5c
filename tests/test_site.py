"""irr site: the pages, their links and metadata, read as files (the browser tests open them)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from india_russia_relations.checks.provenance import normalize
from india_russia_relations.cli import main
from india_russia_relations.errors import DataError
from india_russia_relations.publish import annotations
from india_russia_relations.publish.evidence import Evidence, read
from india_russia_relations.publish.site import SiteError, build
from india_russia_relations.schema.columns import columns
from india_russia_relations.schema.models import MODELS, TABLES

from . import site_html
from .conftest import PACKAGE, REPO

pytest.importorskip("jinja2")

TIMELINE = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\n'


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    return read(PACKAGE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("site")
    picture = work / "timeline.svg"
    picture.write_bytes(TIMELINE)
    out = work / "out"
    build(PACKAGE, out, timeline=picture)
    return out


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, site_html.Page]:
    return {p.relative_to(site).as_posix(): site_html.read(p) for p in site.rglob("*.html")}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    picture = tmp_path / "timeline.svg"
    picture.write_bytes(TIMELINE)
    build(PACKAGE, tmp_path / "again", timeline=picture)
    assert _files(tmp_path / "again") == _files(site)


def test_every_record_source_and_table_has_its_stable_url(site: Path, evidence: Evidence) -> None:
    for table in TABLES:
        assert (site / "tables" / f"{table}.html").is_file(), table
        if table == "sources":
            for source in evidence.sources:
                assert (site / "sources" / f"{source.id}.html").is_file()
        elif MODELS[table].cited or table == "countries":
            for record in evidence.tables[table]:
                assert (site / "records" / f"{record.key()[0]}.html").is_file()


def test_every_internal_link_and_fragment_resolves(
    site: Path, pages: dict[str, site_html.Page], evidence: Evidence
) -> None:
    ids = {path: set(page.ids) for path, page in pages.items()}
    checked = 0
    for path, page in pages.items():
        for _, url in page.links:
            if site_html.is_external(url) or url.startswith("data:"):
                continue
            parts = urlsplit(url)
            target = (site / path).parent / unquote(parts.path) if parts.path else site / path
            target = Path(os.path.normpath(target))
            assert target.is_relative_to(site), (path, url)
            assert target.is_file(), (path, url)
            if parts.fragment and target.suffix == ".html":
                key = target.relative_to(site).as_posix()
                assert unquote(parts.fragment) in ids[key], (path, url)
            checked += 1
    assert checked > 2 * len(evidence.citations)  # to and from each quoted passage, at least


def test_no_page_has_a_duplicate_id(pages: dict[str, site_html.Page]) -> None:
    for path, page in pages.items():
        assert len(page.ids) == len(set(page.ids)), path


def test_pages_load_nothing_from_outside(pages: dict[str, site_html.Page]) -> None:
    for path, page in pages.items():
        for tag, url in page.links:
            if tag != "a":  # scripts, stylesheets, images: only files of the site
                assert not site_html.is_external(url), (path, tag, url)


def test_every_page_is_valid_html(site: Path) -> None:
    html5lib = pytest.importorskip("html5lib")
    for path in sorted(site.rglob("*.html")):
        html5lib.HTMLParser(strict=True).parse(path.read_bytes())


def test_a_record_page_shows_every_field_with_its_codebook_description(
    site: Path, evidence: Evidence
) -> None:
    for table in ("visits", "agreements", "countries"):
        record = evidence.tables[table][0]
        html = (site / "records" / f"{record.key()[0]}.html").read_text("utf-8")
        for column in columns(table):
            if column.derived_from is None:
                assert f'id="field-{column.name}"' in html
                assert column.description.replace("'", "&#39;") in html, column.name


def test_a_record_page_links_each_citation_to_its_place_in_the_source(
    pages: dict[str, site_html.Page], evidence: Evidence
) -> None:
    for citation in evidence.citations:
        page = pages[f"records/{citation.record_id}.html"]
        assert citation.id in page.ids
        assert f"../sources/{citation.source_id}.html#{citation.id}" in {u for _, u in page.links}


def test_the_record_pages_mark_the_quoted_words_in_their_context(
    site: Path, evidence: Evidence
) -> None:
    for citation in evidence.citations[:80]:
        html = (site / "records" / f"{citation.record_id}.html").read_text("utf-8")
        start = html.index(f'id="{citation.id}"')
        article = html[start : html.index("</article>", start)]
        exact = article[article.index("<mark>") + 6 : article.index("</mark>")]
        assert site_html.words(_unescape(exact)) == normalize(citation.quote)
        for word in (citation.stance, citation.basis):
            assert word in article


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_notes_link_the_records_and_sources_they_name(
    pages: dict[str, site_html.Page], evidence: Evidence
) -> None:
    ids = evidence.table_of()
    checked = 0
    for record in (r for t in ("visits", "events") for r in evidence.tables[t]):
        notes = getattr(record, "notes", None) or ""
        page = pages[f"records/{record.key()[0]}.html"]
        links = {u for _, u in page.links}
        for other, table in ids.items():
            if "-" in other and re.search(rf"(?<![a-z0-9-]){re.escape(other)}(?![a-z0-9-])", notes):
                folder = "sources" if table == "sources" else "records"
                assert f"../{folder}/{other}.html" in links, (record.key()[0], other)
                checked += 1
    assert checked > 50


def test_a_source_page_holds_the_whole_archived_text_with_every_quote_marked(
    pages: dict[str, site_html.Page], evidence: Evidence
) -> None:
    for source in evidence.sources:
        page = pages[f"sources/{source.id}.html"]
        assert page.archived == evidence.texts[source.id]
        assert source.sha256 in page.text
        text = evidence.texts[source.id]
        for citation in (c for c in evidence.citations if c.source_id == source.id):
            assert citation.id in page.ids
            place = evidence.places[citation.id]
            covered = "".join(t for keys, t in page.marks if citation.id in keys.split())
            assert covered == text[place.start : place.end]
            back = f"../records/{citation.record_id}.html#{citation.id}"
            assert back in {u for _, u in page.links}


def test_overlapping_quotes_are_marked_together(
    pages: dict[str, site_html.Page], evidence: Evidence
) -> None:
    overlaps = [keys for page in pages.values() for keys, _ in page.marks if " " in keys]
    assert overlaps, "the data has overlapping quotes; each shared piece names both"


def test_the_conflicts_page_lists_every_contested_field(
    pages: dict[str, site_html.Page], evidence: Evidence
) -> None:
    from india_russia_relations.reports.conflicts import find

    page = pages["conflicts.html"]
    links = {u for _, u in page.links}
    found = find(PACKAGE)
    assert found
    for conflict in found:
        assert f"records/{conflict.record_id}.html#field-{conflict.field}" in links
        for side in conflict.contradicts:
            assert side.claimed_value is not None and side.claimed_value in page.text


def test_a_table_page_lists_every_row_with_its_support(site: Path, evidence: Evidence) -> None:
    from india_russia_relations.reports.support import from_tables

    supports = from_tables(evidence.tables)  # type: ignore[arg-type]
    html = (site / "tables" / "visits.html").read_text("utf-8")
    for visit in evidence.tables["visits"]:
        row = html[html.index(f'href="../records/{visit.key()[0]}.html"') :]
        row = row[: row.index("</tr>")]
        count = supports[visit.key()[0]].independent_sources
        assert f'<td data-sort="{count}">{count}</td>' in row or f"<td>{count}</td>" in row


def _dataset(pages: dict[str, site_html.Page]) -> dict[str, Any]:
    (script,) = pages["index.html"].scripts
    result: dict[str, Any] = json.loads(script)
    return result


def test_the_home_page_embeds_schema_org_dataset_metadata(
    site: Path, pages: dict[str, site_html.Page], evidence: Evidence
) -> None:
    dataset = _dataset(pages)
    assert dataset["@type"] == "Dataset"
    descriptor = evidence.descriptor
    assert dataset["name"] == descriptor["title"]
    assert dataset["version"] == descriptor["version"]
    assert dataset["license"] == descriptor["licenses"][0]["path"]
    assert dataset["keywords"] == descriptor["keywords"]
    assert dataset["creator"]["name"] == descriptor["contributors"][0]["title"]
    start, end = dataset["temporalCoverage"].split("/")
    assert start < end
    names = {v["name"] for v in dataset["variableMeasured"]}
    assert names == {f"{t}.{c.name}" for t in TABLES for c in columns(t)}
    formats = {d["encodingFormat"].split(";")[0] for d in dataset["distribution"]}
    assert {"text/csv", "application/json", "application/ld+json"} <= formats
    for download in dataset["distribution"]:
        assert (site / download["contentUrl"]).is_file(), download


def test_the_home_page_shows_the_version_the_citation_counts_and_timeline(
    pages: dict[str, site_html.Page], evidence: Evidence
) -> None:
    page = pages["index.html"]
    assert f"version {evidence.descriptor['version']}" in page.text
    assert "What it is not" in page.text
    assert ("img", "timeline.svg") in page.links
    links = {u for _, u in page.links}
    assert {f"tables/{t}.html" for t in TABLES} <= links
    assert {"conflicts.html", annotations.FILENAME, "datapackage/datapackage.json"} <= links


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built with a base URL and without a timeline picture."""
    out = tmp_path_factory.mktemp("published") / "out"
    build(PACKAGE, out, base_url="https://example.org/irr")
    return out


def test_without_a_timeline_the_home_page_has_no_picture(published: Path) -> None:
    assert not (published / "timeline.svg").exists()
    assert "timeline.svg" not in (published / "index.html").read_text("utf-8")


def test_the_search_index_is_a_script_with_every_record_and_its_quotes(
    site: Path, evidence: Evidence
) -> None:
    script = (site / "search-index.js").read_text("utf-8")
    prefix = "window.IRR_SEARCH = "
    body = script[script.index(prefix) + len(prefix) :].rstrip().rstrip(";")
    entries = {url: words for url, _, _, words in json.loads(body)}
    for citation in evidence.citations:
        assert normalize(citation.quote) in entries[f"records/{citation.record_id}.html"]


@pytest.mark.parametrize(
    ("path", "module"),
    [
        ("exports/india-russia-relations.db", None),
        ("exports/india-russia-relations.metadata.json", None),
        ("exports/india-russia-relations.json", None),
        ("exports/india-russia-relations.xlsx", "xlsxwriter"),
        ("exports/parquet/visits.parquet", "pyarrow"),
    ],
)
def test_the_home_page_offers_each_export_whose_library_is_installed(
    site: Path, pages: dict[str, site_html.Page], path: str, module: str | None
) -> None:
    if module is not None:
        pytest.importorskip(module)
    assert (site / path).is_file()
    assert ("a", path) in pages["index.html"].links
    contents = {d["contentUrl"] for d in _dataset(pages)["distribution"]}
    assert path in contents


def test_the_sqlite_export_in_the_site_holds_the_records(site: Path, evidence: Evidence) -> None:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(site / "exports" / "india-russia-relations.db")) as db:
        (count,) = db.execute("SELECT count(*) FROM visits").fetchone()
    assert count == len(evidence.tables["visits"])


def test_the_site_carries_the_data_package_and_the_annotations(
    site: Path, evidence: Evidence
) -> None:
    assert (site / "datapackage" / "datapackage.json").read_bytes() == (
        PACKAGE / "datapackage.json"
    ).read_bytes()
    for resource in evidence.descriptor["resources"]:
        assert (site / "datapackage" / resource["path"]).read_bytes() == (
            PACKAGE / resource["path"]
        ).read_bytes()
    expected = annotations.dumps(annotations.collection(evidence))
    assert (site / annotations.FILENAME).read_bytes() == expected


def test_a_base_url_gives_canonical_links_and_absolute_metadata(published: Path) -> None:
    page = site_html.read(published / "index.html")
    dataset = json.loads(page.scripts[0])
    assert dataset["url"] == "https://example.org/irr/"
    assert all(
        d["contentUrl"].startswith("https://example.org/irr/") for d in dataset["distribution"]
    )
    record = (published / "records" / "india.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.org/irr/records/india.html">' in record


def test_a_base_url_gives_a_sitemap_of_every_page(published: Path, site: Path) -> None:
    import xml.etree.ElementTree as ET

    assert not (site / "sitemap.xml").exists()  # without a base URL there is none
    tree = ET.parse(published / "sitemap.xml")
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {e.text for e in tree.getroot().iter(f"{namespace}loc")}
    pages = {p.relative_to(published).as_posix() for p in published.rglob("*.html")}
    assert urls == {f"https://example.org/irr/{p}" for p in pages}


def test_an_existing_directory_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(SiteError, match="exists; pass --force"):
        build(PACKAGE, out)
    assert (out / "keep.txt").read_text() == "mine"


def test_force_replaces_an_earlier_site_but_not_another_directory(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(site, out)
    manifest = json.loads((out / ".irr-manifest.json").read_text("utf-8"))
    manifest["files"]["stale.html"] = "0" * 64  # a page an earlier site had
    (out / ".irr-manifest.json").write_text(json.dumps(manifest), "utf-8")
    (out / "stale.html").write_text("old")
    build(PACKAGE, out, force=True)
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(SiteError, match="holds no site written by irr"):
        build(PACKAGE, other, force=True)
    assert (other / "notes.txt").read_text() == "mine"


def test_an_invalid_package_writes_nothing(package_copy: Path, tmp_path: Path) -> None:
    citations = package_copy / "data" / "citations.csv"
    lines = citations.read_text("utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("The first consulate", "The last consulate")
    citations.write_text("".join(lines), "utf-8")
    with pytest.raises(DataError, match="run `irr validate`"):
        build(package_copy, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_irr_site_reports_pages_and_refuses_an_existing_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["site", str(out), "--package", str(PACKAGE)]) == 0
    printed = capsys.readouterr().out
    assert "pages" in printed and "index.html" in printed
    assert main(["site", str(out), "--package", str(PACKAGE)]) == 1
    assert "pass --force" in capsys.readouterr().err


def test_without_jinja2_irr_site_names_the_extra(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['jinja2'] = None\n"
        "from india_russia_relations.cli import main\n"
        f"sys.exit(main(['site', {str(tmp_path / 'out')!r}, '--package', {str(PACKAGE)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "pip install 'india-russia-relations[site]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# LinkChecker run as root changes its effective user to "nobody", who may not be able to
# read the checkout or its virtual environment; the checks are the same under root.
_LINKCHECKER = (
    "import linkcheck.command.linkchecker as command\n"
    "command.drop_privileges = lambda: None\n"
    "command.linkchecker()\n"
)


LINKCHECKER_OPTIONS = ("--no-status", "--no-warnings", "-o", "text")


def test_linkchecker_finds_no_broken_internal_link(site: Path) -> None:
    pytest.importorskip(
        "linkcheck", reason="LinkChecker is not installed (pip install linkchecker)"
    )
    result = subprocess.run(
        [sys.executable, "-c", _LINKCHECKER, *LINKCHECKER_OPTIONS, str(site / "index.html")],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "0 errors found" in result.stdout
    checked = int(result.stdout.split(" URLs checked")[0].rsplit(" ", 1)[1])
    assert checked > 200  # every page of the site, reached by following links from home
