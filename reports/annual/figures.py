"""Compute the annual report figures from the records, by SQL aggregation only.

Every figure has a drill-down key; drill(key, ...) returns the queryset behind it, and the figure is that
queryset's aggregate, so a number and its list can never disagree.

Definitions (report year Y, agency A with its sub-agencies):
  table 二  规章 / 行政规范性文件: 本年制发 = first published in Y; 本年废止 = validity changed to "repealed" in Y
            (audit records of the validity change); 现行有效 = published by 31 Dec, online then and valid then.
            行政许可 / 行政处罚 / 行政强制 / 行政事业性收费: the figures entered or imported for Y
            (reports.ExternalFigure, from the licensing, enforcement and revenue systems). For an agency of the
            scope that has none for a kind, the fallback counts its items of that type first published in Y
            (the fee: the sum of fee_amount, in 万元), and the report says so in its warnings.
  table 三  一 = received in Y; 二 = received before Y and not replied before 1 Jan; 三 = replied in Y, by outcome;
            四 = received by 31 Dec and not replied by 31 Dec. Columns by applicant type.
  table 四  cases handled in Y: filed in Y, or filed earlier and not closed by 1 Jan (上年结转), by kind and by
            result as of 31 Dec (not closed by then = 尚未审结, and carried into Y+1). docs/notes-h-report.md."""
from dataclasses import dataclass, field, replace
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
from reports.models import AnnualReportText, ExternalFigure, ExternalFigureKind
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


def external_figures(ids, period: Period) -> dict:
    """{kind: {agency_id: ExternalFigure}} entered or imported for the year, over the agencies of the scope."""
    found = {k.value: {} for k in ExternalFigureKind}
    for fig in ExternalFigure.objects.filter(agency_id__in=ids, year=period.year).select_related("agency"):
        found[fig.kind][fig.agency_id] = fig
    return found


def table2_queryset(ids, period: Period, info_type: str, measure: str = "new", *, entered=None):
    """Items behind a table 二 figure. For the externally kept kinds, only the agencies without an entered
    figure (`entered`: their ids) are counted: that is the fallback part of the figure."""
    items = _items(ids).filter(info_type=info_type)
    if measure == "new":
        if entered is None and info_type in ExternalFigureKind.values:
            entered = external_figures(ids, period)[info_type].keys()
        if entered:
            items = items.exclude(agency_id__in=list(entered))
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
    if result == "carried_in":
        return qs.filter(filed_date__lt=period.first_day)
    if result != "total":
        qs = qs.filter(result_at_end=result)
    return qs


