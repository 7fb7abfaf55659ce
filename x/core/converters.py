"""Path converters. `id`: a database id in a URL, at most 18 digits.

Django's `int` takes any number of digits; one beyond 64 bits reaches the database as an
integer SQLite cannot bind (OverflowError, a 500). An `<id:...>` segment that long simply does
not match the URL: a 404, as for any other id that does not exist. Registered once, when this
module is imported (each urls.py that uses it imports it).
"""

from django.urls import register_converter

MAX_ID_DIGITS = 18  # every 18-digit number fits a signed 64-bit integer


class IdConverter:
    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
