"""Detectors of the privacy pre-check: what must fire and what must not."""
import datetime
import random

import pytest

from privacy import (
    ADDRESS,
    BANK_CARD,
    CLASSIFICATION_MARK,
    EMAIL,
    ID_NUMBER,
    KIND_LABELS,
    LANDLINE,
    MOBILE,
    NAME_NEAR_PII,
    SENSITIVE_WORD,
    id_check_digit,
    is_valid_id,
    luhn_ok,
    scan_text,
)
from tests.privacy.privacy_fixtures import (
    make_bad_luhn,
    make_card,
    make_id,
    make_id15,
    make_id_with_x,
    make_mobile,
    spell_mobile,
)

RNG = random.Random(20231201)


def kinds(text, **kw):
    return [f.kind for f in scan_text(text, **kw)]


def values(text, kind, **kw):
    return [f.value for f in scan_text(text, **kw) if f.kind == kind]


# ---------------------------------------------------------------- ID numbers

def test_check_digit_known_value():
    # the GB 11643-1999 worked example
    assert id_check_digit("11010519491231002") == "X"
    assert is_valid_id("11010519491231002X")
    assert is_valid_id("11010519491231002x".upper())


def test_valid_18_digit_id_found_with_offset():
    v = make_id(RNG)
    text = f"身份证号：{v}。"
    [f] = scan_text(text)
    assert (f.kind, f.value, f.location.source, f.location.offset) == (ID_NUMBER, v, "body", 5)
    assert text[f.location.offset:f.location.offset + len(f.value)] == v


@pytest.mark.parametrize("lower", [False, True])
def test_id_with_x_check_digit(lower):
    v = make_id_with_x(RNG, lower=lower)
    assert values(f"证件号码{v}", ID_NUMBER) == [v]


def test_full_width_digits_are_found_and_reported_as_written():
    v = make_id(RNG)
    wide = v.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    assert values(f"身份证{wide}", ID_NUMBER) == [wide]


def test_legacy_15_digit_id():
    v = make_id15(RNG)
    assert values(f"老身份证{v}号", ID_NUMBER) == [v]


@pytest.mark.parametrize("bad15", [
    "341302901301123",   # month 13
    "341302900230123",   # 30 February
    "941302900101123",   # first digit 9 is not a region
    "001302900101123",   # region 00
])
def test_invalid_legacy_15_digit(bad15):
    assert ID_NUMBER not in kinds(f"编号{bad15}")


def test_18_digit_with_wrong_check_digit_is_not_an_id():
    v = make_id(RNG, valid=False)
    assert ID_NUMBER not in kinds(f"订单号{v}")


def test_18_digit_with_impossible_birth_date():
    for birth in ("18991231", "20991231", "19900230"):
        first17 = f"341302{birth}123"
        v = first17 + id_check_digit(first17)
        assert ID_NUMBER not in kinds(f"编号{v}"), v


def test_future_birth_date_rejected():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    first17 = f"341302{tomorrow:%Y%m%d}123"
    assert ID_NUMBER not in kinds(first17 + id_check_digit(first17))


def test_id_inside_longer_digit_run_not_found():
    v = make_id(RNG)
    assert ID_NUMBER not in kinds(f"流水号9{v}1")


# ---------------------------------------------------------------- phones

@pytest.mark.parametrize("style", range(6))
def test_mobile_spellings(style):
    m = make_mobile(RNG)
    spelled = spell_mobile(m, style)
    found = values(f"联系电话：{spelled}，谢谢", MOBILE)
    assert found == [spelled]


def test_mobile_with_full_width_plus():
    assert values("手机＋86 13812345678", MOBILE) == ["＋86 13812345678"]


def test_mobile_inside_long_reference_not_found():
    assert kinds("业务参考号20231201138123456789") == []
    assert MOBILE not in kinds("账单号 9913812345678")


