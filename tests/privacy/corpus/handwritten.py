"""Hand-written snippets: formats and look-alikes written one by one (not from the generator's
templates), as a check that the rules are general.  ``{id:...}`` placeholders become valid ID
numbers (check digit computed), ``{bad:...}`` the same with a wrong check digit, ``{card:...}`` a
Luhn-valid card with the given prefix and length; everything else is literal.

    python tests/privacy/corpus/handwritten.py   # rewrites handwritten.jsonl
"""
from __future__ import annotations

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(HERE))))

from privacy.validators import id_check_digit, luhn_ok  # noqa: E402

# (source, text, labels, public_values); labels use the same placeholders as the text
CASES = [
    ("低保公示", "户主：汪玉兰（身份证号：{id:34182119560312042}），保障人口2人。",
     [["name_near_pii", "汪玉兰"], ["id_number", "{id:34182119560312042}"]]),
    ("低保公示", "汪玉兰 342529195603120427 宁国市港口镇山门村",
     [["name_near_pii", "汪玉兰"], ["id_number", "342529195603120427"]]),
    ("低保公示", "身份证号为{id:34182119890707551}的申请人已核查。", [["id_number", "{id:34182119890707551}"]]),
    ("低保公示", "证件号码 {id:34252919720228001} ；", [["id_number", "{id:34252919720228001}"]]),
    ("低保公示", "身份证：{bad:34182119800101001}（户主）", [["id_number_suspect", "{bad:34182119800101001}"]]),
    ("救助公示", "身份证号{idx:11010519491231002}，", [["id_number", "{idx:11010519491231002}"]]),
    ("救助公示", "公民身份号码 {sp4:34182119630521302}", [["id_number", "{sp4:34182119630521302}"]]),
    ("救助公示", "身份证号码:{dash:45010219530907038}", [["id_number", "{dash:45010219530907038}"]]),
    ("救助公示", "老身份证 342529560312042 已换领", [["id_number", "342529560312042"]]),
    ("表格文字层", "1 刘桂英 {id:34182119400815002} 138 0563 2211 800", [["name_near_pii", "刘桂英"],
     ["id_number", "{id:34182119400815002}"], ["mobile", "138 0563 2211"]]),
    ("表格文字层", "2 何建国 {id:34182119511109003} 15955631234 650", [["name_near_pii", "何建国"],
     ["id_number", "{id:34182119511109003}"], ["mobile", "15955631234"]]),
    ("联系方式", "联系人：刘主任，手机：138-0055-1234。", [["mobile", "138-0055-1234"]]),
    ("联系方式", "联系方式：159 5563 1234（微信同号）", [["mobile", "159 5563 1234"]]),
    ("联系方式", "手机13905631234/13805631234均可", [["mobile", "13905631234"], ["mobile", "13805631234"]]),
    ("联系方式", "TEL:0551-62345678", [["landline", "0551-62345678"]]),
    ("联系方式", "电话（0563）4012345", [["landline", "（0563）4012345"]]),
    ("联系方式", "固定电话 0563 4012345", [["landline", "0563 4012345"]]),
    ("联系方式", "办公室电话：0563-4012345转802", [["landline", "0563-4012345转802"]]),
    ("联系方式", "村民吴德文电话0563-1234567反映情况", [["name_near_pii", "吴德文"], ["landline", "0563-1234567"]]),
    ("联系方式", "电话：０５６３－４０１２３４５", [["landline", "０５６３－４０１２３４５"]]),
    ("联系方式", "手机号码：＋８６　１３９０５６３１２３４", [["mobile", "＋８６　１３９０５６３１２３４"]]),
    ("联系方式", "联系电话：18905631234、0563-4012345", [["mobile", "18905631234"], ["landline", "0563-4012345"]]),
    ("本单位号码", "投诉举报电话：0563-4012345（工作日）", [], ["0563-4012345"]),
    ("本单位号码", "监督电话：（0563）401 2345", [], ["0563-4012345"]),
    ("本单位号码", "来信请寄：宁国市宁阳西路88号市政府办公室，邮箱 ngzwgk@163.com", [],
     ["宁国市宁阳西路88号", "ngzwgk@163.com"]),
    ("本单位号码", "联系人：王芳，电话0563-4012345", [], ["0563-4012345"]),
    ("银行卡", "开户行：宁国农商行，账号：{card:6228481234567|19}", [["bank_card", "{card:6228481234567|19}"]]),
    ("银行卡", "一卡通账号 {cardsp:6217001234567|19}", [["bank_card", "{cardsp:6217001234567|19}"]]),
    ("银行卡", "社保卡号{cardbad:6214831234567|19}，请核对", [["bank_card", "{cardbad:6214831234567|19}"]]),
    ("住址", "家住港口镇山门村杨家组12号", [["address", "港口镇山门村杨家组12号"]]),
    ("住址", "现住宁国市南山街道宁阳西路56号2幢301室", [["address", "宁国市南山街道宁阳西路56号2幢301室"]]),
    ("住址", "户籍地址：安徽省宁国市汪溪街道竹峰村三组8号", [["address", "安徽省宁国市汪溪街道竹峰村三组8号"]]),
    ("邮箱", "申请人邮箱：zhangwei1988@qq.com", [["email", "zhangwei1988@qq.com"]]),
    # look-alikes that are not personal data
    ("金额", "项目总投资13800000000元，其中财政资金1380000000元。", []),
    ("金额", "合同金额：人民币15912345678.00元", []),
    ("金额", "累计完成投资13612345678万元", []),
    ("金额", "金额：13 800 000 000 元", []),
    ("金额", "预算金额（元）：13912345678", []),
    ("金额", "中标价：￥18612345678", []),
    ("机构代码", "统一社会信用代码 {uscc} 的企业", []),
    ("机构代码", "纳税人识别号：{uscc}", []),
    ("发票", "发票代码：044031900111 发票号码：12345678", []),
    ("发票", "发票代码 034001900104，发票号码 03456789", []),
    ("文号", "宁政办秘〔2024〕13号 皖政办〔2023〕138号", []),
    ("索引号", "索引号：11341881003186000X/202401-00013", []),
    ("索引号", "索引号：003186000/2024-00138", []),
    ("日期时间", "发布时间：2024-03-15 16:42:08 浏览次数：1380", []),
    ("日期时间", "时间戳 1710492128000，版本20240315164208", []),
    ("邮编", "邮编：242300 传真：无", []),
    ("ISBN", "ISBN 978-7-5650-1234-5 定价45.00元", []),
    ("快递", "EMS单号：1138123456789", []),
    ("快递", "顺丰运单号 SF1380563123456", []),
    ("网址", "详见 http://www.ningguo.gov.cn/OpennessContent/show/13812345678.html", []),
    ("坐标", "坐标：118.9876543212，30.6234567890", []),
    ("比例", "增长13.812345678%", []),
    ("编号", "项目编号：NGZC-2024-13812345678", []),
    ("编号", "采购项目编号：34182120240315001", []),
    ("编号", "不动产权证号：皖（2024）宁国市不动产权第0013812号", []),
    ("统计", "全市户籍人口38.6万人，常住人口37.2万人。", []),
    ("统计", "2023年全市地区生产总值13812345678元，同比增长5.8%。", []),
    ("卡号样式的编号", "业务流水号：6222021234567890123", []),
    ("卡号样式的编号", "条码：6901234567892", []),
    ("规格", "钢管规格Φ13812345678mm", []),
    ("身份证号说明", "身份证号码为18位，最后一位可能是X。", []),
    ("电话会议", "召开电话会议，会期1天。", []),
    ("错敏词", "会议强调，要坚决贯彻台湾总统选举后的对台方针。", [["wording", "台湾总统"]]),
    ("错敏词", "推动中国与台湾经贸合作。", [["wording", "中国与台湾"]]),
    ("错敏词", "经国家发展改革委员会批复。", [["wording", "国家发展改革委员会"]]),
    ("错敏词", "经国家发展和改革委员会批复。", []),
    ("错敏词", "根据县环保局通知。", [["wording", "环保局"]]),
    ("错敏词", "请于××年××月××日前上报。", [["wording", "××"], ["wording", "××"], ["wording", "××"]]),
    ("错敏词", "被申请人李某某、王XX均已到场。", []),
    ("错敏词", "XXXX年度工作总结", [["wording", "XXXX"]]),
    ("错敏词", "Windows XP 系统，型号 HP-XX12", []),
    ("错敏词", "坚决打击百家乐、时时彩等网络赌博活动。", []),
    ("错敏词", "百家乐真人荷官在线发牌", [["wording", "百家乐真人荷官"]]),
    ("错敏词", "刷单兼职日结，加微信", [["wording", "刷单兼职"]]),
    ("错敏词", "按照农业部和财政部的部署。", [["wording", "农业部"]]),
    ("错敏词", "各级农业部门要加强指导。", []),
    ("密级", "绝密★20年", [["classification_mark", "绝密★20年"]]),
    ("密级", "密级：秘密", [["classification_mark", "秘密"]]),
    ("密级", "防止泄露国家秘密和工作秘密。", []),
]


