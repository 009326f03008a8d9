"""Compute the annual report figures from the records, by SQL aggregation only.

Every figure has a drill-down key; drill(key, ...) returns the queryset behind it, and the figure is that
queryset's aggregate, so a number and its list can never disagree.

Definitions (report year Y, agency A with its sub-agencies):
  table 二  规章 / 行政规范性文件: 本年制发 = first published in Y; 本年废止 = validity changed to "repealed" in Y
            (audit records of the validity change); 现行有效 = published by 31 Dec, online then and valid then.
            行政许可 / 行政处罚 / 行政强制: items of that type first published in Y; 行政事业性收费: sum of
            fee_amount of admin_fee items first published in Y, in 万元.
  table 三  一 = received in Y; 二 = received before Y and not replied before 1 Jan; 三 = replied in Y, by outcome;
            四 = received by 31 Dec and not replied by 31 Dec. Columns by applicant type.
  table 四  cases filed in Y, by kind and by result as of 31 Dec (not closed by then = 尚未审结)."""
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone

from audit.models import AuditRecord
from disclosure.codes import ApplicantType, Outcome
from disclosure.models import AppealCase
from reports.models import AnnualReportText
from workflow.models import Information, InfoType, Validity

from .layouts import layout_for_year

TABLE2_DOCS = (InfoType.REGULATION, InfoType.NORMATIVE_DOCUMENT)
TABLE2_DECISIONS = (InfoType.ADMIN_LICENSING, InfoType.ADMIN_PENALTY, InfoType.ADMIN_COERCION)
APPLICANT_TYPES = [t.value for t in ApplicantType]
OUTCOMES = [o.value for o in Outcome]
APPEAL_KINDS = [k.value for k in AppealCase.Kind]
APPEAL_RESULTS = ["maintained", "corrected", "other", "pending"]
#: Audit actions of validity changes (publishing.actions: mark_amended / mark_expired / mark_repealed):
#: "publishing.validity.amend|expire|repeal", with data {"from_validity": ..., "to_validity": ...}.
VALIDITY_ACTION_PREFIX = "publishing.validity."
REPEAL_ACTION = "publishing.validity.repeal"


def application_model():
    """disclosure.Application, or None while the requests module does not provide it."""
    try:
        return apps.get_model("disclosure", "Application")
    except LookupError:
        return None


