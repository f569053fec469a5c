"""The site in a real browser: Debian's Chromium, headless, driven by Playwright, from file://.

Each test collects the page's console errors and every request it makes; a request for
anything but a file of the site is refused and fails the test.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from india_russia_relations.checks.provenance import normalize
from india_russia_relations.publish.evidence import Evidence, read
from india_russia_relations.publish.site import build

from .conftest import PACKAGE

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium)",
        allow_module_level=True,
    )
pytest.importorskip("jinja2")
playwright = pytest.importorskip("playwright.sync_api")

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RECORD = "1955-06-nehru-soviet-union"


@dataclass
class Watch:
    """What the pages of one test did: console errors, uncaught exceptions, requests."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    return read(PACKAGE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    build(PACKAGE, out)
    return out


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with playwright.sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser_context(driver: Any) -> Iterator[Any]:
    """Chromium with a new, empty profile."""
    with tempfile.TemporaryDirectory() as profile:
        context = driver.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


def _tab(browser_context: Any, site: Path, watch: Watch) -> Any:
    """A new page whose console errors and requests ``watch`` records; requests for
    anything but the site's own files are refused."""
    tab = browser_context.new_page()
    tab.set_viewport_size({"width": 1280, "height": 800})
    root = site.as_uri() + "/"

    def on_console(message: Any) -> None:
        if message.type == "error":
            watch.errors.append(message.text)

    def route(request_route: Any) -> None:
        url = request_route.request.url
        watch.requests.append(url)
        if url.startswith(root) or url.startswith("data:"):
            request_route.continue_()
        else:
            watch.refused.append(url)
            request_route.abort()

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: watch.errors.append(str(error)))
    tab.route("**/*", route)
    return tab


@pytest.fixture
def page(browser_context: Any, site: Path, watch: Watch) -> Iterator[Any]:
    tab = _tab(browser_context, site, watch)
    yield tab
    tab.close()
    assert watch.errors == [], "console errors"
    assert watch.refused == [], "requests that would leave the machine"


@pytest.fixture
def audited_page(browser_context: Any, site: Path, watch: Watch) -> Iterator[Any]:
    """A page for axe-core, which reads the stylesheet itself with an XMLHttpRequest that
    file:// refuses (and logs): its console is not the site's."""
    tab = _tab(browser_context, site, watch)
    yield tab
    tab.close()
    assert watch.refused == [], "requests that would leave the machine"


def _open(page: Any, site: Path, path: str) -> None:
    file, _, fragment = path.partition("#")
    page.goto((site / file).as_uri() + (f"#{fragment}" if fragment else ""))


def _in_view(page: Any, selector: str) -> bool:
    box = page.evaluate(
        """(selector) => {
            const r = document.querySelector(selector).getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, height: window.innerHeight};
        }""",
        selector,
    )
    return bool(box["top"] >= 0 and box["bottom"] <= box["height"])


def test_from_home_to_a_record_to_the_marked_passage_in_its_source(
    page: Any, site: Path, evidence: Evidence
) -> None:
    _open(page, site, "index.html")
    assert "India–Soviet Union and India–Russia relations" in page.title()
    page.get_by_role("link", name="Visits", exact=True).first.click()
    page.wait_for_url("**/tables/visits.html")
    page.locator(f'a[href="../records/{RECORD}.html"]').first.click()
    page.wait_for_url(f"**/records/{RECORD}.html")
    citation = next(c for c in evidence.citations if c.record_id == RECORD)
    article = page.locator(f'article[id="{citation.id}"]')
    assert normalize(article.locator("mark").inner_text()) == normalize(citation.quote)
    article.get_by_role("link", name="See the quote in the archived text").click()
    page.wait_for_url(f"**/sources/{citation.source_id}.html#{citation.id}")
    current = page.locator("mark.current")
    assert current.count() >= 1
    assert normalize(" ".join(current.all_inner_texts())) == normalize(citation.quote)
    assert _in_view(page, "mark.current")