def test_mobile_with_invalid_second_digit():
    assert MOBILE not in kinds("号码12812345678")


@pytest.mark.parametrize("text, value", [
    ("电话0557-3021234", "0557-3021234"),
    ("电话010-88886666", "010-88886666"),
    ("电话(0557)3021234", "(0557)3021234"),
    ("电话（0557）3021234", "（0557）3021234"),
    ("电话0557-3021234转801", "0557-3021234转801"),
    ("电话05573021234。", "05573021234"),
])
def test_landline(text, value):
    assert values(text, LANDLINE) == [value]


def test_landline_needs_area_code():
    assert LANDLINE not in kinds("分机3021234")


# ---------------------------------------------------------------- bank cards, e-mail

def test_bank_card_plain_and_grouped():
    c19 = make_card(RNG, 19)
    c16 = make_card(RNG, 16, "436742")
    grouped = " ".join(c19[i:i + 4] for i in range(0, 19, 4))
    text = f"卡号{c19}；另一张{c16}；分组写法 {grouped} 。"
    assert values(text, BANK_CARD) == [c19, c16, grouped]


def test_bank_card_failing_luhn_not_found():
    assert BANK_CARD not in kinds(f"编号 {make_bad_luhn(RNG, 16)} 号")
    assert BANK_CARD not in kinds(f"编号 {make_bad_luhn(RNG, 19)} 号")


def test_labelled_account_number_without_luhn_is_found():
    bad = make_bad_luhn(RNG, 19)
    assert values(f"一折通账号：{bad}", BANK_CARD) == [bad]


def test_email():
    assert values("请发送至 zhang.san@example.gov.cn 。", EMAIL) == ["zhang.san@example.gov.cn"]


# ---------------------------------------------------------------- addresses

@pytest.mark.parametrize("text, value", [
    ("家住安徽省宿州市埇桥区符离镇张庄村三组15号，", "安徽省宿州市埇桥区符离镇张庄村三组15号"),
    ("住址：宿州市汴河路12号3栋2单元501室", "宿州市汴河路12号3栋2单元501室"),
    ("李圩村15号", "李圩村15号"),
    ("地址：光明小区3栋2单元501室。", "光明小区3栋2单元501室"),
    ("地址：胜利巷5弄3号", "胜利巷5弄3号"),
])
def test_detailed_address(text, value):
    assert values(text, ADDRESS) == [value]


@pytest.mark.parametrize("text", [
    "宿政办发〔2023〕5号",
    "根据国办函〔2020〕109号文件",
    "宿州市埇桥区符离镇张庄村",          # village level, no house number
    "第12号令",
    "2023年第3号公告",
])
def test_not_an_address(text):
    assert ADDRESS not in kinds(text)


# ---------------------------------------------------------------- names near PII

def test_name_before_id_in_text():
    v = make_id(RNG)
    fs = scan_text(f"申请人张三，身份证号{v}")
    assert [(f.kind, f.value) for f in fs] == [(NAME_NEAR_PII, "张三"), (ID_NUMBER, v)]


@pytest.mark.parametrize("text, name", [
    ("户主王小明身份证号{id}", "王小明"),
    ("联系人：李四，联系电话：13812345678", "李四"),
    ("欧阳娜娜 13812345678", "欧阳娜娜"),
])
def test_name_variants(text, name):
    assert values(text.format(id=make_id(RNG)), NAME_NEAR_PII) == [name]


def test_no_name_without_pii():
    assert NAME_NEAR_PII not in kinds("申请人张三已于昨日提交材料")


def test_common_words_are_not_names():
    assert NAME_NEAR_PII not in kinds("单位电话：0557-3021234")
    assert NAME_NEAR_PII not in kinds("联系方式：13812345678")


# ---------------------------------------------------------------- classification marks

