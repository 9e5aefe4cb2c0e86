"""The evidence as immutable values.

Every number a user can see traces back to one of these records, and every record names its source and
evidence level, so provenance travels with the figure instead of being looked up afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from typing import Any, Protocol, Self, TypeVar

_Record = TypeVar("_Record")


def fast_init(cls: type[_Record]) -> type[_Record]:
    """Give a frozen, slotted dataclass an ``__init__`` that fills its slots as a plain class would.

    The generated ``__init__`` of a frozen dataclass calls ``object.__setattr__`` by name for every field
    (about 3 µs for a Result of 13 fields); a reader makes one record per CSV row, so at a million rows
    that is most of the load. This one turns the new instance into an unfrozen twin class with the same
    slots (``__class__`` assignment between classes of one layout, checked here once), assigns every field
    as a plain attribute (the interpreter's specialised slot store, about 3x faster than a call through the
    slot descriptor) and turns it back; the record is a ``cls`` again before ``__init__`` returns. An
    instance of a subclass, whose layout may differ, is filled through the slot descriptors instead. It
    takes the same arguments, defaults included, and sets the same slots; the class stays frozen
    (assignment still raises FrozenInstanceError), and equality, hashing and repr are the dataclass's own.
    Only plain defaults are supported, which is what the records use.
    """
    names, params, namespace = [], [], {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.default_factory is not MISSING or not f.init:
            raise TypeError(f"fast_init supports plain defaults only ({cls.__name__}.{f.name})")
        names.append(f.name)
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    twin = type(f"_{cls.__name__}Slots", (), {"__slots__": cls.__dict__["__slots__"], "__module__": cls.__module__})
    probe = object.__new__(cls)
    object.__setattr__(probe, "__class__", twin)  # a TypeError here: the layouts differ, fast_init cannot serve
    probe.__class__ = cls
    namespace.update(_cls=cls, _twin=twin, _object_setattr=object.__setattr__)
    described = "".join(f"        _set_{n}(self, {n})\n" for n in names)
    plain = "".join(f"    self.{n} = {n}\n" for n in names)
    body = (
        f"    if type(self) is not _cls:\n{described}        return\n"
        f"    _object_setattr(self, '__class__', _twin)\n{plain}    self.__class__ = _cls\n"
    )
    exec(f"def __init__(self, {', '.join(params)}):\n{body}", namespace)  # as dataclasses makes its own
    init: Any = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = f"Fill the slots of a {cls.__name__} (see ``fast_init``)."
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


class EvidenceLevel(StrEnum):
    """How far a figure was checked (shared/reference/jak-ra-evidence.md, section 10).

    The one definition of evidence strength: ``strength`` orders the levels, and a figure resting on
    several numbers is only as checked as the least-checked of them (:meth:`weaker`, :meth:`weakest`).
    A member is looked up by its value as usual (``EvidenceLevel("verified")``); the strength argument
    of ``__new__`` only builds the members.
    """

    strength: int

    def __new__(cls, value: str, strength: int = 0) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.strength = strength
        return member

    VERIFIED = "verified", 2
    SECONDARY = "secondary", 1
    UNVERIFIED = "unverified", 0

    def weaker(self, other: EvidenceLevel) -> EvidenceLevel:
        """The less checked of two levels."""
        return self if self.strength <= other.strength else other

    @classmethod
    def weakest(cls, levels: Iterable[EvidenceLevel]) -> EvidenceLevel:
        """The least checked of several levels (at least one)."""
        return min(levels, key=lambda level: level.strength)

    @classmethod
    def parse(cls, text: str) -> EvidenceLevel | None:
        """The level a cell names, in any letter case, or None (a dictionary lookup: readers call it per row)."""
        return _LEVEL_OF.get(text) or _LEVEL_OF.get(text.lower())

    @classmethod
    def choices(cls) -> str:
        """The values, strongest first, for a message that names what is allowed."""
        return ", ".join(level.value for level in cls)


_LEVEL_OF = {level.value: level for level in EvidenceLevel}  # the lookup behind EvidenceLevel.parse


class SourceKind(StrEnum):
    """What kind of document a figure was read in; the evidence level a figure may claim follows from it
    (shared/reference/jak-ra-evidence.md, section 10, revised after the 2026-12 evidence audit)."""

    ARTICLE = "article"  # the publisher's or PMC full text, or PubMed
    ABSTRACT = "abstract"  # on the publisher's site or PubMed
    LABEL = "label"  # the regulator's own label
    REGULATORY = "regulatory"  # an assessment report or decision, where the regulator keeps it
    REGISTRY = "registry"  # the registry's own record
    REVIEW = "review"  # another paper's summary table
    SUMMARY = "summary"  # forums, society summaries, vendor, compendium or AI pages
    NEWS = "news"
    PRESS_RELEASE = "press-release"
    COPY = "copy"  # a primary document read on a third-party copy or mirror
    RECALLED = "recalled"  # remembered from the literature, confirmed by no readable source

    @property
    def is_primary(self) -> bool:
        """Only the primary document itself, read where its publisher, regulator or registry keeps it."""
        return self in _PRIMARY_KINDS

    @property
    def ceiling(self) -> EvidenceLevel:
        """The highest level a figure read in this kind of source can carry."""
        if self in _PRIMARY_KINDS:
            return EvidenceLevel.VERIFIED
        if self is SourceKind.RECALLED:
            return EvidenceLevel.UNVERIFIED
        return EvidenceLevel.SECONDARY


_PRIMARY_KINDS = frozenset(
    {SourceKind.ARTICLE, SourceKind.ABSTRACT, SourceKind.LABEL, SourceKind.REGULATORY, SourceKind.REGISTRY}
)


class ArmRole(StrEnum):
    """What a trial arm is: the drug under study, placebo, or an active comparator (adalimumab, MTX)."""

    DRUG = "drug"
    PLACEBO = "placebo"
    ACTIVE = "active"


class Origin(StrEnum):
    """Where a record came from, so imported entries are never mistaken for curated ones."""

    CURATED = "curated"
    USER = "user"
    REGISTRY = "registry"


class OutcomeKind(StrEnum):
    """What kind of number an outcome holds; only crude counts of participants become responders of n."""

    CRUDE = "crude count or percentage of participants"
    TIME_TO_EVENT = "time-to-event or life-table estimate"
    ADJUSTED = "adjusted or model-based estimate"
    RATE_OTHER_UNIT = "rate per unit other than participants"
    CONTINUOUS = "continuous measure"
    UNKNOWN = "unknown kind"
    NOT_POSTED = "results not posted"


class Direction(StrEnum):
    """Whether more events are better (a response: NNT) or worse (a harm: NNH)."""

    BENEFIT = "benefit"
    HARM = "harm"


class ApprovalStatus(StrEnum):
    """A drug's regulatory status as far as the catalog knows it; a registry-only drug is unknown."""

    APPROVED = "approved"
    INVESTIGATIONAL = "investigational"
    NOT_IN_CATALOG = "not in the catalog"


