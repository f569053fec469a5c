"""``irr plot timeline``: visits, agreements and events on one timeline, as a deterministic SVG.

Visits are drawn by direction (India to the USSR/Russia, back, and meetings in a third
place apart), agreements by the date they were signed, events by kind; a record that a
source contradicts is ringed. Needs matplotlib (the ``plot`` extra); the same package and
matplotlib version give the same bytes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MissingDependencyError
from ..io.tables import read_table
from ..reports import support
from ..schema.dates import PartialDate
from ..schema.models import Agreement, Event, Leader, Record, Visit

INDIA = "india"
PARTNERS = ("soviet-union", "russia")
"""The other side of the relationship: the Soviet Union, then Russia."""
MAJOR_EVENT_KINDS = ("war", "mediation", "veto", "diplomatic-relations", "nuclear", "dissolution")
"""Events of these kinds are labelled on their own lane; the others are ticks below them."""
HASH_SALT = "india-russia-relations"
TIMELINE = "timeline.svg"
"""The timeline's file name in ``docs/``, where ``irr build`` keeps it."""
LANES = (
    "Visits India → USSR/Russia",
    "Visits USSR/Russia → India",
    "Meetings in a third place",
    "Agreements signed",
    "Major events",
    "Other events",
)
COLOURS = {
    LANES[0]: "#E07B00",
    LANES[1]: "#1F5FA8",
    LANES[2]: "#6A3D9A",
    LANES[3]: "#2E8B57",
    LANES[4]: "#B22222",
    LANES[5]: "#7F7F7F",
}
CONTESTED = "#D62728"
LABEL_CHARS = 52
MOST_MARKS = 600
"""Above this many dated records, each lane is drawn as counts per year: labels would not fit."""


@dataclass(frozen=True)
class Mark:
    """One record on the timeline."""

    lane: str
    start: float
    end: float
    label: str
    contested: bool


def year_fraction(day: dt.date) -> float:
    """A day as a fractional year (1955-07-02 is about 1955.5)."""
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 1) / days


def _span(start: PartialDate, end: PartialDate | None) -> tuple[float, float]:
    last = (end or start).latest + dt.timedelta(days=1)
    return year_fraction(start.earliest), year_fraction(last)


def short_name(name: str) -> str:
    """``Jawaharlal Nehru`` as ``J. Nehru``: the initial and the last word of a name."""
    words = name.split()
    return name if len(words) < 2 else f"{words[0][0]}. {words[-1]}"


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def visit_lane(visit: Visit, leaders: dict[str, Leader]) -> str:
    """Which way a visit went: from India, to India, or a meeting elsewhere."""
    leader = leaders.get(visit.leader_id)
    home = leader.country_id if leader is not None else None
    if home == INDIA and visit.host_country_id in PARTNERS:
        return LANES[0]
    if home in PARTNERS and visit.host_country_id == INDIA:
        return LANES[1]
    return LANES[2]


def marks(
    package: Path, supports: dict[str, support.Support] | None = None
) -> tuple[list[Mark], Counter[str]]:
    """Every dated visit, agreement and event as a mark; and how many undated ones per table
    (``supports``: the records' support, when already computed)."""
    leaders = {r.id: r for r in read_table(package, "leaders") if isinstance(r, Leader)}
    if supports is None:
        supports = support.compute(package)
    contested = {record_id for record_id, s in supports.items() if s.contested}
    found: list[Mark] = []
    undated: Counter[str] = Counter()

    def add(
        record: Record, lane: str, start: PartialDate | None, end: PartialDate | None, label: str
    ) -> None:
        if start is None:
            undated[record.table] += 1
            return
        begin, finish = _span(start, end)
        found.append(Mark(lane, begin, finish, label, record.key()[0] in contested))

    for visit in read_table(package, "visits"):
        assert isinstance(visit, Visit)
        leader = leaders.get(visit.leader_id)
        name = short_name(leader.name) if leader is not None else visit.leader_id
        add(visit, visit_lane(visit, leaders), visit.start, visit.end, name)
    for agreement in read_table(package, "agreements"):
        assert isinstance(agreement, Agreement)
        add(agreement, LANES[3], agreement.signed, None, _shorten(agreement.title))
    for event in read_table(package, "events"):
        assert isinstance(event, Event)
        lane = LANES[4] if event.kind in MAJOR_EVENT_KINDS else LANES[5]
        add(event, lane, event.start, event.end, _shorten(event.title))
    found.sort(key=lambda m: (LANES.index(m.lane), m.start, m.end, m.label))
    return found, undated


def _require_matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise MissingDependencyError(
            "the timeline needs matplotlib: pip install 'india-russia-relations[plot]'"
        ) from None
    return matplotlib


