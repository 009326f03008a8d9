"""Property tests: every valid ID is found and masked length-preserving; a wrong check digit never is."""
import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from privacy import ID_NUMBER, mask_id_number, mask_text, scan_text
from privacy.validators import PROVINCE_CODES, id_check_digit

regions = st.builds(lambda p, r: p + f"{r:04d}", st.sampled_from(sorted(PROVINCE_CODES)),
                    st.integers(0, 9999))
births = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date.today())
serials = st.integers(0, 999)
first17s = st.builds(lambda r, b, s: f"{r}{b:%Y%m%d}{s:03d}", regions, births, serials)
glue = st.sampled_from(["", "身份证号：", "ID ", "，", "证件号码", "\n"])


@settings(max_examples=300)
@given(first17s, glue, glue, st.booleans())
def test_valid_id_is_found_and_mask_preserves_length(first17, before, after, lower):
    check = id_check_digit(first17)
    pid = first17 + (check.lower() if lower else check)
    text = before + pid + after
    ids = [f for f in scan_text(text) if f.kind == ID_NUMBER]
    assert [f.value for f in ids] == [pid]
    assert ids[0].location.offset == len(before)
    masked = mask_id_number(pid)
    assert len(masked) == len(pid) and masked[:2] == pid[:2] and masked[-3:] == pid[-3:]
    new_text, n = mask_text(text, kinds=[ID_NUMBER])
    assert n == 1 and len(new_text) == len(text) and pid not in new_text


@settings(max_examples=300)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"), glue)
def test_wrong_check_digit_is_never_an_id(first17, check, before):
    if check == id_check_digit(first17):
        check = "0" if check != "0" else "1"
    text = before + first17 + check + "。"
    assert ID_NUMBER not in [f.kind for f in scan_text(text)]