@dataclass(frozen=True, slots=True)
class Source:
    """A citable place a figure was read: a publication (PMID/DOI), a label, or a registry record."""

    id: str
    citation: str
    pmid: str = ""
    doi: str = ""
    nct: str = ""
    url: str = ""
    locator: str = ""  # table or figure, e.g. "Table 2"
    note: str = ""
    kind: SourceKind | None = None  # None: not stated (a spreadsheet row's citation)

    def links(self) -> tuple[tuple[str, str], ...]:
        """(label, url) pairs; only http(s) addresses are ever produced, so nothing else can be opened."""
        out: list[tuple[str, str]] = []
        if self.pmid:
            out.append((f"PMID {self.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"))
        if self.doi:
            out.append((f"doi:{self.doi}", f"https://doi.org/{self.doi}"))
        if self.nct:
            out.append((self.nct, f"https://clinicaltrials.gov/study/{self.nct}"))
        if self.url.startswith(("http://", "https://")):
            out.append((self.url, self.url))
        return tuple(out)

    def short(self) -> str:
        """One line for tooltips and footnotes: the citation and where in it the figure is."""
        return f"{self.citation}, {self.locator}" if self.locator else self.citation


@dataclass(frozen=True, slots=True)
class Selectivity:
    """One IC50 of a drug against one kinase, with the assay it was measured in."""

    target: str  # JAK1, JAK2, JAK3, TYK2
    ic50_nm: float
    qualifier: str  # "" for an exact value, ">" for a lower bound
    assay: str
    source_id: str
    level: EvidenceLevel


