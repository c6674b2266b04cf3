"""Building blocks of the book's chapters: tables, charts and reconciliation blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import Markdown

from evalkit.compute import metrics
from evalkit.compute.claims import Claim, Registry, load_registry
from evalkit.compute.disclosure import HIDDEN, NONE, Policy, count_text, get_policy, pct_text
from evalkit.compute.reconcile import published_figure, reconcile, status_counts
from evalkit.compute.rounding import percentages
from evalkit.compute.slices import register_digest, year_slice
from evalkit.inputs.manifest import REAL_EXPORT, Manifest, load_manifest
from evalkit.inputs.numbers import format_number, format_pct
from evalkit.inputs.register import Reference, Register, load_reference, load_register
from evalkit.inputs.sources import Document, load_documents
from evalkit.publish import charts
from evalkit.publish.display import list_table, markdown_table
from evalkit.publish.evidence import Evidence, Ledger, load_ledger, range_cell
from evalkit.publish.provenance import Chapter
from evalkit.solver.audit import Conflict, load_audit, relaxed_claims
from evalkit.solver.model import kind

STATUS_MARK = {
    "exact": "✔ klopt precies",
    "rounding": "≈ klopt na afronding",
    "interpretation": "◇ klopt bij deze lezing",
    "discrepancy": "✘ wijkt af",
    "sourced": "· bron, niet herberekend",
    "outside_register": "– jaar niet in register",
}


@dataclass(frozen=True)
class Context:
    """Everything a chapter computes from: register, vocabularies, claims and audit."""

    register: Register | None
    reference: Reference
    registry: Registry
    documents: dict[str, Document]
    conflicts: list[Conflict]
    reconciliation: pd.DataFrame
    policy: Policy
    manifest: Manifest = REAL_EXPORT
    digest: str = ""
    ledger: Ledger | None = None


def load_context(
    register_dir: str | Path,
    data_dir: str | Path,
    audit_file: str | Path,
    today: str,
    disclosure: str = "none",
    jaar: int | None = None,
    bounds_file: str | Path = "",
) -> Context:
    """Load and validate everything a chapter needs (the notebook's parameters, explicitly).

    Parameters
    ----------
    register_dir, data_dir, audit_file : str or Path
        Folder of the register, the project's ``data`` folder, the audit result.
    today : str
        Build date (ISO); later dates in the register are invalid.
    disclosure : str
        Disclosure-control policy (see :data:`evalkit.compute.disclosure.POLICIES`).
    jaar : int, optional
        For a year chapter: compute everything from that year's slice of the register only
        (:func:`evalkit.compute.slices.year_slice`), so that the chapter depends on nothing
        else of the register (the build reuses it while that slice is unchanged).
    bounds_file : str or Path
        The bounds table of :func:`evalkit.solver.bounds.cached_bounds` (empty: none), read
        into the context's :class:`evalkit.publish.evidence.Ledger`.

    """
    policy = get_policy(disclosure)
    data_dir = Path(data_dir)
    reference = load_reference(data_dir / "reference")
    register = load_register(Path(register_dir), reference, dt.date.fromisoformat(today))
    if jaar is not None:
        register = year_slice(register, jaar)
    documents = load_documents(data_dir / "sources")
    registry = load_registry(data_dir / "claims", documents)
    conflicts = load_audit(Path(audit_file))
    table = reconcile(registry, register, reference, conflicts, policy)
    manifest = load_manifest(Path(register_dir))[0]
    return Context(
        register,
        reference,
        registry,
        documents,
        conflicts,
        table,
        policy,
        manifest,
        register_digest(register),
        load_ledger(bounds_file, registry, manifest.kind, relaxed_claims(conflicts)),
    )


def load_claims_context(
    data_dir: str | Path, audit_file: str | Path, disclosure: str = "none"
) -> Context:
    """The context of a chapter that shows published figures only and reads no register.

    Only the claims that are not recomputed (``sourced``) are reconciled here; a provenance
    block that names a recomputed claim refers the reader to the appendix for it. A chapter
    that uses this is not re-executed when the register changes.
    """
    data_dir = Path(data_dir)
    reference = load_reference(data_dir / "reference")
    documents = load_documents(data_dir / "sources")
    registry = load_registry(data_dir / "claims", documents)
    conflicts = load_audit(Path(audit_file))
    policy = get_policy(disclosure)
    sourced = Registry(tuple(c for c in registry.claims if "sourced" in c.recompute), (), ())
    table = reconcile(sourced, None, reference, (), policy)
    ledger = Ledger(None, registry)
    return Context(None, reference, registry, documents, conflicts, table, policy, ledger=ledger)


def given_up_sentence(ctx: Context, kinds: Sequence[str], jaar: int) -> str:
    """The published figures of a section that the register gives up, quoted, or ``""``.

    A section shows the register's value. Where the consistency audit gives up a published
    figure of the section (the relaxed claim of a conflict: one of the metrics or
    distributions ``kinds``, about ``jaar``), the reader sees that the letters said
    something else: "Over dit onderwerp schrijft de rapportage ook: “… 9 trajecten …”
    (W23-gestart-2023). Dat getal is niet te rijmen met de andere gepubliceerde cijfers
    (tegenspraak C1)."
    """
    claims = ctx.registry.by_id()
    out = []
    for conflict in ctx.conflicts:
        c = claims.get(conflict.relaxed)
        if c is None or kind(c) not in kinds or c.period != str(jaar):
            continue
        text = (
            f"Over dit onderwerp schrijft de rapportage ook: “{c.quote}” ({c.id}). Dat getal is "
            f"niet te rijmen met de andere gepubliceerde cijfers (tegenspraak {conflict.id})"
        )
        out.append(text + ("; het register volgt de andere." if ctx.manifest.synthetic else "."))
    return " ".join(out)


def discrepancy_sentence(reconciliation: pd.DataFrame, check_ids: Sequence[str]) -> str:
    """How many published figures the register does not reproduce, and how many sums fail.

    A figure and a reader's sum (the checks of the claims registry, e.g. whether the counts
    per half year add up to the year) are different things: "Bij 3 gepubliceerde getallen
    wijkt het herberekende getal af, en 2 rekensommen met gepubliceerde getallen komen niet
    uit."
    """
    off = reconciliation[reconciliation["status"] == "discrepancy"]
    sums = int(off["claim_id"].isin(list(check_ids)).sum())
    figures = len(off) - sums
    if figures == 0:
        text = "Geen gepubliceerd getal wijkt af van het herberekende"
    elif figures == 1:
        text = "Bij 1 gepubliceerd getal wijkt het herberekende getal af"
    else:
        text = f"Bij {figures} gepubliceerde getallen wijkt het herberekende getal af"
    if sums == 1:
        text += ", en 1 rekensom met gepubliceerde getallen komt niet uit"
    elif sums > 1:
        text += f", en {sums} rekensommen met gepubliceerde getallen komen niet uit"
    return text + "."


def claims_about(
    registry: Registry, kinds: Sequence[str], jaar: int | None = None, key: str | None = None
) -> list[Claim]:
    """The claims recomputed by one of ``kinds`` (metric or distribution names) for ``jaar``."""
    out = []
    for c in registry.claims:
        r = c.recompute
        if kind(c) not in kinds:
            continue
        if jaar is not None and (r.get("args") or {}).get("jaar") != jaar:
            continue
        if key is not None and str(r.get("key")) != str(key):
            continue
        out.append(c)
    return out


def figure_unit(claim: Claim) -> str:
    """The unit of the figure a claim publishes: a threshold ("vrijwel alle") is a share."""
    return "procent" if "expect" in claim.recompute else claim.unit


def reconciliation_table(ctx: Context, claims: Sequence[Claim]) -> str:
    """Published against recomputed values, with status, as a MyST list-table."""
    rows = ctx.reconciliation.set_index("claim_id")
    lines = []
    for c in claims:
        unit = figure_unit(c)
        if c.id not in rows.index:
            # A chapter without the register: the recomputation is in the appendix.
            lines.append(
                {
                    "Gepubliceerd": _shown(published_figure(c), unit),
                    "Citaat": f"“{c.quote}” ({ctx.documents[c.document].title})",
                    "Herberekend": "–",
                    "Status": "zie Verantwoording per getal",
                    "Toelichting": "herberekend uit het register in de verantwoording per getal",
                }
            )
            continue
        row = rows.loc[c.id]
        lines.append(
            {
                "Gepubliceerd": _shown(row["published"], unit),
                "Citaat": f"“{c.quote}” ({ctx.documents[c.document].title})",
                "Herberekend": _shown(row["recomputed"], unit, recomputed=True),
                "Status": STATUS_MARK[row["status"]],
                "Toelichting": row["explanation"] or "",
            }
        )
    return list_table(pd.DataFrame(lines), widths=[12, 40, 12, 14, 22]).data


def provenance_block(
    ctx: Context,
    chapter: Chapter,
    *,
    computed_by: Sequence[Callable],
    claims: Sequence[Claim] = (),
    table: str | None = None,
) -> Markdown:
    """What a figure or table reproduces and how: claims with quotes, code, data, parameters.

    Parameters
    ----------
    ctx : Context
        The chapter's context (reconciliation of every claim).
    chapter : evalkit.publish.provenance.Chapter
        Notebook, parameters and register hash of the chapter.
    computed_by : sequence of callables
        The ``evalkit`` functions that computed the figure.
    claims : sequence of Claim
        The published figures it reproduces (none for a figure without a published counterpart).
    table : str, optional
        Name of the published table behind the figure (CSV download).

    """
    parts = ["**Herkomst en controle**", "", "::::{toggle}"]
    if claims:
        parts += [
            "Gepubliceerd en herberekend:",
            "",
            reconciliation_table(ctx, claims),
        ]
    else:
        parts += ["Geen gepubliceerd cijfer om mee te vergelijken.", ""]
    parts += [chapter.note(computed_by, table), "::::", ""]
    if not claims:
        # Nothing published to check: the block carries only the code and the data, which the
        # print edition leaves to the appendices (class EMPTY_PROVENANCE).
        parts = [f":::::{{container}} {EMPTY_PROVENANCE}", *parts, ":::::", ""]
    return Markdown("\n".join(parts))


#: The class of a provenance block without published figures (the PDF leaves it out).
EMPTY_PROVENANCE = "evalkit-provenance-empty"


def _shown(value, unit: str, recomputed: bool = False) -> str:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, str):
        return value
    if unit == "procent":
        return format_pct(float(value), 1 if recomputed and not float(value).is_integer() else 0)
    if unit == "euro":
        return "€\u00a0" + format_number(float(value))
    if unit == "jaar" and float(value).is_integer() and 1900 <= float(value) <= 2100:
        return str(int(value))  # a calendar year, not 2.023
    # A recomputed mean with three decimals, as its explanation gives it: "7,749" (two would
    # read "7,75" next to "afgerond: 7,7").
    decimals = 0 if float(value).is_integer() else (3 if recomputed else 1)
    return format_number(float(value), decimals)


def distribution_frame(
    counts: pd.Series,
    labels: dict[str, str] | None,
    method: str,
    label_column: str,
    policy: Policy = NONE,
) -> pd.DataFrame:
    """Counts with percentages (rounded by the report's method) and their labels.

    The disclosure ``policy`` is applied first: under an active policy the counts are the
    protected ones and the percentages are computed from them.

    Returns
    -------
    pandas.DataFrame
        Columns ``label_column``, ``gezinnen`` (nullable integer; missing when hidden),
        ``procent`` and ``procent_tekst``.

    """
    protected = policy.distribution(list(counts.astype(int).to_numpy()), method)
    frame = pd.DataFrame(
        {
            label_column: [labels.get(str(k), str(k)) if labels else str(k) for k in counts.index],
            "gezinnen": protected["gezinnen"].array,
            "procent": protected["procent"].to_numpy(),
        }
    )
    frame["procent_tekst"] = [
        pct_text(p, h) for p, h in zip(frame["procent"], protected["verborgen"], strict=True)
    ]
    return frame


def display_table(frame: pd.DataFrame, columns: dict[str, str]) -> Markdown:
    """A frame as a Dutch Markdown table (numbers formatted), with renamed columns."""
    shown = frame[list(columns)].copy()
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: format_number(v, 1))
    return markdown_table(shown.rename(columns=columns))


def top_phrase(frame: pd.DataFrame, label: str, value: str = "gezinnen") -> str:
    """Name the largest group(s): ``Beijum`` or ``Hoogkerk en Selwerd`` when they tie."""
    shown = frame[value].astype("Float64")
    top = frame[(shown == shown.max()).fillna(False).astype(bool)][label].tolist()
    if not top:
        return "–"
    return top[0] if len(top) == 1 else ", ".join(top[:-1]) + " en " + top[-1]


def distribution_chart(
    frame: pd.DataFrame,
    label: str,
    *,
    title: str,
    subtitle: str,
    what: str,
    status: str | None = None,
    sort: list[str] | None = None,
) -> tuple[alt.LayerChart, str]:
    """A bar chart of a distribution with its alt text (the text states every value).

    ``sort`` is the bar order (default: as in ``frame``); the alt text follows it.
    """
    if sort is not None:
        position = {k: i for i, k in enumerate(sort)}
        frame = frame.sort_values(label, key=lambda s: s.map(position), kind="stable")
    parts = [
        f"{r[label]}: {count_text(r['gezinnen'])} ({r['procent_tekst']})"
        for _, r in frame.iterrows()
    ]
    alt_text = f"Staafdiagram van {what}. " + "; ".join(parts) + "."
    if status is not None:
        open_bars = [r[label] for _, r in frame.iterrows() if r[status] == charts.NOT_FIXED]
        if open_bars:
            alt_text += (
                " Open getekend (niet vast volgens de publicaties, een keuze van het synthetische "
                "register): " + ", ".join(open_bars) + "."
            )
    frame = frame.assign(
        etiket=[
            f"{count_text(g)} ({p})"
            for g, p in zip(frame["gezinnen"], frame["procent_tekst"], strict=True)
        ]
    )
    chart = charts.bar_chart(
        frame,
        label,
        "gezinnen",
        title=title,
        subtitle=subtitle,
        description=alt_text,
        category_title="",
        value_title="Gezinnen",
        label="etiket",
        status=status,
        sort=sort,
    )
    return chart, alt_text


def labels(reference_frame: pd.DataFrame) -> dict[str, str]:
    """Code → label of a vocabulary table."""
    return dict(zip(reference_frame["code"], reference_frame["label"], strict=True))


def flow_frame(register: Register, policy: Policy = NONE) -> pd.DataFrame:
    """Per year: active, started (per half), closed, carried over, means, wijken.

    Counts pass through the disclosure ``policy`` (missing when hidden); a mean is left out
    when the number of families it is taken over may not be shown.
    """
    rows = []
    for jaar in register.years:
        active = metrics.count_active(register, jaar)
        closed = metrics.count_closed(register, jaar)
        rows.append(
            {
                "jaar": jaar,
                "actief": policy.count(active),
                "doorgelopen": policy.count(metrics.count_carried_over(register, jaar)),
                "gestart": policy.count(metrics.count_started(register, jaar)),
                "gestart_h1": policy.count(metrics.count_started(register, jaar, 1)),
                "gestart_h2": policy.count(metrics.count_started(register, jaar, 2)),
                "afgesloten": policy.count(closed),
                "looptijd_maanden": policy.mean(
                    metrics.mean_duration_closed(register, jaar), closed
                ),
                "uren_per_week": policy.mean(metrics.mean_hours(register, jaar), active),
                "caseload": policy.mean(metrics.mean_caseload(register, jaar), active),
                "wijken": metrics.count_wijken(register, jaar),
            }
        )
    frame = pd.DataFrame(rows)
    for col in ("actief", "doorgelopen", "gestart", "gestart_h1", "gestart_h2", "afgesloten"):
        frame[col] = frame[col].astype("Int64")
    for col in ("looptijd_maanden", "uren_per_week", "caseload"):
        frame[col] = frame[col].astype("Float64")
    return frame


def year_change_frame(
    counts: dict[int, pd.Series],
    labels_map: dict[str, str],
    method_of: dict[int, str],
    policy: Policy = NONE,
    absent_is_zero: bool = False,
) -> pd.DataFrame:
    """Long table of a distribution in several years (for the comparison chapter).

    Every category of any year gets a row in every year. A category missing from a year's
    counts either had no families that year (``absent_is_zero``: every year classifies the
    same way, as the wijken, hoofdvraag, gezinssamenstelling and number of children do): 0
    families, 0 %; or it is no category of that year's classification (another age scheme):
    no count, no percentage, ``n.v.t.``.
    """
    keys = list(dict.fromkeys(k for c in counts.values() for k in c.index))
    rows = []
    for jaar, series in counts.items():
        frame = distribution_frame(series, labels_map, method_of[jaar], "categorie", policy)
        frame.insert(0, "jaar", jaar)
        missing = [k for k in keys if k not in series.index]
        absent = pd.DataFrame(
            {
                "jaar": jaar,
                "categorie": [labels_map.get(str(k), str(k)) for k in missing],
                "gezinnen": pd.array(
                    [0 if absent_is_zero else pd.NA] * len(missing), dtype=frame["gezinnen"].dtype
                ),
                "procent": 0.0 if absent_is_zero else float("nan"),
                "procent_tekst": format_pct(0) if absent_is_zero else charts.NOT_APPLICABLE,
            }
        )
        rows.append(pd.concat([frame, absent], ignore_index=True) if missing else frame)
    return pd.concat(rows, ignore_index=True)


def comparison_chart(
    frame: pd.DataFrame, *, title: str, subtitle: str, what: str, status: str | None = None
) -> tuple[alt.Chart, str]:
    """Grouped bars per category with one bar per year; years told by position and label."""
    parts = []
    for cat, sub in frame.groupby("categorie", sort=False):
        parts.append(
            f"{cat}: "
            + ", ".join(f"{int(r['jaar'])} {r['procent_tekst']}" for _, r in sub.iterrows())
        )
    alt_text = f"Staafdiagram van {what} per jaar. " + "; ".join(parts) + "."
    if status is not None and (frame[status] == charts.NOT_FIXED).any():
        alt_text += " Vaag getekend: staven die de publicaties niet vastleggen."
    chart = charts.grouped_bar_chart(
        frame,
        "categorie",
        "procent",
        "jaar",
        title=title,
        subtitle=subtitle,
        description=alt_text,
        status=status,
        label="procent_tekst",
    )
    return chart, alt_text


@dataclass(frozen=True)
class Section:
    """One figure of a year chapter: data, chart, alt text, table and the claims it checks."""

    frame: pd.DataFrame
    chart: alt.TopLevelMixin
    alt_text: str
    claims: list[Claim]
    top: str
    top_count: int | None
    total: int | None
    table: Markdown
    computed_by: tuple[Callable, ...]
    evidence: dict = field(default_factory=dict)

    @property
    def top_evidence(self) -> Evidence | None:
        """Evidence for the count of the largest group (the first one when groups tie)."""
        shown = self.frame["gezinnen"].astype("Float64")
        top = self.frame[(shown == shown.max()).fillna(False).astype(bool)]["categorie"]
        return self.evidence.get((top.iloc[0], "gezinnen")) if len(top) else None


#: The distribution figures of a year chapter, by name.
SECTIONS = {
    # name: (what, label column title, chart heading template, claim kinds)
    "wijken": (
        "gezinnen per wijk van aanmelding",
        "Wijk",
        "De meeste gezinnen kwamen uit {top}",
        ("wijk_counts", "count_wijk", "count_wijken"),
    ),
    "hoofdvraag": (
        "de hoofdvraag van de gezinnen",
        "Hoofdvraag",
        "Meest gestelde hoofdvraag: {top}",
        ("hoofdvraag_counts",),
    ),
    "gezinssamenstelling": (
        "de gezinssamenstelling",
        "Gezinssamenstelling",
        "Meest voorkomend: {top}",
        ("gezinssamenstelling_counts",),
    ),
    "kinderen": (
        "het aantal kinderen per gezin",
        "Kinderen in het gezin",
        "De meeste gezinnen hadden {top}",
        ("family_size_counts",),
    ),
    "leeftijd": (
        "de leeftijd van de kinderen",
        "Leeftijd van de kinderen",
        "Meest voorkomend: {top}",
        (
            "family_age_category_oldest",
            "age_group_counts",
            "count_children_in_category",
            "count_multiple_age_categories",
            "share_all_children_below",
        ),
    ),
}


#: Distributions whose categories have an order of their own (age, number of children). Their
#: bars keep the reference order; the others are drawn largest first.
ORDERED_SECTIONS = frozenset({"kinderen", "leeftijd"})


def rounding_method(ctx: Context, jaar: int, name: str) -> str:
    """How the percentages of one distribution are rounded in a year chapter.

    The report's own method (``afronding`` in ``rapportage.yaml``) when the report published
    this distribution as percentages, so that the recomputed ones compare; otherwise every
    percentage is rounded on its own (``half_omhoog``). Largest remainder makes a list add up
    to 100 by giving equal counts different percentages (two wijken with 2 families each as
    9 % and 10 %), which only a published list of percentages justifies.
    """
    published = [
        c
        for c in claims_about(ctx.registry, SECTIONS[name][3], jaar)
        if c.recompute.get("distribution") and c.recompute.get("as") == "percent"
    ]
    return ctx.reference.report_definition(jaar)["afronding"] if published else "half_omhoog"


def _counts(ctx: Context, jaar: int, name: str) -> tuple[pd.Series, dict[str, str], Callable]:
    """Counts of one distribution, labels of its categories, and the metric that counted."""
    r, ref = ctx.register, ctx.reference
    if name == "wijken":
        return metrics.wijk_counts(r, jaar), {}, metrics.wijk_counts
    if name == "hoofdvraag":
        counts = metrics.hoofdvraag_counts(r, jaar, ref)
        return counts[counts > 0], labels(ref.hoofdvraag), metrics.hoofdvraag_counts
    if name == "gezinssamenstelling":
        counts = metrics.gezinssamenstelling_counts(r, jaar, ref)
        return (
            counts[counts > 0],
            labels(ref.gezinssamenstelling),
            metrics.gezinssamenstelling_counts,
        )
    if name == "kinderen":
        counts = metrics.family_size_counts(r, jaar)
        names = {str(n): ("1 kind" if n == 1 else f"{n} kinderen") for n in counts.index}
        return counts, names, metrics.family_size_counts
    spec = ref.report_definition(jaar)
    if spec["gezin_leeftijd"] == "oudste_kind":
        counts = metrics.family_age_category_oldest(r, jaar, ref)
        names = {c: f"oudste kind {c} jaar" for c in counts.index}
        return counts, names, metrics.family_age_category_oldest
    counts = metrics.age_group_counts(r, jaar, ref)
    counts = counts[counts > 0]
    names = {
        k: k.replace("alleen ", "alleen kinderen van ").replace(
            "meerdere", "kinderen uit meerdere categorieën,"
        )
        for k in counts.index
    }
    return counts, names, metrics.age_group_counts


def distribution_section(ctx: Context, jaar: int, name: str) -> Section:
    """Build one distribution figure of a year chapter (see :data:`SECTIONS`)."""
    what, label_title, heading, kinds = SECTIONS[name]
    counts, names, metric = _counts(ctx, jaar, name)
    method = rounding_method(ctx, jaar, name)
    frame = distribution_frame(counts, names, method, "categorie", ctx.policy)
    total = ctx.policy.total(counts)
    top = top_phrase(frame, "categorie")
    shown = frame["gezinnen"].dropna()
    top_count = int(shown.max()) if len(shown) else None
    evidence = distribution_evidence(ctx, jaar, metric.__name__, counts.index, frame)
    if name not in ORDERED_SECTIONS:
        # The table lists the categories in the chart's order: largest first.
        order = {c: i for i, c in enumerate(charts.size_order(frame, "categorie", "gezinnen"))}
        frame = frame.sort_values("categorie", key=lambda s: s.map(order), kind="stable")
        frame = frame.reset_index(drop=True)
    status = chart_status(evidence, frame)
    chart, alt_text = distribution_chart(
        frame.assign(volgens_publicaties=status) if status else frame,
        "categorie",
        title=heading.format(top=top),
        subtitle=f"{what.capitalize()}, {jaar} ({total}\u00a0gezinnen)",
        what=what,
        status="volgens_publicaties" if status else None,
        sort=None
        if name in ORDERED_SECTIONS
        else charts.size_order(frame, "categorie", "gezinnen"),
    )
    columns = {"categorie": label_title, "gezinnen": "Gezinnen", "procent_tekst": "Procent"}
    table = display_table(with_range(frame, evidence), columns | RANGE_COLUMNS)
    claims = claims_about(ctx.registry, kinds, jaar)
    return Section(
        frame,
        chart,
        alt_text,
        claims,
        top,
        top_count,
        total,
        table,
        (distribution_section, metric, percentages),
        evidence,
    )


#: The column that shows what the publications establish about a table's counts.
RANGE_COLUMNS = {"bereik": "Bereik volgens de publicaties"}


def distribution_evidence(
    ctx: Context, jaar: int, distribution: str, keys: Sequence, frame: pd.DataFrame
) -> dict[tuple[str, str], Evidence]:
    """Evidence for each count and percentage of a distribution table (row, column)."""
    if ctx.ledger is None:
        return {}
    out = {}
    for key, row in zip(keys, frame["categorie"], strict=True):
        out[(row, "gezinnen")] = ctx.ledger.element(distribution, jaar, key)
        out[(row, "procent")] = ctx.ledger.element(distribution, jaar, key, percent=True)
    return out


def with_range(
    frame: pd.DataFrame, evidence: dict, label: str = "categorie", column: str = "gezinnen"
) -> pd.DataFrame:
    """The frame with a ``bereik`` column: marker and range of ``column`` per row."""
    if not evidence:
        return frame.assign(bereik="")
    return frame.assign(
        bereik=[
            range_cell(evidence[(r, column)]) if (r, column) in evidence else ""
            for r in frame[label]
        ]
    )


def chart_status(evidence: dict, frame: pd.DataFrame, label: str = "categorie") -> list[str]:
    """Per bar: fixed by the publications or the register's choice (empty: real register)."""
    statuses = [evidence.get((r, "gezinnen")) for r in frame[label]]
    if not statuses or any(e is None or e.status == "gemeten" for e in statuses):
        return []
    fixed = ("gepubliceerd", "vastgelegd")
    return [charts.FIXED if e.status in fixed else charts.NOT_FIXED for e in statuses]


def status_table(table: pd.DataFrame) -> Markdown:
    """Number of claims and checks per status."""
    counts = status_counts(table)
    frame = pd.DataFrame(
        {"Status": [STATUS_MARK[s] for s in counts.index], "Aantal": counts.to_numpy()}
    )
    return markdown_table(frame[frame["Aantal"] > 0])


FLOW_COLUMNS = {
    "jaar": "Jaar",
    "actief": "Actief",
    "doorgelopen": "Doorgelopen",
    "gestart": "Gestart",
    "afgesloten": "Afgesloten",
    "looptijd_maanden": "Looptijd afgesloten (mnd)",
    "uren_per_week": "Uren per week",
    "caseload": "Gem. caseload",
    "wijken": "Wijken",
}


#: The register quantity behind each column of :func:`flow_frame`.
FLOW_QUANTITIES = {
    "actief": ("count_active", {}),
    "doorgelopen": ("count_carried_over", {}),
    "gestart": ("count_started", {}),
    "gestart_h1": ("count_started", {"half": 1}),
    "gestart_h2": ("count_started", {"half": 2}),
    "afgesloten": ("count_closed", {}),
    "looptijd_maanden": ("mean_duration_closed", {}),
    "uren_per_week": ("mean_hours", {}),
    "caseload": ("mean_caseload", {}),
    "wijken": ("count_wijken", {}),
}


#: Decimals with which the book shows the means of :func:`flow_frame` (counts: none).
FLOW_DECIMALS = {"looptijd_maanden": 1, "uren_per_week": 1, "caseload": 1}


def flow_evidence(ctx: Context, flow: pd.DataFrame) -> dict[tuple[str, str], Evidence]:
    """Evidence for every cell of :func:`flow_frame` (row: the year), as it is shown.

    A mean shown with more decimals than it was published with is bounded, not published
    (``Evidence.shown_at`` of ``evalkit.publish.evidence``).
    """
    if ctx.ledger is None:
        return {}
    out = {}
    for jaar in flow["jaar"]:
        for col, (name, extra) in FLOW_QUANTITIES.items():
            ev = ctx.ledger.metric(name, jaar=int(jaar), **extra)
            out[(str(jaar), col)] = ev.shown_at(FLOW_DECIMALS.get(col, 0))
    return out


def trajecten_evidence(ctx: Context, jaren: Sequence[int]) -> Evidence:
    """Evidence for the number of trajecten in the register.

    They are the trajecten carried into the first year plus those started in each year; the
    range is exact when at most one of these varies.
    """
    ledger = ctx.ledger or Ledger(None, ctx.registry)
    first = min(jaren)
    parts = [ledger.metric("count_carried_over", jaar=first)]
    parts += [ledger.metric("count_started", jaar=j) for j in sorted(jaren)]
    return ledger.total(parts)


def flow_table(flow: pd.DataFrame, policy: Policy = NONE, evidence: dict | None = None) -> Markdown:
    """The per-year overview as a Dutch table.

    A missing value is shown as ``x`` under an active disclosure policy (hidden) and as ``–``
    otherwise (a mean over no families). With ``evidence`` (:func:`flow_evidence`) each value
    carries its status marker, and a second table gives the range the publications allow.
    """
    missing = HIDDEN if policy.active else "–"
    evidence = evidence or {}
    shown = flow[list(FLOW_COLUMNS)].astype(object)
    shown["jaar"] = shown["jaar"].astype(str)
    ranges = shown.copy()
    for col in FLOW_COLUMNS:
        if col == "jaar":
            continue
        decimals = FLOW_DECIMALS.get(col, 0)
        marks = [evidence[(j, col)].mark if (j, col) in evidence else "" for j in shown["jaar"]]
        shown[col] = [
            missing if pd.isna(v) else f"{format_number(v, decimals)}\u202f{m}".strip()
            for v, m in zip(shown[col], marks, strict=True)
        ]
        ranges[col] = [
            range_cell(evidence[(j, col)], decimals, compact=True) if (j, col) in evidence else "–"
            for j in ranges["jaar"]
        ]
    table = markdown_table(shown.rename(columns=FLOW_COLUMNS), align=["l"] + ["r"] * 8)
    if not evidence or all(e.status == "gemeten" for e in evidence.values()):
        return table
    second = markdown_table(ranges.rename(columns=FLOW_COLUMNS), align=["l"] + ["r"] * 8)
    return Markdown(
        table.data + "\n\n**Bereik volgens de publicaties** (over alle registers die met de "
        "gepubliceerde getallen kloppen):\n\n" + second.data
    )


@dataclass(frozen=True)
class Comparison:
    """A distribution compared over the years."""

    frame: pd.DataFrame
    chart: alt.TopLevelMixin
    alt_text: str
    table: Markdown
    computed_by: tuple[Callable, ...]
    evidence: dict = field(default_factory=dict)


def comparison_section(ctx: Context, jaren: Sequence[int], name: str, what: str) -> Comparison:
    """The same distribution in every year, as grouped bars and a wide table."""
    counts, names, methods, used = {}, {}, {}, {comparison_section: None}
    dists = {}
    for jaar in jaren:
        c, n, metric = _counts(ctx, jaar, name)
        counts[jaar], methods[jaar] = c, rounding_method(ctx, jaar, name)
        names.update(n)
        used[metric] = None
        dists[jaar] = metric.__name__
    keys = list(dict.fromkeys(k for c in counts.values() for k in c.index))
    # Only the age categories differ between the years' reports (their schemes).
    frame = year_change_frame(counts, names, methods, ctx.policy, absent_is_zero=name != "leeftijd")
    if name not in ORDERED_SECTIONS:
        # Largest first, by the families over all years (the order is the same in every year).
        totals = frame.groupby("categorie", sort=False)["gezinnen"].sum(min_count=1)
        order = charts.size_order(totals.reset_index(), "categorie", "gezinnen")
        position = {k: i for i, k in enumerate(order)}
        frame = frame.sort_values(
            ["categorie", "jaar"], key=lambda s: s.map(position) if s.name == "categorie" else s
        ).reset_index(drop=True)
    evidence = {}
    if ctx.ledger is not None:
        for jaar in jaren:
            for k in keys:
                row = f"{jaar} {names.get(str(k), str(k))}"
                for col, pct in (("gezinnen", False), ("procent", True)):
                    evidence[(row, col)] = ctx.ledger.element(dists[jaar], jaar, k, percent=pct)
    rows = [f"{j} {c}" for j, c in zip(frame["jaar"], frame["categorie"], strict=True)]
    fixed = [evidence.get((r, "procent")) for r in rows]
    status = None
    if fixed and all(e is not None and e.status != "gemeten" for e in fixed):
        sure = ("gepubliceerd", "vastgelegd")
        frame = frame.assign(
            volgens_publicaties=[
                charts.FIXED if e.status in sure else charts.NOT_FIXED for e in fixed
            ]
        )
        status = "volgens_publicaties"
    chart, alt_text = comparison_chart(
        frame,
        title=f"{what.capitalize()} per jaar",
        what=what,
        subtitle="Procent van de gezinnen per jaar",
        status=status,
    )
    # Each percentage with the mark of what the publications establish about it.
    shown = frame.assign(
        procent_tekst=[
            f"{t} {e.mark}".strip() if (e := evidence.get((r, "procent"))) is not None else t
            for t, r in zip(frame["procent_tekst"], rows, strict=True)
        ]
    )
    wide = shown.pivot_table(
        index="categorie", columns="jaar", values="procent_tekst", aggfunc="first", sort=False
    )
    wide.columns = [str(c) for c in wide.columns]
    table = markdown_table(wide.reset_index().rename(columns={"categorie": "Categorie"}))
    return Comparison(frame, chart, alt_text, table, (*used, percentages), evidence)


def conflicts_markdown(
    ctx: Context, audit=None, jaren: Sequence[int] = (), budget: float | None = None
) -> Markdown:
    """Each conflict: a title, its claims with quotes, the arithmetic, what the register gives up.

    With the full ``audit`` (``evalkit.publish.consistency.load``) also the readings it
    rests on, the ways out and what follows for the per-gezin budget (``budget`` over the
    trajecten of ``jaren``).
    """
    from evalkit.publish import consistency
    from evalkit.solver.model import ASSUMPTIONS

    claims = ctx.registry.by_id()
    assumptions = {a.id: a for a in ASSUMPTIONS}
    parts = []
    for c in ctx.conflicts:
        title = consistency.conflict_title(c, claims)
        lines = [f"### Tegenspraak {c.id}: {title}", "", c.explanation, "", "De getallen:", ""]
        for cid in c.claims:
            if cid in claims:
                cl = claims[cid]
                lines.append(f"- “{cl.quote}” ({ctx.documents[cl.document].title}; `{cid}`)")
            else:
                lines.append(f"- Interpretatie: {assumptions[cid].about} (`{cid}`)")
        lines += ["", _register_verdict(ctx, c, claims), ""]
        if audit is not None:
            lines.append(consistency.details_markdown(c, audit, claims, ctx.ledger, jaren, budget))
        parts.append("\n".join(lines))
    if not parts:
        return Markdown("Er zijn geen tegenspraken gevonden.")
    return Markdown("\n".join(parts))


def _register_verdict(ctx: Context, conflict: Conflict, claims: dict[str, Claim]) -> str:
    """What the register does with one conflict: gives one number up, or supports some."""
    if ctx.manifest.synthetic:
        if conflict.relaxed not in claims:  # an interpretation, not a published figure
            return (
                "Het synthetische register laat deze interpretatie vallen "
                f"(`{conflict.relaxed}`); alle gepubliceerde getallen hier maakt het waar."
            )
        return (
            "Het synthetische register maakt dit getal niet waar: "
            f"“{claims[conflict.relaxed].quote}” (`{conflict.relaxed}`)."
        )
    status = ctx.reconciliation.set_index("claim_id")["status"]
    members = [cid for cid in conflict.claims if cid in claims and cid in status.index]
    supported = [cid for cid in members if status[cid] in ("exact", "rounding")]
    differs = [cid for cid in members if status[cid] == "discrepancy"]

    def listed(ids: list[str]) -> str:
        return "; ".join(f"“{claims[i].quote}” (`{i}`)" for i in ids)

    parts = []
    if supported:
        parts.append(f"Het register ondersteunt: {listed(supported)}.")
    if differs:
        parts.append(f"Het register wijkt af van: {listed(differs)}.")
    return " ".join(parts) or "Het register zegt niets over deze getallen."


def assumptions_markdown(ctx: Context, more: Sequence[str] = ()) -> Markdown:
    """The interpretations the audit tests, and whether they survive; ``more`` further items."""
    from evalkit.solver.model import ASSUMPTIONS

    relaxed = {c.relaxed for c in ctx.conflicts}
    lines = []
    for a in ASSUMPTIONS:
        verdict = (
            "kan niet samen met de gepubliceerde cijfers"
            if a.id in relaxed
            else "past bij de gepubliceerde cijfers"
        )
        lines.append(f"- **`{a.id}`**: {a.about} Oordeel: {verdict}.")
    lines += [f"- {m}" for m in more if m]
    return Markdown("\n".join(lines))


def reconciliation_by_document(
    ctx: Context, evidence: Mapping[tuple[str, str], Evidence] | None = None
) -> Markdown:
    """The reconciliation table, one section per document.

    ``evidence`` (of ``evalkit.publish.evidence.reconciliation_evidence``) puts each
    recomputed value's marker after it: what the letters establish about the register's
    value (nothing for a measured one).
    """
    parts = []
    table = ctx.reconciliation
    units = {c.id: figure_unit(c) for c in ctx.registry.claims}
    evidence = evidence or {}

    def marked(cid: str, text: str) -> str:
        ev = evidence.get((cid, "recomputed"))
        return f"{text}\u202f{ev.mark}" if ev is not None and ev.mark and text != "–" else text

    for doc in ctx.documents.values():
        rows = table[table["document"] == doc.id]
        frame = pd.DataFrame(
            {
                "Code": [f"`{i}`" for i in rows["claim_id"]],
                "Citaat of rekensom": rows["quote"].to_numpy(),
                "Gepubliceerd": [
                    _shown(v, units.get(i, ""))
                    for i, v in zip(rows["claim_id"], rows["published"], strict=True)
                ],
                "Herberekend": [
                    marked(i, _shown(v, units.get(i, ""), recomputed=True))
                    if not isinstance(v, bool)
                    else ("waar" if v else "onwaar")
                    for i, v in zip(rows["claim_id"], rows["recomputed"], strict=True)
                ],
                "Status": [STATUS_MARK[s] for s in rows["status"]],
                "Toelichting": rows["explanation"].to_numpy(),
            }
        )
        parts.append(f"## {doc.title}\n\n{list_table(frame, [12, 30, 12, 12, 12, 22]).data}\n")
    return Markdown("\n".join(parts))


def sources_markdown(ctx: Context) -> Markdown:
    """Per document: its metadata, its claims and its exclusions."""
    from evalkit.compute.claims import describe_recompute

    kinds = {"collegebrief": "Collegebrief aan de gemeenteraad", "WIJ-rapportage": "Rapportage"}
    parts = []
    for doc in ctx.documents.values():
        date = doc.date.strftime("%d-%m-%Y")
        meta = [
            f"## {doc.title}",
            "",
            f"- Soort: {kinds.get(doc.kind, doc.kind)}; afzender: {doc.sender}",
            f"- Datum: {date}" + (" (aangenomen)" if doc.date_assumed else ""),
            f"- Kenmerk: {doc.kenmerk or 'geen'}; bestand: `data/sources/{doc.file}`",
        ]
        if doc.date_note:
            meta.append(f"- Over de datum: {doc.date_note}")
        claims = [c for c in ctx.registry.claims if c.document == doc.id]
        frame = pd.DataFrame(
            {
                "Code": [f"`{c.id}`" for c in claims],
                "Citaat": [f"“{c.quote}”" for c in claims],
                "Waarde": [_shown(c.value, c.unit) for c in claims],
                "Eenheid": [c.unit for c in claims],
                "Periode": [c.period for c in claims],
                "Over": [c.about for c in claims],
                "Herberekening": [describe_recompute(c.recompute) for c in claims],
            }
        )
        excl = [e for e in ctx.registry.exclusions if e.document == doc.id]
        excl_lines = [f"- “{e.quote}”: {e.reason}" for e in excl] or ["- geen"]
        parts.append(
            "\n".join(meta)
            + "\n\n"
            + list_table(frame, [12, 26, 9, 9, 8, 18, 18]).data
            + "\n\nGeen gepubliceerd getal (met reden):\n\n"
            + "\n".join(excl_lines)
            + "\n"
        )
    return Markdown("\n".join(parts))


def month_name(date: dt.date) -> str:
    """``oktober 2021``: a month in Dutch (babel)."""
    from babel.dates import format_date

    return format_date(date, "MMMM y", locale="nl_NL")


def _marked(text: str, ev: Evidence | None) -> str:
    """A shown value followed by its evidence mark (none without evidence or mark)."""
    return f"{text}\u202f{ev.mark}" if ev is not None and ev.mark else text


def key_figures_table(kern: pd.DataFrame, evidence: dict | None = None) -> Markdown:
    """Published key figures with their quote (with ``evidence`` by label: each one's mark)."""
    evidence = evidence or {}
    frame = pd.DataFrame(
        {
            "Kerncijfer": kern["label"],
            "Waarde": [
                _marked(_shown(v, u), evidence.get(label))
                for v, u, label in zip(kern["waarde"], kern["eenheid"], kern["label"], strict=True)
            ],
            "Citaat": [f"“{q}”" for q in kern["citaat"]],
        }
    )
    return markdown_table(frame, align=list("lrl"))


def derived_table(afgeleid: pd.DataFrame, evidence: dict | None = None) -> Markdown:
    """Derived figures with their formula (claim ids) and value.

    With ``evidence`` (id -> :class:`evalkit.publish.evidence.Evidence`) a column says what
    the publications establish about each figure.
    """

    def shown(v: float, unit: str, decimals: int) -> str:
        if unit == "euro":
            return "€\u00a0" + format_number(v, decimals)
        if unit == "procent":
            return format_pct(v, decimals)
        return format_number(v, decimals)

    frame = pd.DataFrame(
        {
            "Afgeleid cijfer": afgeleid["label"],
            "Waarde": [
                shown(v, u, int(d))
                for v, u, d in zip(
                    afgeleid["waarde"], afgeleid["eenheid"], afgeleid["decimalen"], strict=True
                )
            ],
            "Formule": [f"`{f}`" for f in afgeleid["formule"]],
        }
    )
    if evidence:
        frame["Volgens de publicaties"] = [
            f"{evidence[i].mark} {evidence[i].status}".strip() for i in afgeleid["id"]
        ]
        return markdown_table(frame, align=list("lrll"))
    return markdown_table(frame, align=list("lrl"))


def budget_table(per_year: pd.DataFrame, evidence: dict | None = None) -> Markdown:
    """Budget per year and the months it pays for (with ``evidence``: each value's marker)."""
    evidence = evidence or {}
    frame = pd.DataFrame(
        {
            "Jaar": per_year["jaar"].astype(str),
            "Begroot": [
                _marked("€\u00a0" + format_number(v), evidence.get((str(j), "bedrag")))
                for j, v in zip(per_year["jaar"], per_year["bedrag"], strict=True)
            ],
            "Maanden pilot (bij gelijkmatige besteding)": [
                _marked(
                    format_number(m, 0 if float(m).is_integer() else 1),
                    evidence.get((str(j), "maanden")),
                )
                for j, m in zip(per_year["jaar"], per_year["maanden"], strict=True)
            ],
        }
    )
    return markdown_table(frame, align=list("lrr"))


def timeline_frame(events: pd.DataFrame, phasing) -> pd.DataFrame:
    """The events plus the start and end the budget implies, with a readable row label."""
    derived = pd.DataFrame(
        [
            {
                "datum": pd.Timestamp(phasing.implied_start),
                "precisie": "maand",
                "spoor": "pilot",
                "soort": "gepland",
                "gebeurtenis": "Start pilot volgens de begroting (afgeleid)",
                "claim_id": "",
                "citaat": "",
            },
            {
                "datum": pd.Timestamp(phasing.implied_end),
                "precisie": "maand",
                "spoor": "pilot",
                "soort": "gepland",
                "gebeurtenis": "Einde pilot volgens de begroting (afgeleid)",
                "claim_id": "",
                "citaat": "",
            },
        ]
    )
    frame = (
        pd.concat([events, derived], ignore_index=True)
        .sort_values(["datum", "gebeurtenis"])
        .reset_index(drop=True)
    )
    frame["datum_tekst"] = [
        _date_text(d, p) for d, p in zip(frame["datum"], frame["precisie"], strict=True)
    ]
    frame["rij"] = [
        f"{t} · {g}" for t, g in zip(frame["datum_tekst"], frame["gebeurtenis"], strict=True)
    ]
    return frame


def timeline_evidence(
    frame: pd.DataFrame, phasing, ledger: Ledger
) -> dict[tuple[str, str], Evidence]:
    """Evidence for the date of each event of :func:`timeline_frame` (row: ``rij``).

    A date from a letter is published (its claim); the start and end the budget implies
    follow from the budget's figures (``phasing``, of
    :func:`evalkit.compute.context.budget_phasing`, read as an even spend per month).
    """
    out = {}
    for row, cid, text in frame[["rij", "claim_id", "datum_tekst"]].itertuples(index=False):
        if cid and cid in ledger.claims:
            out[(row, "datum")] = ledger.published(cid)
        else:
            out[(row, "datum")] = ledger.derived_date(
                text, phasing.claim_ids, "afgeleid uit de begroting: een vlakke besteding per maand"
            )
    return out


def _date_text(date: pd.Timestamp, precision: str) -> str:
    from babel.dates import format_date

    d = date.date()
    if precision == "jaar":
        return str(d.year)
    if precision == "kwartaal":
        return f"K{(d.month - 1) // 3 + 1} {d.year}"
    if precision == "maand":
        return format_date(d, "MMM y", locale="nl_NL")
    return format_date(d, "d MMM y", locale="nl_NL")


def timeline_section(frame: pd.DataFrame) -> tuple[alt.TopLevelMixin, str]:
    """The timeline chart and its alt text (which lists every event)."""
    alt_text = "Tijdlijn. " + "; ".join(frame["rij"]) + "."
    chart = charts.timeline_chart(
        frame,
        title="Van het voorstel tot het einde van de pilot",
        subtitle="Gebeurtenissen uit de vijf documenten, per spoor",
        description=alt_text,
    )
    return chart, alt_text


def timeline_table(frame: pd.DataFrame) -> Markdown:
    """Every event with date, track, kind and the quote it comes from."""
    shown = pd.DataFrame(
        {
            "Datum": frame["datum_tekst"],
            "Gebeurtenis": frame["gebeurtenis"],
            "Spoor": frame["spoor"],
            "Soort": frame["soort"],
            "Bron": [
                f"“{q}” (`{c}`)" if c else "afgeleid uit de begroting"
                for q, c in zip(frame["citaat"], frame["claim_id"], strict=True)
            ],
        }
    )
    return list_table(shown, widths=[12, 24, 10, 10, 44])