def _appeal_cases(ids, period: Period):
    # Table 四 rule (docs/notes-h-report.md): a case counts in every year in which it was handled: filed in
    # the year, or filed earlier and still open on 1 January (closed_date is the 审结 date). Its column is its
    # state on 31 December: the result if closed by then, else 尚未审结, which carries it into the next year.
    return AppealCase.objects.filter(
        Q(filed_date__gte=period.first_day) | Q(closed_date__isnull=True) | Q(closed_date__gte=period.first_day),
        agency_id__in=ids, filed_date__lte=period.last_day,
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
    entered = external_figures(ids, period)
    # The fallback counts, per agency, in one GROUP BY: which agencies have items of each kind.
    counted = {k: {} for k in entered}
    fallback = (_items(ids).filter(info_type__in=list(entered), first_published_at__gte=period.start,
                                   first_published_at__lt=period.end)
                .order_by().values("info_type", "agency_id").annotate(n=Count("pk"), s=Sum("fee_amount")))
    for row in fallback:
        if row["agency_id"] not in entered[row["info_type"]]:
            counted[row["info_type"]][row["agency_id"]] = row["s"] if row["info_type"] == "admin_fee" else row["n"]
    decisions = {t.value: sum(int(f.value) for f in entered[t.value].values()) + sum(counted[t.value].values())
                 for t in TABLE2_DECISIONS}
    fee = (sum((f.value for f in entered["admin_fee"].values()), Decimal(0))
           + _wan_yuan(sum((v or 0 for v in counted["admin_fee"].values()), Decimal(0))))
    fee = fee.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    sources = {k: {"entered": sorted(entered[k].values(), key=lambda f: f.agency.code),
                   "missing": sorted(set(ids) - set(entered[k]))} for k in entered}
    proactive = _items(ids).filter(first_published_at__gte=period.start, first_published_at__lt=period.end).count()
    return {"docs": docs, "decisions": decisions, "admin_fee_wan": fee, "proactive_total": proactive,
            "sources": sources}


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
    """The 15 cells, plus (kind, "carried_in"): the cases of the total filed before the year (上年结转)."""
    cells = {(k, r): 0 for k in APPEAL_KINDS for r in APPEAL_RESULTS + ["total", "carried_in"]}
    rows = (_appeal_cases(ids, period)
            .annotate(carried=Case(When(filed_date__lt=period.first_day, then=Value(True)), default=Value(False)))
            .order_by().values("kind", "result_at_end", "carried").annotate(n=Count("pk")))
    for row in rows:
        if (row["kind"], row["result_at_end"]) in cells:
            cells[(row["kind"], row["result_at_end"])] += row["n"]
        if (row["kind"], "total") in cells:
            cells[(row["kind"], "total")] += row["n"]
            if row["carried"]:
                cells[(row["kind"], "carried_in")] += row["n"]
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


def _n(value):
    return f"{value}件"


def overview_text(agency, year, t2, t3, t4, layout):
    """Section 一 generated from the figures, one paragraph per part of the work the format lists
    (主动公开, 依申请公开, 复议诉讼), in the wording offices use; the office may replace it."""
    docs, dec = t2["docs"], t2["decisions"]
    reg, norm = docs["regulation"], docs["normative_document"]
    paragraphs = [
        f"{year}年，{agency.name}深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
        f"依法做好主动公开和依申请公开工作，全面推进政务公开标准化规范化。",
        f"（一）主动公开。全年经审核主动公开政府信息{t2['proactive_total']}条。"
        f"本年制发规章{_n(reg['new'])}、行政规范性文件{_n(norm['new'])}，废止规章{_n(reg['repealed'])}、"
        f"行政规范性文件{_n(norm['repealed'])}，年末现行有效规章{_n(reg['valid'])}、"
        f"行政规范性文件{_n(norm['valid'])}；作出行政许可决定{_n(dec['admin_licensing'])}、"
        f"行政处罚决定{_n(dec['admin_penalty'])}、行政强制决定{_n(dec['admin_coercion'])}，"
        f"收取行政事业性收费{t2['admin_fee_wan']}万元。",
    ]
    if t3["available"]:
        r = {k: v["total"] for k, v in t3["rows"].items()}
        refused = sum(v for k, v in r.items() if k.startswith("t3.outcome.refused_"))
        unable = sum(v for k, v in r.items() if k.startswith("t3.outcome.unable_"))
        not_processed = sum(v for k, v in r.items() if k.startswith("t3.outcome.not_processed_"))
        other = sum(v for k, v in r.items() if k.startswith("t3.outcome.other_"))
        paragraphs.append(
            f"（二）依申请公开。本年新收政府信息公开申请{_n(r['t3.new'])}，上年结转{_n(r['t3.carried_in'])}，"
            f"本年度办结{_n(r['t3.results'])}，其中予以公开{_n(r['t3.outcome.disclosed'])}、"
            f"部分公开{_n(r['t3.outcome.partial'])}、不予公开{_n(refused)}、无法提供{_n(unable)}、"
            f"不予处理{_n(not_processed)}、其他处理{_n(other)}；结转下年度继续办理{_n(r['t3.carried_out'])}。")
    recon = t4[("reconsideration", "total")]
    lit = t4[("litigation_direct", "total")] + t4[("litigation_after_reconsideration", "total")]
    corrected = sum(t4[(k, "corrected")] for k in APPEAL_KINDS)
    pending = sum(t4[(k, "pending")] for k in APPEAL_KINDS)
    if recon or lit:
        paragraphs.append(f"（三）行政复议和行政诉讼。因政府信息公开引发行政复议{_n(recon)}、行政诉讼{_n(lit)}，"
                          f"其中结果被纠正{_n(corrected)}，尚未审结{_n(pending)}。")
    else:
        paragraphs.append("（三）行政复议和行政诉讼。本年度未发生因政府信息公开引发的行政复议、行政诉讼案件。")
    return "\n".join(paragraphs)


EXTERNAL_LABELS = dict(ExternalFigureKind.choices)


def completeness_notices(t2, text) -> list[str]:
    """What keeps the report from being filed as is, besides the cross-checks: sections the office has not
    written, and table 二 figures that no agency of the scope entered (counted from items as a fallback)."""
    notices = []
    for kind, label in EXTERNAL_LABELS.items():
        if not t2["sources"][kind]["entered"]:
            notices.append(f"表二“{label}”未录入业务系统数据，暂按本系统公开的信息统计，请录入或导入")
    if not (text and text.problems.strip()):
        notices.append("第五部分“存在的主要问题及改进情况”尚未填写")
    if not (text and (text.other_matters.strip() or text.key_tasks.strip())):
        notices.append("第六部分“其他需要报告的事项”（含重点工作任务落实情况）尚未填写")
    return notices


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
    overview: str          # section 一 as printed: the office's final wording, else the generated text
    generated_overview: str
    text: object          # AnnualReportText or None
    fees: Decimal | None
    notices: list = field(default_factory=list)
    forced_reason: str = ""   # set when an office admin forced the document out despite its warnings

    @property
    def ok(self):
        """Every cross-check of the tables holds."""
        return all(c.ok for c in self.checks)

    @property
    def warnings(self) -> list[str]:
        """What the document says in its warning box: failed cross-checks (with their details), then the
        completeness notices. Empty once forced with a recorded reason."""
        if self.forced_reason:
            return []
        lines = []
        for c in self.checks:
            if not c.ok:
                details = "（" + "；".join(c.details) + "）" if c.details else ""
                lines.append(f"勾稽关系校验未通过：{c.label}{details}")
        return lines + list(self.notices)

    def forced(self, reason: str) -> "AnnualReport":
        """The same report, to be printed without its warning box (the reason is recorded by the caller)."""
        return replace(self, forced_reason=reason)

    @property
    def table4_row(self):
        return [self.table4[c] for c in self.layout.table4_columns]

    def section(self, name: str) -> str:
        return getattr(self.text, name, "") if self.text else ""

    def as_json(self):
        """The figures, keyed like the drill-down URLs."""
        t3_cols = [c for c, _ in self.layout.table3_columns]
        sources = {k: {"entered": [{"agency": f.agency.code, "value": str(f.value), "source": f.source,
                                    "via": f.via} for f in v["entered"]],
                       "counted_agencies": v["missing"]}
                   for k, v in self.table2["sources"].items()}
        return {
            "layout": self.layout.version,
            "agency": {"code": self.agency.code, "name": self.agency.name},
            "year": self.year,
            "agencies": list(self.agency_ids),
            "section1": self.overview,
            "section1_generated": self.generated_overview,
            "section1_supplement": self.section("overview"),
            "table2": {
                **{t: dict(v) for t, v in self.table2["docs"].items()},
                **self.table2["decisions"],
                "admin_fee_wan_yuan": str(self.table2["admin_fee_wan"]),
                "proactive_total": self.table2["proactive_total"],
                "sources": sources,
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
                "carried_in": {k: self.table4[(k, "carried_in")] for k in APPEAL_KINDS},
            },
            "checks": [{"key": c.key, "label": c.label, "ok": c.ok, "details": c.details} for c in self.checks],
            "notices": list(self.notices),
            "warnings": self.warnings,
            "section5": self.section("problems"),
            "section6": {
                "fees_collected_yuan": None if self.fees is None else str(self.fees),
                "key_tasks": self.section("key_tasks"),
                "text": self.section("other_matters"),
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
    generated = overview_text(agency, year, t2, t3, t4, layout)
    overview = text.overview_override.strip() if text and text.overview_override.strip() else generated
    return AnnualReport(agency=agency, year=year, layout=layout, agency_ids=ids, table2=t2, table3=t3, table4=t4,
                        checks=check_table3(t3, layout), overview=overview, generated_overview=generated, text=text,
                        fees=fees_collected(ids, period), notices=completeness_notices(t2, text))