@pytest.mark.parametrize("text, value", [
    ("秘密★1年", "秘密★1年"),
    ("机密★长期\n关于……的通知", "机密★长期"),
    ("000123    绝密★10年", "绝密★10年"),
    ("秘密★", "秘密★"),
    ("绝密", "绝密"),
    ("内部资料  注意保存\n正文", "内部资料  注意保存"),
    ("【内部】关于调整的说明", "【内部】"),
    ("（内部资料）会议纪要", "（内部资料）"),
    ("密级：机密", "机密"),
    ("不得外传", "不得外传"),
    ("秘密  宿政〔2023〕5号", "秘密"),
])
def test_classification_marks(text, value):
    assert values(text, CLASSIFICATION_MARK) == [value]


@pytest.mark.parametrize("text", [
    "工作人员要保守秘密，严格执行保密审查制度。",
    "不予公开理由：涉及国家秘密。",
    "不得泄露商业秘密和个人隐私。",
    "加强内部管理，规范内部事务。",
    "内部控制制度",
    "机密文件管理办法的解读",
])
def test_marks_in_prose_do_not_fire(text):
    assert CLASSIFICATION_MARK not in kinds(text)


# ---------------------------------------------------------------- sensitive words

def test_sensitive_words_configurable():
    fs = scan_text("本次涉及绿洲项目和ABC工程。", sensitive_words=["绿洲项目", "abc工程"])
    assert [(f.kind, f.value) for f in fs] == [(SENSITIVE_WORD, "绿洲项目"), (SENSITIVE_WORD, "ABC工程")]
    assert scan_text("本次涉及绿洲项目。") == []


def test_ignore_list_for_public_contact_numbers():
    text = "咨询电话：0557-3021234；申请人手机13812345678"
    assert values(text, LANDLINE, ignore=["0557-3021234"]) == []
    assert values(text, MOBILE, ignore=["0557-3021234"]) == ["13812345678"]


# ---------------------------------------------------------------- false positives (requirement 2)

def test_false_positives_do_not_fire():
    rng = random.Random(5)
    order = make_id(rng, valid=False)
    while is_valid_id(order) or luhn_ok(order):
        order = make_id(rng, valid=False)
    text = "\n".join([
        f"订单编号：{order}",
        "日期：20231201，2023-12-01，2023年12月1日",
        "业务参考号：12345678901234567890",
        "金额：1,380,000.00元，13812345.67元，合计138123456元",
        "索引号：11341702000111222F/202111-00151",
        "索引号：000014349/2016-00154",
        "文号：宿政办发〔2023〕5号",
        "统一社会信用代码：91341302MA2N1234X5，11341702000111222F，12100000400010398P",
        f"流水号：{make_bad_luhn(rng, 16)}",
    ])
    assert scan_text(text) == []


def test_kind_labels_complete():
    assert KIND_LABELS[ID_NUMBER] == "身份证号"
    assert {KIND_LABELS[k] for k in (MOBILE, LANDLINE, BANK_CARD, EMAIL, ADDRESS, NAME_NEAR_PII,
                                     CLASSIFICATION_MARK, SENSITIVE_WORD)} == {
        "手机号码", "固定电话", "银行卡号", "电子邮箱", "详细住址", "姓名", "密级标志", "敏感词"}


def test_real_work_plans_have_no_findings():
    """The four seed documents (real 政务公开 work plans, full of 文号, 索引号, dates and amounts)
    contain no personal data or marks: the scanner must stay silent on them, except for the
    gambling spam injected into seed 003 ("beplay体育赢钱封号", issue 11), which must be found."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    paths = sorted((root / "workflow" / "demo" / "seeds").glob("*.txt"))
    if not paths:
        pytest.skip("seed documents not present")
    for p in paths:
        found = scan_text(p.read_text(encoding="utf-8"), source=p.name)
        expected = 2 if p.name.startswith("003") else 0
        assert [(f.kind, f.category) for f in found] == [("wording", "spam_gambling")] * expected, p.name
        assert all(f.value.lower().startswith("beplay") for f in found)
