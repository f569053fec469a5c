"""The pydantic models: the single definition of every table, column, vocabulary and key.

Table Schemas, the data package descriptor, the CSV reader and writer and the README's
table list are all generated from these classes; nothing else states a column's type.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, ClassVar, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from .dates import PartialDate, ends_before_start

ID_PATTERN = r"^[a-z0-9]+(-{1,2}[a-z0-9]+)*$"


@dataclass(frozen=True)
class ForeignKey:
    """Marks a column as a reference to the ``id`` of another table."""

    table: str


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The meaning of each value of a controlled vocabulary (a ``Literal`` column)."""

    labels: dict[str, str]


def _about(description: str) -> object:
    return Field(description=description)


def _text(max_length: int, description: str) -> object:
    return Field(min_length=1, max_length=max_length, description=description)


MAX_DIGITS, DECIMAL_PLACES = 15, 2
"""Every number column's precision: 15 significant digits round-trip exactly through a double."""

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=120)]
ListItem = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^;]+$")]

CountryRef = Annotated[Id, ForeignKey("countries")]
LeaderRef = Annotated[Id, ForeignKey("leaders")]
SourceRef = Annotated[Id, ForeignKey("sources")]
AgreementRef = Annotated[Id, ForeignKey("agreements")]

SourceKind = Annotated[
    Literal["analysis", "encyclopedia", "news", "notes", "opinion"],
    Vocabulary(
        {
            "analysis": "a research or policy analysis paper",
            "encyclopedia": "an encyclopedia article, or a copy of one",
            "news": "a news report",
            "notes": "study or exam-preparation notes",
            "opinion": "an opinion or commentary article",
        }
    ),
]
VisitKind = Annotated[
    Literal["state", "official", "summit", "working", "multilateral", "other"],
    Vocabulary(
        {
            "state": "a state visit, as the source calls it",
            "official": "an official visit, as the source calls it",
            "summit": "a bilateral summit meeting",
            "working": "a working visit",
            "multilateral": "a meeting at a multilateral conference or in a third place",
            "other": "any other trip, such as a private or pre-independence visit",
        }
    ),
]
AgreementKind = Annotated[
    Literal[
        "treaty",
        "declaration",
        "agreement",
        "contract",
        "joint-venture",
        "memorandum",
        "programme",
        "target",
        "other",
    ],
    Vocabulary(
        {
            "treaty": "a treaty between states",
            "declaration": "a joint declaration or statement of principles",
            "agreement": "an intergovernmental or sectoral agreement",
            "contract": "a purchase or supply deal",
            "joint-venture": "a jointly owned company or production venture",
            "memorandum": "a memorandum of understanding",
            "programme": "a standing programme or mechanism of cooperation",
            "target": "an agreed goal, such as a trade target",
            "other": "any other arrangement",
        }
    ),
]
EventKind = Annotated[
    Literal[
        "war",
        "mediation",
        "veto",
        "diplomatic-relations",
        "consulate",
        "statement",
        "assistance",
        "industrial-project",
        "technology-transfer",
        "arms-trade",
        "trade-figure",
        "arms-share",
        "commission",
        "intelligence",
        "political",
        "nuclear",
        "institution",
        "cooperation",
        "dissolution",
        "sanctions-warning",
        "other",
    ],
    Vocabulary(
        {
            "war": "an armed conflict, or a party's stance in one",
            "mediation": "a peace or ceasefire brokered by a third party",
            "veto": "a veto cast in the UN Security Council",
            "diplomatic-relations": "relations established, upgraded or ended",
            "consulate": "a consulate or embassy opened, moved or changed",
            "statement": "a public position taken by a government or leader",
            "assistance": "economic or military aid given",
            "industrial-project": "a plant or industrial project built with the other side",
            "technology-transfer": "technology transferred or licensed for production",
            "arms-trade": "arms supplied or bought",
            "trade-figure": "a measured trade or investment volume (value and unit columns)",
            "arms-share": "a share of arms imports (value and unit columns)",
            "commission": "a joint commission or dialogue mechanism meeting or set up",
            "intelligence": "intelligence-service operations",
            "political": "a domestic political event bearing on the relationship",
            "nuclear": "a nuclear test or nuclear-energy milestone",
            "institution": "an institution, bank or centre founded",
            "cooperation": "cooperation in a field, such as space or energy",
            "dissolution": "the dissolution of a state",
            "sanctions-warning": "a threat of sanctions by a third country",
            "other": "anything else",
        }
    ),
]
Stance = Annotated[
    Literal["supports", "contradicts"],
    Vocabulary(
        {
            "supports": "the source states the record's value",
            "contradicts": "the source states another value (see field and claimed_value)",
        }
    ),
]
Basis = Annotated[
    Literal["stated", "inferred", "preview"],
    Vocabulary(
        {
            "stated": "the quote itself states the value",
            "inferred": (
                "the value is read from context outside the quote (a list heading, a"
                " neighbouring sentence, a footnote's book title) or worked out from it"
            ),
            "preview": (
                "the value is read from the mirror's inline link previews, not the"
                " article's own words"
            ),
        }
    ),
]