@dataclass(frozen=True, slots=True)
class Approval:
    """A regulatory decision: agency, date (YYYY, YYYY-MM or YYYY-MM-DD) and indication."""

    agency: str
    date: str
    indication: str
    source_id: str
    level: EvidenceLevel
    note: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    """A sourced statement in a monograph (mechanism, half-life, a dose, a boxed-warning item)."""

    text: str
    source_id: str
    level: EvidenceLevel
    daily_mg: float | None = None  # for an approved dose: the daily dose it amounts to


@dataclass(frozen=True, slots=True)
class Drug:
    """A drug monograph: names, targets, selectivity, dosing, approvals and warnings."""

    id: str
    name: str
    drug_class: str = ""
    brands: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    mechanism: tuple[Fact, ...] = ()
    selectivity: tuple[Selectivity, ...] = ()
    approved_doses: tuple[Fact, ...] = ()
    half_life: tuple[Fact, ...] = ()
    approvals: tuple[Approval, ...] = ()
    boxed_warnings: tuple[Fact, ...] = ()
    origin: Origin = Origin.CURATED
    note: str = ""

    def names(self) -> tuple[str, ...]:
        """Every name a user might type: generic, brands and development codes."""
        return (self.name, *self.brands, *self.codes)

    @property
    def approval_status(self) -> ApprovalStatus:
        """Approved when the catalog cites an approval; investigational only for a curated monograph that
        cites none. A drug that only a user or registry file knows has no monograph, so its status is
        unknown ("not in the catalog"), never "investigational"."""
        if self.approvals:
            return ApprovalStatus.APPROVED
        if self.origin is Origin.CURATED:
            return ApprovalStatus.INVESTIGATIONAL
        return ApprovalStatus.NOT_IN_CATALOG


@fast_init
@dataclass(frozen=True, slots=True)
class Trial:
    """A randomised trial; population and timepoint matter because trials are never pooled across them."""

    id: str
    name: str
    nct: str = ""
    phase: str = ""
    population: str = ""  # MTX-IR, TNF-IR, csDMARD-IR, bDMARD-IR, MTX-naive, DMARD-IR ...
    background: str = ""  # background therapy, e.g. "MTX"
    primary_timepoint: str = ""
    randomised_n: int | None = None
    indication: str = ""
    source_id: str = ""
    level: EvidenceLevel = EvidenceLevel.VERIFIED
    origin: Origin = Origin.CURATED
    note: str = ""


PER_BODY_SIZE = frozenset({"mg/kg", "µg/kg", "mg/m²", "µg/m²"})  # dose units that need the patient's size


@fast_init
@dataclass(frozen=True, slots=True)
class Arm:
    """One randomised group: a dose of the drug, placebo, or an active comparator."""

    id: str
    trial_id: str
    role: ArmRole
    label: str
    drug_id: str = ""  # empty for placebo
    dose: float | None = None
    unit: str = ""
    frequency: str = ""  # QD, BID, Q2W ...
    daily_dose_mg: float | None = None
    n: int | None = None
    source_id: str = ""
    level: EvidenceLevel = EvidenceLevel.VERIFIED
    note: str = ""
    randomised: bool = True  # False for open-label, switch or "all subjects" groups of a registry record
    frequency_range: str = ""  # frequencies stated as a range instead of one ("3-4 times a day"): no daily dose

    def no_daily_dose_why(self) -> str:
        """Why this arm has no amount per day, in words a reader can check against the source.

        A dose per kg or m² needs each patient's size; a frequency given as a range ("3-4 times a day"),
        a single dose or no frequency at all gives no amount per day; and an arm may state no dose. One
        wording for every place that says it: the dose-response charts, their CSV and the audit.
        """
        if self.unit in PER_BODY_SIZE:
            return f"dose per body size ({self.dose:g} {self.unit})" if self.dose is not None else "dose per body size"
        if self.dose is None:
            return "no dose stated"
        if self.frequency_range:
            return f"frequency given as a range ('{self.frequency_range}'), so no daily dose can be computed"
        if not self.frequency:
            return "no dosing frequency given"
        if self.frequency == "ONCE":
            return "a single dose, not a daily regimen"
        return f"regimen {self.frequency} gives no daily dose"