def _id(first17: str, good: bool = True) -> str:
    c = id_check_digit(first17)
    if good:
        return first17 + c
    return first17 + ("1" if c != "1" else "2")


def _card(prefix: str, length: int, good: bool = True) -> str:
    body = (prefix + "0" * length)[:length - 1]
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + (d if good else str((int(d) + 3) % 10))
    raise AssertionError


def _uscc() -> str:
    from tests.privacy.corpus.build_corpus import uscc

    return uscc()


def expand(text: str, cache: dict) -> str:
    def repl(m):
        key = m.group(0)
        if key in cache:
            return cache[key]
        kind, arg = m.group(1), m.group(2)
        if kind == "id":
            v = _id(arg)
        elif kind == "idx":
            v = _id(arg)
        elif kind == "bad":
            v = _id(arg, False)
        elif kind == "sp4":
            v = _id(arg)
            v = " ".join(v[i:i + 4] for i in range(0, 18, 4))
        elif kind == "dash":
            v = _id(arg)
            v = f"{v[:6]}-{v[6:14]}-{v[14:]}"
        elif kind in ("card", "cardsp", "cardbad"):
            prefix, length = arg.split("|")
            v = _card(prefix, int(length), kind != "cardbad")
            if kind == "cardsp":
                v = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
        else:
            raise ValueError(key)
        cache[key] = v
        return v

    text = re.sub(r"\{(id|idx|bad|sp4|dash|card|cardsp|cardbad):([^}]+)\}", repl, text)
    if "{uscc}" in text:
        text = text.replace("{uscc}", cache.setdefault("{uscc}", _uscc()))
    return text


def build() -> list[dict]:
    out = []
    for i, case in enumerate(CASES, start=1):
        source, text, labels = case[:3]
        public = case[3] if len(case) > 3 else []
        cache: dict = {}
        out.append({"id": f"hand-{i:03d}", "source": source, "text": expand(text, cache), "public_values": public,
                    "labels": [[k, expand(v, cache)] for k, v in labels]})
    return out


if __name__ == "__main__":
    cases = build()
    with open(os.path.join(HERE, "handwritten.jsonl"), "w", encoding="utf-8") as fh:
        for c in cases:
            fh.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{len(cases)} hand-written snippets")