def _field_error(field: str, message: str) -> PydanticCustomError:
    """A cross-field error that still names the one field to fix."""
    return PydanticCustomError("record", message, {"field": field})


class Record(BaseModel):
    """Behaviour shared by every table: frozen, strict about unknown columns."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True, defer_build=True)

    table: ClassVar[str]
    table_title: ClassVar[str]
    primary_key: ClassVar[tuple[str, ...]] = ("id",)
    cited: ClassVar[bool] = True
    """Whether each row needs a ``supports`` citation."""

    def key(self) -> tuple[str, ...]:
        """The primary key, the order rows are kept in."""
        return tuple(str(getattr(self, name)) for name in self.primary_key)


class _Interval(Record):
    """A record with a start and an end that must not precede it."""

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Self:
        start: PartialDate | None = getattr(self, "start", None)
        end: PartialDate | None = getattr(self, "end", None)
        if ends_before_start(start, end):
            raise _field_error("end", f"end {end} is before start {start}")
        return self


class Source(Record):
    """An archived source document: the evidence every other record cites."""

    table: ClassVar[str] = "sources"
    table_title: ClassVar[str] = "Sources"
    cited: ClassVar[bool] = False

    id: Annotated[Id, _about("Readable identifier of the source")]
    title: Annotated[
        str,
        _text(
            300,
            "Title as the text gives it; where it gives none, a devised title in square "
            "brackets, as library catalogues write one (and notes say so)",
        ),
    ]
    author: Annotated[str | None, _text(200, "Author, when the text names one")] = None
    publisher: Annotated[str | None, _text(200, "Publisher, when known")] = None
    published: Annotated[
        PartialDate | None, Field(description="Publication date, as precise as known")
    ] = None
    url: Annotated[
        str | None, Field(pattern=r"^https?://\S+$", max_length=500, description="URL")
    ] = None
    retrieved: Annotated[
        PartialDate | None, Field(description="When the text was retrieved, if known")
    ] = None
    kind: Annotated[SourceKind, Field(description="What sort of document it is")]
    language: Annotated[
        str,
        Field(
            pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
            max_length=20,
            description="BCP 47 language tag of the text",
        ),
    ]
    license: Annotated[str, _text(100, "The text's own licence (SPDX identifier) or 'unknown'")]
    path: Annotated[
        str,
        Field(
            pattern=r"^sources/[a-z0-9-]+\.txt$",
            max_length=200,
            description="Archived text, relative to datapackage.json",
        ),
    ]
    sha256: Annotated[
        str,
        Field(pattern=r"^[0-9a-f]{64}$", max_length=64, description="SHA-256 of the archived text"),
    ]
    original_filename: Annotated[str, _text(200, "File name the text was received under")]
    notes: Annotated[str | None, _text(2000, "What is inferred, and from what; other remarks")] = (
        None
    )


class Country(_Interval):
    """A country or former country: reference data from ISO 3166 and Correlates of War."""

    table: ClassVar[str] = "countries"
    table_title: ClassVar[str] = "Countries"
    cited: ClassVar[bool] = False

    id: Annotated[Id, _about("Readable identifier of the country")]
    name: Annotated[str, _text(200, "Common English name")]
    iso3: Annotated[
        str,
        Field(
            pattern=r"^[A-Z]{3}$",
            max_length=3,
            description="ISO 3166-1 alpha-3 code (ISO 3166-3 for former countries: SUN)",
        ),
    ]
    cow_code: Annotated[
        int | None, Field(ge=1, le=999, description="Correlates of War state number")
    ] = None
    start: Annotated[PartialDate | None, Field(description="When the state began")] = None
    end: Annotated[PartialDate | None, Field(description="When the state ended")] = None
    notes: Annotated[str | None, _text(2000, "Remarks")] = None


class Leader(Record):
    """A person who acts in the story: a head of state or government, minister or official."""

    table: ClassVar[str] = "leaders"
    table_title: ClassVar[str] = "Leaders"

    id: Annotated[Id, _about("Name slug, such as jawaharlal-nehru")]
    name: Annotated[str, _text(200, "Full name as the sources give it")]
    aliases: Annotated[
        tuple[ListItem, ...],
        Field(description="Other names and spellings the sources use"),
    ] = ()
    country_id: Annotated[CountryRef, _about("Country the person served")]
    born: Annotated[PartialDate | None, Field(description="Date of birth")] = None
    died: Annotated[PartialDate | None, Field(description="Date of death")] = None
    notes: Annotated[str | None, _text(2000, "Remarks, doubts, inferences")] = None

    @model_validator(mode="after")
    def _died_not_before_born(self) -> Self:
        if ends_before_start(self.born, self.died):
            raise _field_error("died", f"died {self.died} is before born {self.born}")
        return self


class Position(_Interval):
    """A person holding an office for a period."""

    table: ClassVar[str] = "positions"
    table_title: ClassVar[str] = "Positions"

    id: Annotated[Id, _about("Leader id and office slug")]
    leader_id: Annotated[LeaderRef, _about("Who held the office")]
    office: Annotated[str, _text(200, "The office, in the words most sources use")]
    country_id: Annotated[CountryRef, _about("Country of the office")]
    start: Annotated[PartialDate | None, Field(description="Took office")] = None
    end: Annotated[PartialDate | None, Field(description="Left office")] = None
    notes: Annotated[str | None, _text(2000, "Remarks, doubts, inferences")] = None


class Visit(_Interval):
    """One leader's trip to the other country, or a meeting in a third place."""

    table: ClassVar[str] = "visits"
    table_title: ClassVar[str] = "Visits"

    id: Annotated[
        Id, _about("Date-first slug, such as 1955-06-nehru-soviet-union (undated: no date)")
    ]
    leader_id: Annotated[LeaderRef, _about("The visiting leader")]
    host_country_id: Annotated[CountryRef, _about("The country visited")]
    places: Annotated[
        tuple[ListItem, ...], Field(description="Places visited, as the sources name them")
    ] = ()
    start: Annotated[
        PartialDate | None, Field(description="Start of the visit; empty when no source dates it")
    ] = None
    end: Annotated[PartialDate | None, Field(description="End of the visit")] = None
    kind: Annotated[VisitKind | None, Field(description="Kind of visit, where a source says")] = (
        None
    )
    summary: Annotated[str, _text(1000, "What the sources say of it, in one sentence")]
    notes: Annotated[str | None, _text(2000, "Remarks, doubts, inferences")] = None


