"""Masking rules (DOMAIN.md): ID 35*************123, phone 138****1234, card last 4, e-mail, address to township."""
import random

import pytest

from privacy import (
    ADDRESS,
    ID_NUMBER,
    MOBILE,
    mask_address,
    mask_bank_card,
    mask_email,
    mask_id_number,
    mask_landline,
    mask_mobile,
    mask_name,
    mask_table,
    mask_text,
    scan_text,
)
from tests.privacy.privacy_fixtures import DIBAO_HEADER, make_card, make_id


def test_mask_id_18_and_15():
    assert mask_id_number("350102199001011238") == "35*************238"
    assert mask_id_number("11010519491231002X") == "11*************02X"
    assert mask_id_number("341302900101123") == "34**********123"


@pytest.mark.parametrize("raw, masked", [
    ("13812341234", "138****1234"),
    ("138 1234 5678", "138 **** 5678"),
    ("138-1234-5678", "138-****-5678"),
    ("+86 13812345678", "+86 138****5678"),
    ("0086 138 1234 5678", "0086 138 **** 5678"),
    ("86-13812345678", "86-138****5678"),
])
def test_mask_mobile(raw, masked):
    assert mask_mobile(raw) == masked
    assert len(mask_mobile(raw)) == len(raw)


def test_mask_landline_keeps_area_code_and_last_four():
    assert mask_landline("0557-3021234") == "0557-***1234"
    assert mask_landline("(010)88886666") == "(010)****6666"
    assert mask_landline("0557-3021234转801") == "0557-***1234转801"


def test_mask_bank_card_keeps_last_four():
    assert mask_bank_card("6222021234567890128") == "***************0128"
    assert mask_bank_card("6222 0212 3456 7890 128") == "**** **** **** ***0 128"


def test_mask_email():
    assert mask_email("zhangsan@163.com") == "z***@163.com"


@pytest.mark.parametrize("raw, masked", [
    ("安徽省宿州市埇桥区符离镇张庄村三组15号", "安徽省宿州市埇桥区符离镇***"),
    ("宿州市埇桥区三八街道汴河路12号3栋2单元501室", "宿州市埇桥区三八街道***"),
    ("宿州市埇桥区永安乡新集村7号", "宿州市埇桥区永安乡***"),
    ("宿州市埇桥区汴河路12号", "宿州市埇桥区***"),
    ("光明小区3栋2单元501室", "***"),
    ("张庄村三组15号", "***"),
])
def test_mask_address_to_township(raw, masked):
    assert mask_address(raw) == masked


def test_mask_name():
    assert mask_name("张三") == "张*"
    assert mask_name("王小明") == "王**"
    assert mask_name("欧阳娜娜") == "欧阳**"


def test_finding_masked_preview():
    fs = scan_text("身份证350102199001011238，手机13812341234")
    assert [(f.kind, f.masked) for f in fs] == [(ID_NUMBER, "35*************238"), (MOBILE, "138****1234")]


def test_mask_text_one_pass():
    text = ("秘密★1年\n申请人张三，身份证号350102199001011238，手机138 1234 5678，"
            "家住安徽省宿州市埇桥区符离镇张庄村三组15号。")
    new, n = mask_text(text)
    assert new == ("秘密★1年\n申请人张*，身份证号35*************238，手机138 **** 5678，"
                   "家住安徽省宿州市埇桥区符离镇***。")
    assert n == 4  # name, ID, phone, address; the mark is never "masked"


def test_mask_text_selected_kinds():
    text = "身份证号350102199001011238，手机13812341234，住址宿州市埇桥区符离镇张庄村三组15号"
    new, n = mask_text(text, kinds=[ID_NUMBER, ADDRESS])
    assert new == "身份证号35*************238，手机13812341234，住址宿州市埇桥区符离镇***"
    assert n == 2


def test_mask_text_no_findings_returns_same_text():
    assert mask_text("关于做好政务公开工作的通知") == ("关于做好政务公开工作的通知", 0)


def test_mask_table():
    rng = random.Random(3)
    pid, card = make_id(rng), make_card(rng)
    rows = [
        ["XX镇2023年12月低保名单"],
        DIBAO_HEADER,
        [1, "张三", pid, "138-1234-5678", "宿州市埇桥区符离镇张庄村三组15号", card, 3, "900.00"],
    ]
    new, n = mask_table(rows)
    assert n == 5
    assert new[0] == rows[0] and new[1] == rows[1]
    assert new[2] == [1, "张*", pid[:2] + "*" * 13 + pid[-3:], "138-****-5678", "宿州市埇桥区符离镇***",
                      "*" * 15 + card[-4:], 3, "900.00"]
    assert rows[2][1] == "张三"  # input untouched
