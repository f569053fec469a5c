"""The release step: .ci/release.py dates the changelog heading and writes the diff summary."""

from __future__ import annotations

import datetime as dt
import importlib.util
from types import ModuleType

from india_russia_relations.io.changelog import release_date

from .conftest import REPO


def _release_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("release", REPO / ".ci" / "release.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [0.1.0]\n\n### Added\n- Things.\n"


def test_the_release_dates_the_heading_and_adds_the_summary_above_the_notes() -> None:
    release = _release_module()
    block = f"{release.START}\nsummary\n{release.END}\n"
    text = release.release_changelog(CHANGELOG, "0.1.0", dt.date(2026, 12, 1), block)
    assert release_date(text, "0.1.0") == dt.date(2026, 12, 1)
    assert text.index("summary") < text.index("### Added")
    assert text.startswith("# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-12-01\n\n")


def test_running_the_release_again_replaces_its_own_summary() -> None:
    release = _release_module()
    first = release.release_changelog(
        CHANGELOG, "0.1.0", dt.date(2026, 12, 1), f"{release.START}\nold\n{release.END}\n"
    )
    again = release.release_changelog(
        first, "0.1.0", dt.date(2026, 12, 1), f"{release.START}\nnew\n{release.END}\n"
    )
    assert "old" not in again and again.count(release.START) == 1
    assert again == release.release_changelog(
        CHANGELOG, "0.1.0", dt.date(2026, 12, 1), f"{release.START}\nnew\n{release.END}\n"
    )