YEARS_PER_CHARACTER = 0.62
"""About how many years of the axis one character of a 6.5-point label covers."""


def _slots(found: list[Mark], texts: list[str]) -> list[int]:
    """A stacking level per mark, so that no two labels in a lane overlap."""
    levels: list[int] = []
    free_from: dict[tuple[str, int], float] = {}
    for mark, text in zip(found, texts, strict=True):
        x = (mark.start + mark.end) / 2
        level = 0
        while free_from.get((mark.lane, level), -1e9) > min(x, mark.start):
            level += 1
        free_from[(mark.lane, level)] = max(mark.end, x + 1 + len(text) * YEARS_PER_CHARACTER)
        levels.append(level)
    return levels


def _draw_marks(axes: Any, found: list[Mark], rows: dict[str, int], numbered: list[Mark]) -> None:
    """Each record as its own mark and label, stacked so that no two labels in a lane overlap."""
    number = {id(m): i for i, m in enumerate(numbered, start=1)}  # one lookup per mark
    texts = [str(number[id(m)]) if id(m) in number else m.label for m in found]
    levels = _slots(found, texts)
    for mark, level, text in zip(found, levels, texts, strict=True):
        y0 = rows[mark.lane]
        colour = COLOURS[mark.lane]
        middle = (mark.start + mark.end) / 2
        if mark.lane == LANES[5]:
            axes.plot([middle, middle], [y0 - 0.3, y0 + 0.1], color=colour, linewidth=0.8, zorder=2)
            if mark.contested:
                axes.plot(middle, y0 + 0.2, marker="v", color=CONTESTED, markersize=4, zorder=3)
            continue
        y = y0 - 0.3 + 0.18 * level
        if mark.end - mark.start > 1.5:  # a period the source gives only as bounds
            axes.plot(
                [mark.start, mark.end],
                [y, y],
                color=colour,
                linewidth=2.5,
                alpha=0.45,
                solid_capstyle="butt",
                zorder=2,
            )
        shape = {LANES[3]: "D", LANES[4]: "s"}.get(mark.lane, "o")
        axes.plot(
            middle,
            y,
            marker=shape,
            color=colour,
            markersize=5,
            zorder=3,
            markeredgecolor="white",
            markeredgewidth=0.5,
        )
        if mark.contested:
            axes.plot(
                middle,
                y,
                marker="o",
                markersize=10,
                markerfacecolor="none",
                markeredgecolor=CONTESTED,
                markeredgewidth=1.2,
                zorder=4,
            )
        axes.annotate(
            text,
            (middle, y),
            xytext=(6, 1),
            textcoords="offset points",
            fontsize=6.5,
            color="#222222",
            zorder=5,
            va="bottom",
        )


def _draw_counts(axes: Any, found: list[Mark], rows: dict[str, int]) -> int:
    """Each lane as bars of its records per year (red: contested); returns the tallest count."""
    per_year: Counter[tuple[str, int]] = Counter()
    contested: Counter[tuple[str, int]] = Counter()
    for mark in found:
        key = (mark.lane, int((mark.start + mark.end) / 2))
        per_year[key] += 1
        contested[key] += mark.contested
    tallest = max(per_year.values())
    for lane in LANES:
        years = sorted(year for each, year in per_year if each == lane)
        if not years:
            continue
        base = rows[lane] - 0.35
        heights = [0.8 * per_year[lane, year] / tallest for year in years]
        axes.bar(
            years, heights, width=1.0, bottom=base, align="edge", color=COLOURS[lane], zorder=2
        )
        ringed = [year for year in years if contested[lane, year]]
        if ringed:
            red = [0.8 * contested[lane, year] / tallest for year in ringed]
            axes.bar(ringed, red, width=1.0, bottom=base, align="edge", color=CONTESTED, zorder=3)
    return tallest


def _plural(count: int, table: str) -> str:
    return f"{count} {table.removesuffix('s') if count == 1 else table}"


FORMATS = {".svg": "svg", ".png": "png"}
"""The file suffixes ``irr plot`` writes, and the format each names."""
PNG_DPI = 150


def timeline_svg(
    package: Path, version: str, supports: dict[str, support.Support] | None = None
) -> str:
    """The timeline of the package at ``package`` as SVG text (``supports``: its records'
    support, when already computed)."""
    return timeline(package, version, supports).decode("utf-8")