class Agreement(Record):
    """A treaty, declaration, agreement, deal, joint venture, programme or target."""

    table: ClassVar[str] = "agreements"
    table_title: ClassVar[str] = "Agreements"

    id: Annotated[Id, _about("Date-first slug")]
    title: Annotated[str, _text(300, "Name of the agreement")]
    kind: Annotated[AgreementKind, Field(description="Kind of agreement")]
    signed: Annotated[PartialDate | None, Field(description="When it was signed")] = None
    place: Annotated[str | None, _text(200, "Where it was signed")] = None
    duration_years: Annotated[int | None, Field(ge=1, le=1000, description="Term in years")] = None
    value_amount: Annotated[
        Decimal | None,
        Field(
            ge=0,
            max_digits=MAX_DIGITS,
            decimal_places=DECIMAL_PLACES,
            description="Stated value, in full units",
        ),
    ] = None
    value_currency: Annotated[
        str | None,
        Field(pattern=r"^[A-Z]{3}$", max_length=3, description="ISO 4217 currency of value_amount"),
    ] = None
    summary: Annotated[str, _text(1000, "What the sources say of it, in one sentence")]
    notes: Annotated[str | None, _text(2000, "Remarks, doubts, inferences")] = None

    @model_validator(mode="after")
    def _currency_with_amount(self) -> Self:
        if (self.value_amount is None) != (self.value_currency is None):
            raise _field_error(
                "value_currency",
                "value_amount and value_currency go together: give both or neither",
            )
        return self