@fast_init
@dataclass(frozen=True, slots=True)
class Outcome:
    """A binary endpoint such as ACR20; registry outcomes bring their own title.

    A registry outcome's description is read to classify the measure (``ctgov.classify``) and not kept:
    nothing shows it, and at about 2 KB an outcome it was a large part of what a study kept (issue 17).

    A registry outcome measure can hold several classes (time points, subgroups) and categories
    (answers); each class and category is an Outcome of its own, and ``measure``, ``class_title`` and
    ``category_title`` keep the parts so nothing has to be parsed back out of the id or title.
    """

    id: str
    title: str
    description: str = ""
    measure: str = ""  # the registry outcome-measure title this one belongs to ("" outside registries)
    class_title: str = ""  # the registry class: a time point or subgroup ("Week 12")
    category_title: str = ""  # the registry category: an answer ("Responder")
    direction: Direction = Direction.BENEFIT  # HARM: more events are worse, so a difference is an NNH


class Cited(Protocol):
    """Where an imported figure was read, held as parts and written out only when shown.

    A registry study has hundreds of figures, and each one's provenance line repeats the record, the
    outcome, the time frame and the group (300 to 600 characters a figure: most of what a study kept,
    issue 17). A figure holds instead parts its record shares (the record, each group), with what is its
    own read from the figure itself; ``line`` writes the provenance of ``figure`` from them, the same
    text every time, for the tooltip, the details and the CSV (``Result.provenance``). Implementations are
    frozen dataclasses, so figures stay equal and hashable by value.
    """

    def line(self, figure: Any) -> str: ...


def cited_line(cited: str | Cited, figure: object) -> str:
    """The provenance text of ``figure`` whose provenance is ``cited`` (a line as is, or parts)."""
    return cited if isinstance(cited, str) else cited.line(figure)


@dataclass(frozen=True, slots=True)
class Appended:
    """A provenance with text after it: the AACT tables, row ids and snapshot stamped on a registry figure."""

    cited: str | Cited
    tail: str

    def line(self, figure: object) -> str:
        return cited_line(self.cited, figure) + self.tail


@fast_init
@dataclass(frozen=True, slots=True)
class Result:
    """Responders in one arm for one outcome at one timepoint.

    ``responders`` may be derived from a reported percentage (``derived`` is then True and ``percent``
    keeps what was printed); ``count_note`` says when the percentage fits no whole count, or several
    (the flagged rule of ``stats.count_from_percent``); it is also part of ``note``.
    """

    trial_id: str
    arm_id: str
    outcome_id: str
    timepoint: str
    n: int | None
    responders: int | None
    percent: float | None
    derived: bool
    source_id: str
    level: EvidenceLevel
    note: str = ""
    cited: str | Cited = ""  # for imported numbers: NCT, outcome title, time frame, group, raw value, date
    count_note: str = ""  # when ``derived``: the percentage fits no whole count, or several

    @property
    def provenance(self) -> str:
        """Where the number was read, as one line (written from its parts when asked: ``Cited``)."""
        return cited_line(self.cited, self)


@fast_init
@dataclass(frozen=True, slots=True)
class AdverseEvent:
    """Participants with one adverse-event term in one arm (affected of at_risk)."""

    trial_id: str
    arm_id: str
    term: str
    at_risk: int | None
    affected: int | None
    percent: float | None
    derived: bool
    source_id: str
    level: EvidenceLevel
    timepoint: str = ""
    serious: bool = False
    note: str = ""
    cited: str | Cited = ""

    @property
    def provenance(self) -> str:
        """Where the counts were read, as one line (written from its parts when asked: ``Cited``)."""
        return cited_line(self.cited, self)


# The class safety outcomes of the JAK inhibitors, in the order a reader expects them (jak-ra-evidence.md).
CLASS_SAFETY_TERMS = ("serious infection", "herpes zoster", "MACE", "VTE", "malignancy excluding NMSC", "death")