@dataclass
class Period:
    year: int

    @property
    def first_day(self):
        return date(self.year, 1, 1)

    @property
    def last_day(self):
        return date(self.year, 12, 31)

    @property
    def start(self):
        return datetime.combine(self.first_day, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end(self):
        """Exclusive: the first instant of the next year."""
        return datetime.combine(date(self.year + 1, 1, 1), time.min, tzinfo=timezone.get_current_timezone())


@dataclass
class Check:
    key: str
    label: str
    ok: bool
    details: list = field(default_factory=list)   # human-readable mismatches
    anomaly_keys: list = field(default_factory=list)  # drill-down keys listing the applications behind them


# --- querysets behind the figures -------------------------------------------------------------

def _items(ids):
    return Information.objects.filter(agency_id__in=ids)


def _validity_records(item_ref):
    return AuditRecord.objects.filter(item=item_ref, action__startswith=VALIDITY_ACTION_PREFIX).annotate(
        from_validity=KeyTextTransform("from_validity", "data"), to_validity=KeyTextTransform("to_validity", "data"))


def table2_queryset(ids, period: Period, info_type: str, measure: str = "new"):
    items = _items(ids).filter(info_type=info_type)
    if measure == "new":
        return items.filter(first_published_at__gte=period.start, first_published_at__lt=period.end)
    if measure == "repealed":
        repealed = AuditRecord.objects.filter(
            item=OuterRef("pk"), action=REPEAL_ACTION, created_at__gte=period.start, created_at__lt=period.end)
        return items.filter(Exists(repealed))
    if measure == "valid":
        # Validity as of year end: the latest change up to then, else what it was before the first later
        # change, else the current value.
        before = _validity_records(OuterRef("pk")).filter(created_at__lt=period.end).order_by("-seq")
        after = _validity_records(OuterRef("pk")).filter(created_at__gte=period.end).order_by("seq")
        return items.annotate(
            validity_at_end=Coalesce(Subquery(before.values("to_validity")[:1]),
                                     Subquery(after.values("from_validity")[:1]), F("validity"),
                                     output_field=CharField()),
        ).filter(
            Q(online=True) | Q(offline_at__gte=period.end),
            first_published_at__lt=period.end, validity_at_end=Validity.VALID,
        )
    raise KeyError(measure)


def applications_in_scope(ids):
    model = application_model()
    if model is None:
        return None
    return model.objects.filter(agency_id__in=ids)


def table3_queryset(ids, period: Period, row: str):
    """Applications behind a table 三 row: new, carried_in, results, outcome.<code>, carried_out, or an anomaly."""
    qs = applications_in_scope(ids)
    if qs is None:
        return None
    y0, y1 = period.first_day, period.last_day
    replied_in_year = Q(replied_date__gte=y0, replied_date__lte=y1)
    if row == "new":
        return qs.filter(received_date__gte=y0, received_date__lte=y1)
    if row == "carried_in":
        return qs.filter(received_date__lt=y0).filter(Q(replied_date__isnull=True) | Q(replied_date__gte=y0))
    if row == "results":
        return qs.filter(replied_in_year)
    if row.startswith("outcome."):
        return qs.filter(replied_in_year, outcome=row.split(".", 1)[1])
    if row == "carried_out":
        return qs.filter(received_date__lte=y1).filter(Q(replied_date__isnull=True) | Q(replied_date__gt=y1))
    if row == "anomaly.outcome":
        return qs.filter(replied_in_year).exclude(outcome__in=OUTCOMES)
    if row == "anomaly.dates":
        return qs.filter(
            (replied_in_year & (Q(received_date__isnull=True) | Q(received_date__gt=y1)))
            | Q(replied_date__lt=F("received_date"))
        )
    if row == "anomaly.type":
        return qs.filter(received_date__lte=y1).filter(
            Q(replied_date__isnull=True) | Q(replied_date__gte=y0)).exclude(applicant_type__in=APPLICANT_TYPES)
    raise KeyError(row)


def table4_queryset(ids, period: Period, kind: str, result: str = "total"):
    qs = _appeal_cases(ids, period).filter(kind=kind)
    if result != "total":
        qs = qs.filter(result_at_end=result)
    return qs


def _appeal_cases(ids, period: Period):
    return AppealCase.objects.filter(
        agency_id__in=ids, filed_date__gte=period.first_day, filed_date__lte=period.last_day,
    ).annotate(result_at_end=Case(
        When(Q(closed_date__isnull=True) | Q(closed_date__gt=period.last_day), then=Value("pending")),
        When(result=AppealCase.Result.PENDING, then=Value("pending")),
        default=F("result"), output_field=CharField(),
    ))


def drill(agency, year: int, key: str, column: str = ""):
    """(model kind, queryset) behind a figure key, optionally limited to a table 三 applicant-type column."""
    ids, period = agency.descendant_ids(), Period(year)
    parts = key.split(".")
    try:
        if parts[0] == "t2":
            info_type, measure = parts[1], (parts[2] if len(parts) > 2 else "new")
            if info_type not in InfoType.values:
                raise KeyError(key)
            return "items", table2_queryset(ids, period, info_type, measure)
        if parts[0] == "t3":
            qs = table3_queryset(ids, period, ".".join(parts[1:]))
            if qs is not None and column and column != "total":
                if column not in APPLICANT_TYPES:
                    raise KeyError(column)
                qs = qs.filter(applicant_type=column)
            return "applications", qs
        if parts[0] == "t4" and parts[1] in APPEAL_KINDS:
            return "appeals", table4_queryset(ids, period, parts[1], parts[2] if len(parts) > 2 else "total")
    except (KeyError, IndexError):
        pass
    raise KeyError(key)


# --- the figures -------------------------------------------------------------------------------

def _wan_yuan(amount):
    return (Decimal(amount or 0) / Decimal(10000)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def compute_table2(ids, period):
    docs = {}
    for t in TABLE2_DOCS:
        docs[t.value] = {m: table2_queryset(ids, period, t.value, m).count() for m in ("new", "repealed", "valid")}
    decisions = {t.value: table2_queryset(ids, period, t.value, "new").count() for t in TABLE2_DECISIONS}
    fee = table2_queryset(ids, period, InfoType.ADMIN_FEE, "new").aggregate(s=Sum("fee_amount"))["s"]
    proactive = _items(ids).filter(first_published_at__gte=period.start, first_published_at__lt=period.end).count()
    return {"docs": docs, "decisions": decisions, "admin_fee_wan": _wan_yuan(fee), "proactive_total": proactive}


def _by_type(qs):
    """{applicant_type: n} plus "total" (every application, whatever its type) from one GROUP BY query."""
    counts = {t: 0 for t in APPLICANT_TYPES}
    total = 0
    for row in qs.order_by().values("applicant_type").annotate(n=Count("pk")):
        total += row["n"]
        if row["applicant_type"] in counts:
            counts[row["applicant_type"]] = row["n"]
    counts["total"] = total
    return counts


def compute_table3(ids, period, layout):
    columns = [c for c, _ in layout.table3_columns]
    qs = applications_in_scope(ids)
    if qs is None:
        zero = {c: 0 for c in columns}
        return {"available": False, "rows": {r.key: dict(zero) for r in layout.table3_rows}}
    rows = {
        "t3.new": _by_type(table3_queryset(ids, period, "new")),
        "t3.carried_in": _by_type(table3_queryset(ids, period, "carried_in")),
        "t3.results": _by_type(table3_queryset(ids, period, "results")),
        "t3.carried_out": _by_type(table3_queryset(ids, period, "carried_out")),
    }
    for o in OUTCOMES:
        rows[f"t3.outcome.{o}"] = {c: 0 for c in columns}
    grouped = table3_queryset(ids, period, "results").order_by().values("outcome", "applicant_type").annotate(
        n=Count("pk"))
    for row in grouped:
        key = f"t3.outcome.{row['outcome']}"
        if key in rows:
            rows[key]["total"] += row["n"]
            if row["applicant_type"] in APPLICANT_TYPES:
                rows[key][row["applicant_type"]] += row["n"]
    return {"available": True, "rows": rows}


def check_table3(t3, layout):
    """The cross-table checks printed in the form's corner, and the sub-row sums."""
    if not t3["available"]:
        return []
    rows, cols = t3["rows"], [c for c, _ in layout.table3_columns]
    labels = dict(layout.table3_columns)
    balance, subrows, types = [], [], []
    for c in cols:
        left = rows["t3.new"][c] + rows["t3.carried_in"][c]
        right = rows["t3.results"][c] + rows["t3.carried_out"][c]
        if left != right:
            balance.append(f"{labels[c]}：第一项加第二项为 {left}，第三项（七）加第四项为 {right}")
        parts = sum(rows[f"t3.outcome.{o}"][c] for o in OUTCOMES)
        if parts != rows["t3.results"][c]:
            subrows.append(f"{labels[c]}：（一）至（六）各项之和为 {parts}，（七）总计为 {rows['t3.results'][c]}")
    for r in layout.table3_rows:
        values = rows[r.key]
        if sum(values[t] for t in APPLICANT_TYPES) != values["total"]:
            types.append(f"{r.label}：各类申请人之和为 {sum(values[t] for t in APPLICANT_TYPES)}，"
                         f"总计为 {values['total']}")
    return [
        Check("balance", "第一项加第二项之和，等于第三项加第四项之和", not balance, balance, ["t3.anomaly.dates"]),
        Check("subrows", "第三项（一）至（六）之和等于（七）总计", not subrows, subrows, ["t3.anomaly.outcome"]),
        Check("types", "各类申请人之和等于总计", not types, types, ["t3.anomaly.type"]),
    ]


def compute_table4(ids, period):
    cells = {(k, r): 0 for k in APPEAL_KINDS for r in APPEAL_RESULTS + ["total"]}
    for row in _appeal_cases(ids, period).order_by().values("kind", "result_at_end").annotate(n=Count("pk")):
        if (row["kind"], row["result_at_end"]) in cells:
            cells[(row["kind"], row["result_at_end"])] += row["n"]
        if (row["kind"], "total") in cells:
            cells[(row["kind"], "total")] += row["n"]
    return cells


def fees_collected(ids, period):
    """Processing fees (信息处理费) paid in the year, in yuan, or None if requests do not record them."""
    model = application_model()
    if model is None:
        return None
    names = {f.name for f in model._meta.get_fields()}
    amount = next((n for n in ("fee_paid_amount", "fee_amount", "fee") if n in names), None)
    paid = next((n for n in ("fee_paid_date", "fee_paid_at", "fee_paid_on") if n in names), None)
    if amount is None or paid is None:
        return None
    field_obj = model._meta.get_field(paid)
    lo, hi = ((period.start, period.end) if field_obj.get_internal_type() == "DateTimeField"
              else (period.first_day, date(period.year + 1, 1, 1)))
    total = model.objects.filter(agency_id__in=ids, **{f"{paid}__gte": lo, f"{paid}__lt": hi}).aggregate(
        s=Sum(amount))["s"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def overview_text(agency, year, t2, t3, t4, layout):
    """Section 一 pre-filled from the figures."""
    docs, dec = t2["docs"], t2["decisions"]
    parts = [
        f"{year}年，{agency.name}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
        f"全年通过本系统经审核主动公开政府信息{t2['proactive_total']}条。",
        f"其中，制发规章{docs['regulation']['new']}件、行政规范性文件{docs['normative_document']['new']}件，"
        f"废止规章{docs['regulation']['repealed']}件、行政规范性文件{docs['normative_document']['repealed']}件，"
        f"年末现行有效规章{docs['regulation']['valid']}件、行政规范性文件{docs['normative_document']['valid']}件；"
        f"公开行政许可决定{dec['admin_licensing']}件、行政处罚决定{dec['admin_penalty']}件、"
        f"行政强制决定{dec['admin_coercion']}件，行政事业性收费{t2['admin_fee_wan']}万元。",
    ]
    if t3["available"]:
        r = t3["rows"]
        parts.append(
            f"本年新收政府信息公开申请{r['t3.new']['total']}件，上年结转{r['t3.carried_in']['total']}件，"
            f"本年办结{r['t3.results']['total']}件（其中予以公开{r['t3.outcome.disclosed']['total']}件、"
            f"部分公开{r['t3.outcome.partial']['total']}件），结转下年度继续办理{r['t3.carried_out']['total']}件。")
    recon = t4[("reconsideration", "total")]
    lit = t4[("litigation_direct", "total")] + t4[("litigation_after_reconsideration", "total")]
    corrected = sum(t4[(k, "corrected")] for k in APPEAL_KINDS)
    parts.append(f"因政府信息公开引发行政复议{recon}件、行政诉讼{lit}件，其中结果被纠正{corrected}件。")
    return "".join(parts)


@dataclass
class AnnualReport:
    agency: object
    year: int
    layout: object
    agency_ids: list
    table2: dict
    table3: dict
    table4: dict
    checks: list
    overview: str
    text: object          # AnnualReportText or None
    fees: Decimal | None

    @property
    def ok(self):
        return all(c.ok for c in self.checks)

    @property
    def table4_row(self):
        return [self.table4[c] for c in self.layout.table4_columns]

    def as_json(self):
        """The figures, keyed like the drill-down URLs."""
        t3_cols = [c for c, _ in self.layout.table3_columns]
        return {
            "layout": self.layout.version,
            "agency": {"code": self.agency.code, "name": self.agency.name},
            "year": self.year,
            "agencies": list(self.agency_ids),
            "section1": self.overview,
            "table2": {
                **{t: dict(v) for t, v in self.table2["docs"].items()},
                **self.table2["decisions"],
                "admin_fee_wan_yuan": str(self.table2["admin_fee_wan"]),
                "proactive_total": self.table2["proactive_total"],
            },
            "table3": {
                "available": self.table3["available"],
                "columns": t3_cols,
                "rows": [{"key": r.key, "label": r.label, "values": [self.table3["rows"][r.key][c] for c in t3_cols]}
                         for r in self.layout.table3_rows],
            },
            "table4": {
                "columns": [f"{k}.{r}" for k, r in self.layout.table4_columns],
                "values": self.table4_row,
            },
            "checks": [{"key": c.key, "label": c.label, "ok": c.ok, "details": c.details} for c in self.checks],
            "section5": self.text.problems if self.text else "",
            "section6": {
                "fees_collected_yuan": None if self.fees is None else str(self.fees),
                "text": self.text.other_matters if self.text else "",
            },
        }


def build_report(agency, year: int) -> AnnualReport:
    """Compute every figure of the agency's (and its sub-agencies') report for the year."""
    layout = layout_for_year(year)
    ids, period = agency.descendant_ids(), Period(year)
    t2 = compute_table2(ids, period)
    t3 = compute_table3(ids, period, layout)
    t4 = compute_table4(ids, period)
    text = AnnualReportText.objects.filter(agency=agency, year=year).first()
    overview = overview_text(agency, year, t2, t3, t4, layout)
    return AnnualReport(agency=agency, year=year, layout=layout, agency_ids=ids, table2=t2, table3=t3, table4=t4,
                        checks=check_table3(t3, layout), overview=overview, text=text,
                        fees=fees_collected(ids, period))