def timeline(
    package: Path,
    version: str,
    supports: dict[str, support.Support] | None = None,
    *,
    fmt: str = "svg",
) -> bytes:
    """The timeline as the bytes of an SVG (``fmt="svg"``) or a PNG (``fmt="png"``) file.

    Both are deterministic: the same package and matplotlib version give the same bytes
    (no date, no software name in the file)."""
    if fmt not in FORMATS.values():
        raise ValueError(f"unknown format {fmt!r}")
    matplotlib = _require_matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    found, undated = marks(package, supports)
    first = min(int(m.start) for m in found) // 10 * 10
    last = (max(int(m.end) for m in found) // 10 + 1) * 10
    rows = {lane: len(LANES) - i for i, lane in enumerate(LANES)}
    dense = len(found) > MOST_MARKS
    numbered = [] if dense else [m for m in found if m.lane in (LANES[3], LANES[4])]

    with matplotlib.rc_context(
        {
            "svg.hashsalt": HASH_SALT,
            "svg.fonttype": "path",
            "font.size": 8,
            "font.family": "DejaVu Sans",
        }
    ):
        figure = Figure(figsize=(14, 8.4))
        axes = figure.add_axes((0.14, 0.32, 0.8, 0.61))
        for i, decade in enumerate(range(first, last, 10)):
            if i % 2 == 0:
                axes.axvspan(decade, decade + 10, color="#F3F3F3", zorder=0, linewidth=0)
        tallest = 0
        if dense:
            tallest = _draw_counts(axes, found, rows)
        else:
            _draw_marks(axes, found, rows, numbered)
        for lane in LANES:
            if not any(m.lane == lane for m in found):
                axes.text(
                    first + 1,
                    rows[lane] - 0.1,
                    "none in the data",
                    color="#888888",
                    fontstyle="italic",
                    fontsize=7.5,
                )
        axes.set_xlim(first, last)
        axes.set_ylim(0.5, len(LANES) + 0.9)
        axes.set_yticks([rows[lane] for lane in LANES], LANES)
        for label, lane in zip(axes.get_yticklabels(), LANES, strict=True):
            label.set_color(COLOURS[lane])
            label.set_fontweight("bold")
        decades = list(range(first, last, 10))
        axes.set_xticks([d + 5 for d in decades], [f"{d}s" for d in decades])
        axes.set_xticks(decades, minor=True)
        axes.tick_params(axis="x", which="major", length=0, labelsize=8.5)
        axes.tick_params(axis="x", which="minor", length=4)
        axes.grid(axis="x", which="minor", color="#DDDDDD", linewidth=0.6)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.tick_params(axis="y", length=0)
        figure.text(
            0.14,
            0.955,
            "India–Soviet Union and India–Russia relations: visits, agreements and events by year",
            fontsize=13,
        )
        if dense:
            figure.text(
                0.14,
                0.25,
                f"{len(found):,} dated records, too many to mark one by one: each bar counts the "
                "records of its lane by the year in the middle of their dates\n"
                f"(the tallest bar, {tallest:,}); its red part counts those a source contradicts.",
                fontsize=8,
                color="#222222",
            )
        else:
            legend = [
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    color=COLOURS[LANES[0]],
                    label="visit (by direction)",
                ),
                Line2D(
                    [],
                    [],
                    marker="D",
                    linestyle="",
                    color=COLOURS[LANES[3]],
                    label="agreement signed",
                ),
                Line2D(
                    [],
                    [],
                    marker="s",
                    linestyle="",
                    color=COLOURS[LANES[4]],
                    label="major event: " + ", ".join(MAJOR_EVENT_KINDS),
                ),
                Line2D(
                    [],
                    [],
                    marker="|",
                    linestyle="",
                    color=COLOURS[LANES[5]],
                    markersize=8,
                    label="other event",
                ),
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markersize=9,
                    markerfacecolor="none",
                    markeredgecolor=CONTESTED,
                    label="contested: a source contradicts it (○ in the key, ▼ for other events)",
                ),
            ]
            figure.legend(
                handles=legend,
                loc="upper left",
                bbox_to_anchor=(0.135, 0.292),
                ncol=3,
                frameon=False,
                fontsize=7.5,
            )
        per_column = (len(numbered) + 2) // 3
        for i, mark in enumerate(numbered):
            column, row = divmod(i, per_column)
            year = int((mark.start + mark.end) / 2)
            figure.text(
                0.14 + 0.275 * column,
                0.215 - 0.022 * row,
                f"{i + 1}  " + ("○ " if mark.contested else "") + f"{mark.label} ({year})",
                fontsize=7,
                color=COLOURS[mark.lane],
            )
        missing = ", ".join(_plural(n, table) for table, n in sorted(undated.items()))
        how = (
            ""
            if dense
            else "A mark stands at the middle of the days its date can mean; a bar spans a "
            "period that the source gives only as bounds. "
        )
        figure.text(
            0.14,
            0.04,
            f"india-russia-relations {version}. {how}"
            f"Not shown, as no source dates them: {missing or 'none'}.",
            fontsize=7,
            color="#444444",
        )
        buffer = io.BytesIO()
        if fmt == "png":
            figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        else:
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