@dataclass(frozen=True, slots=True)
class SafetyRate:
    """An exposure-adjusted incidence rate: events (or patients with a first event) over patient-years.

    The class safety questions of the JAK inhibitors (serious infection, herpes zoster, MACE, VTE,
    malignancy, death) are reported this way by integrated safety analyses and labels, per 100
    patient-years. ``rate``/``rate_low``/``rate_high`` are as printed; ``events`` and ``patient_years``
    are kept when the source gives them, and only then are our own intervals and comparisons computed.
    Groups of one ``analysis`` are comparable with each other, never across analyses.
    """

    analysis: str  # the integrated analysis or trial period, e.g. "SELECT-COMPARE through 264 weeks"
    group: str  # as printed, e.g. "Any UPA 15 mg QD"
    role: ArmRole
    term: str  # serious infection, herpes zoster, MACE, VTE, malignancy excluding NMSC, death
    events: int | None
    patient_years: float | None
    rate: float | None  # per 100 patient-years, as printed
    rate_low: float | None
    rate_high: float | None
    source_id: str
    level: EvidenceLevel
    drug_id: str = ""  # the drug of a drug group; a comparator's name for an active group
    trial_id: str = ""  # a catalog trial when the analysis is one trial
    daily_dose_mg: float | None = None
    period: str = ""
    note: str = ""

    def label(self) -> str:
        return f"{self.analysis} · {self.group}"


@dataclass(frozen=True, slots=True)
class HazardRatio:
    """A hazard ratio as a trial printed it (a Cox model we cannot recompute), with its 95% CI."""

    trial_id: str
    term: str
    group: str  # the treated group, e.g. "Tofacitinib 5 mg BID"
    comparator: str  # e.g. "TNF inhibitor"
    value: float
    low: float
    high: float
    source_id: str
    level: EvidenceLevel
    drug_id: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class SponsorAnalysis:
    """A statistic the sponsor posted (possibly covariate-adjusted); shown beside, never instead of, ours."""

    trial_id: str
    outcome_id: str
    timepoint: str
    arm_ids: tuple[str, ...]
    param_type: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    ci_percent: float | None
    p_value: str
    method: str
    comment: str
    source_id: str
    cited: str | Cited = ""

    @property
    def provenance(self) -> str:
        """Where the statistic was read, as one line (written from its parts when asked: ``Cited``)."""
        return cited_line(self.cited, self)


@dataclass(frozen=True, slots=True)
class Dataset:
    """Everything one file or folder contributed; a Catalog is the merge of these."""

    label: str
    path: str
    origin: Origin
    sources: tuple[Source, ...] = ()
    drugs: tuple[Drug, ...] = ()
    trials: Sequence[Trial] = ()  # a dataset folder's: compact.RecordTable (a Trial made when read)
    arms: Sequence[Arm] = ()  # a dataset folder's: compact.RecordTable (an Arm made when read)
    outcomes: Sequence[Outcome] = ()  # a registry study's, when its ids join parts: compact.RecordTable
    results: Sequence[Result] = ()  # a registry study's results and adverse events: compact.RecordTable
    adverse_events: Sequence[AdverseEvent] = ()
    sponsor_analyses: tuple[SponsorAnalysis, ...] = ()
    safety_rates: tuple[SafetyRate, ...] = ()
    hazard_ratios: tuple[HazardRatio, ...] = ()
    skipped: Sequence[str] = field(default=())  # what a partial import left out, and why
    excluded_outcomes: Sequence[ExcludedOutcome] = ()  # registry outcomes kept out of the effect charts


KEPT_OUT = " kept out: "  # marks the ``Dataset.skipped`` line of an outcome listed in ``excluded_outcomes``


@dataclass(frozen=True, slots=True)
class ExcludedOutcome:
    """A registry outcome measure kept out of the effect charts: which, what kind, why, and where."""

    trial_id: str
    title: str
    kind: OutcomeKind
    reason: str
    location: str
    direction: Direction = Direction.BENEFIT  # a harm outcome kept out is named on the tolerability chart
