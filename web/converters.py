"""Path converters (<oid:pk>, <year:year>): object ids in URLs are bounded, so a 30-digit id is a 404,
never a database overflow."""
from django.urls import register_converter

MAX_ID = 2 ** 31 - 1


class IdConverter:
    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("id out of range")
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


register_converter(IdConverter, "oid")
register_converter(YearConverter, "year")