def test_search_finds_a_record_by_a_word_of_its_quote(
    page: Any, site: Path, evidence: Evidence
) -> None:
    # A word that only a quote holds: not in the record's title or summary.
    wanted = None
    for citation in evidence.citations:
        html = (site / "records" / f"{citation.record_id}.html").read_text("utf-8")
        title = re.search(r"<h1>(.*?)</h1>", html)
        assert title is not None
        for word in re.findall(r"[A-Za-z]{8,}", citation.quote):
            if (
                word.lower() not in title.group(1).lower()
                and word.lower() not in html.split("<blockquote", 1)[0].lower()
            ):
                wanted = (word, citation.record_id)
                break
        if wanted:
            break
    assert wanted is not None
    word, record_id = wanted
    _open(page, site, "index.html")
    page.get_by_role("searchbox", name="Search records and quotes").fill(word)
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url("**/search.html?q=*")
    results = page.locator("#results")
    results.locator(f'a[href="records/{record_id}.html"]').wait_for()
    assert page.locator("#status").inner_text().endswith("found")
    page.locator("#q").fill("")
    assert results.locator("li").count() == 0


def test_a_table_filters_and_sorts_its_rows(page: Any, site: Path, evidence: Evidence) -> None:
    _open(page, site, "tables/visits.html")
    rows = page.locator("#rows tbody tr")
    total = rows.count()
    assert total == len(evidence.tables["visits"])
    page.get_by_label("Show only rows with").fill("Bulganin")
    visible = page.locator("#rows tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert all("Bulganin" in text for text in visible.all_inner_texts())
    page.get_by_label("Show only rows with").fill("")
    page.get_by_role("button", name="start").click()
    starts = page.locator("#rows tbody tr td:nth-child(5)").all_inner_texts()
    dated = [s for s in starts if s]
    assert dated == sorted(dated)
    page.get_by_role("button", name="start").click()
    assert page.locator("#rows thead th[aria-sort]").get_attribute("aria-sort") == "descending"


def test_every_kind_of_page_loads_without_errors_or_outside_requests(
    page: Any, site: Path, watch: Watch
) -> None:
    for path in (
        "index.html",
        "tables/citations.html",
        f"records/{RECORD}.html",
        "records/india.html",
        "sources/wikipedia-mirror.html",
        "conflicts.html",
        "search.html?q=treaty",
    ):
        file, _, query = path.partition("?")
        page.goto((site / file).as_uri() + (f"?{query}" if query else ""))
        page.wait_for_load_state("load")
    assert watch.requests
    assert all(url.startswith("file://") or url.startswith("data:") for url in watch.requests)


def test_a_phone_sees_the_page_without_scrolling_sideways(page: Any, site: Path) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("index.html", f"records/{RECORD}.html", "sources/fdi-paper.html"):
        _open(page, site, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, path


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_have_no_accessibility_violations(audited_page: Any, site: Path, scheme: str) -> None:
    page = audited_page
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_module.Axe()
    page.emulate_media(color_scheme=scheme)
    for path in (
        "index.html",
        "tables/visits.html",
        f"records/{RECORD}.html",
        "sources/fdi-paper.html",
        "conflicts.html",
        "search.html",
    ):
        _open(page, site, path)
        violations = axe.run(page).response["violations"]
        found = [(v["id"], v["help"], v["nodes"][0]["html"][:120]) for v in violations]
        assert found == [], path


def test_the_pages_read_without_javascript(driver: Any, site: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        context = driver.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            java_script_enabled=False,
        )
        try:
            page = context.new_page()
            _open(page, site, "tables/visits.html")
            assert (
                page.locator("#rows tbody tr:visible").count()
                == page.locator("#rows tbody tr").count()
            )
            assert not page.get_by_label("Show only rows with").is_visible()
            _open(page, site, f"records/{RECORD}.html")
            assert page.locator("article.citation mark").count() >= 1
            _open(page, site, "search.html")
            assert "needs JavaScript" in page.locator("main").inner_text()
        finally:
            context.close()
