"""Domain ranges of the fields people type in (issue 16: every date, count and day field is bounded).

The same numbers bound the models (validators and database check constraints), the web forms and the API
schemas, so an out-of-range value is a clear 400 everywhere and never reaches arithmetic that overflows."""
from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator

MIN_DATE, MAX_DATE = date(1949, 1, 1), date(2100, 12, 31)
DISPLAY_DAYS = (1, 365)                     # 公示期
MAX_FEE = Decimal("9999999999.99")          # 收费金额（元）
CLEANUP_INTERVAL_DAYS = (1, 3650)           # 清理周期：at most ten years


def date_validators():
    return [MinValueValidator(MIN_DATE, message="日期不能早于 1949 年 1 月 1 日"),
            MaxValueValidator(MAX_DATE, message="日期不能晚于 2100 年 12 月 31 日")]


def range_validators(low, high, unit=""):
    return [MinValueValidator(low, message=f"不能小于 {low}{unit}"),
            MaxValueValidator(high, message=f"不能大于 {high}{unit}")]