class AgreementParty(Record):
    """One party country to an agreement; covered by its agreement's citations."""

    table: ClassVar[str] = "agreement_parties"
    table_title: ClassVar[str] = "Agreement parties"
    primary_key: ClassVar[tuple[str, ...]] = ("agreement_id", "country_id")
    cited: ClassVar[bool] = False

    agreement_id: Annotated[AgreementRef, _about("The agreement")]
    country_id: Annotated[CountryRef, _about("A party country")]
    organisation: Annotated[
        str | None, _text(200, "The body that acted for that country, when named")
    ] = None


class Event(_Interval):
    """Anything else dated: wars, vetoes, openings, transfers, figures."""

    table: ClassVar[str] = "events"
    table_title: ClassVar[str] = "Events"

    id: Annotated[Id, _about("Date-first slug")]
    title: Annotated[str, _text(300, "Short title")]
    kind: Annotated[EventKind, Field(description="Kind of event")]
    start: Annotated[
        PartialDate | None,
        Field(description="When it happened or began; empty when no source dates it"),
    ] = None
    end: Annotated[PartialDate | None, Field(description="When it ended")] = None
    value_amount: Annotated[
        Decimal | None,
        Field(
            max_digits=MAX_DIGITS,
            decimal_places=DECIMAL_PLACES,
            description="A stated figure, in full units",
        ),
    ] = None
    value_unit: Annotated[str | None, _text(50, "Unit of value_amount, such as USD or percent")] = (
        None
    )
    summary: Annotated[str, _text(1000, "What the sources say of it, in one sentence")]
    notes: Annotated[str | None, _text(2000, "Remarks, doubts, inferences")] = None

    @model_validator(mode="after")
    def _unit_with_amount(self) -> Self:
        if (self.value_amount is None) != (self.value_unit is None):
            raise _field_error(
                "value_unit", "value_amount and value_unit go together: give both or neither"
            )
        return self


class Citation(Record):
    """One source's statement about one record, as a verbatim quotation."""

    table: ClassVar[str] = "citations"
    table_title: ClassVar[str] = "Citations"
    cited: ClassVar[bool] = False

    id: Annotated[Id, _about("Record id, '--', source id (and -2, -3 for more)")]
    record_id: Annotated[
        Id, _about("The record cited (any table but sources and countries; checked by the library)")
    ]
    source_id: Annotated[SourceRef, _about("The source quoted")]
    quote: Annotated[
        str, _text(1000, "Verbatim quotation; any run of whitespace matches any other")
    ]
    stance: Annotated[Stance, Field(description="Whether the quote supports the record")]
    basis: Annotated[
        Basis,
        Field(
            description=(
                "How the value was read: the weakest of preview, inferred and stated"
                " among the values the citation is cited for"
            )
        ),
    ]
    field: Annotated[
        str | None,
        Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=50, description="Field it bears on"),
    ] = None
    claimed_value: Annotated[
        str | None, _text(300, "The source's own value, when it contradicts")
    ] = None
    note: Annotated[str | None, _text(2000, "Remarks on the quotation")] = None

    @model_validator(mode="after")
    def _contradiction_is_explicit(self) -> Self:
        if self.stance == "contradicts" and (self.field is None or self.claimed_value is None):
            missing = "field" if self.field is None else "claimed_value"
            raise _field_error(
                missing,
                "a contradicting citation needs field and claimed_value (the source's value)",
            )
        if self.stance == "contradicts" and self.note is None:
            raise _field_error(
                "note", "a contradicting citation needs a note explaining the conflict"
            )
        return self


MODELS: dict[str, type[Record]] = {
    model.table: model
    for model in (
        Source,
        Country,
        Leader,
        Position,
        Visit,
        Agreement,
        AgreementParty,
        Event,
        Citation,
    )
}
"""Every table's model, in the package's stable table order."""

TableName = Literal[
    "sources",
    "countries",
    "leaders",
    "positions",
    "visits",
    "agreements",
    "agreement_parties",
    "events",
    "citations",
]
TABLES: tuple[TableName, ...] = get_args(TableName)
"""The table names, in the package's stable order."""
if tuple(MODELS) != TABLES:  # pragma: no cover - a model author's mistake, caught at import
    raise TypeError("TableName must list the tables of MODELS in their order")
