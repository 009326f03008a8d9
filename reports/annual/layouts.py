"""Report layouts, versioned by the national format in force for the report year.

Only the 2021 format (国办公开办函〔2021〕30号) is implemented; the 2019 format (本年新制作数量 / 本年新公开数量 /
对外公开总数量 columns and a 政府集中采购 row in table 二) would be a second Layout registered in LAYOUTS."""
from dataclasses import dataclass, field

from core.errors import InvalidInput
from disclosure.codes import OUTCOME_ROW, ApplicantType, Outcome

SECTIONS = [
    ("一", "总体情况"),
    ("二", "主动公开政府信息情况"),
    ("三", "收到和处理政府信息公开申请情况"),
    ("四", "政府信息公开行政复议、行政诉讼情况"),
    ("五", "存在的主要问题及改进情况"),
    ("六", "其他需要报告的事项"),
]

GROUP_LABELS = {
    "一": "（一）予以公开",
    "二": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "三": "（三）不予公开",
    "四": "（四）无法提供",
    "五": "（五）不予处理",
    "六": "（六）其他处理",
}


@dataclass(frozen=True)
class Row:
    key: str           # drill-down key, e.g. "t3.new", "t3.outcome.refused_law"
    label: str
    group: str = ""    # row 三 group (一..七) for the sub-rows
    level: int = 0     # 0 = main row, 1 = (一).., 2 = numbered sub-row


def _table3_rows():
    rows = [Row("t3.new", "一、本年新收政府信息公开申请数量"), Row("t3.carried_in", "二、上年结转政府信息公开申请数量")]
    for outcome in Outcome:
        group, number = OUTCOME_ROW[outcome]
        if number is None:
            rows.append(Row(f"t3.outcome.{outcome.value}", GROUP_LABELS[group], group, 1))
        else:
            label = outcome.label.split("）", 1)[1]  # "（三）1.属于国家秘密" -> "1.属于国家秘密"
            rows.append(Row(f"t3.outcome.{outcome.value}", label, group, 2))
    rows.append(Row("t3.results", "（七）总计", "七", 1))
    rows.append(Row("t3.carried_out", "四、结转下年度继续办理"))
    return rows


@dataclass(frozen=True)
class Layout:
    version: str
    title: str
    sections: list = field(default_factory=lambda: list(SECTIONS))
    table3_columns: list = field(default_factory=list)   # [(code, label)], the last is the total
    table3_rows: list = field(default_factory=list)
    table4_columns: list = field(default_factory=list)   # [(kind, result)], 15 cells


LAYOUT_2021 = Layout(
    version="2021",
    title="国办公开办函〔2021〕30号",
    table3_columns=[(t.value, t.label) for t in ApplicantType] + [("total", "总计")],
    table3_rows=_table3_rows(),
    table4_columns=[
        (kind, result)
        for kind in ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
        for result in ("maintained", "corrected", "other", "pending", "total")
    ],
)

LAYOUTS = {"2021": LAYOUT_2021}


def layout_for_year(year: int) -> Layout:
    """The layout in force for a report year."""
    if year >= 2021:
        return LAYOUT_2021
    raise InvalidInput(f"{year}年度报告应使用2019年版格式，本系统目前只支持2021年版（2021年度及以后）",
                       en="Only the 2021 layout is implemented", field="year")
