"""Opening hours: "open now" across midnight, lunch breaks and closed days."""

from datetime import datetime, time

import pytest

from directory.hours import Interval, status_at, weekly_table

MON, TUE, FRI, SAT, SUN = 0, 1, 4, 5, 6

# A week in November 2026: Monday the 23rd ... Sunday the 29th.
DATES = {MON: 23, TUE: 24, FRI: 27, SAT: 28, SUN: 29}


def at(weekday: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, DATES[weekday], hour, minute)


BAKERY = [
    Interval(MON, time(7), time(12, 30)),
    Interval(MON, time(14), time(18)),  # lunch break in between
    Interval(SAT, time(7), time(13)),
]
PUB = [
    Interval(FRI, time(19), time(2)),  # Friday night into Saturday
    Interval(SAT, time(19), time(2)),
    Interval(SUN, time(18), time(0)),  # until midnight exactly
]
KIOSK_SUNDAY_NIGHT = [Interval(SUN, time(20), time(3))]  # wraps into Monday


@pytest.mark.parametrize(
    ("intervals", "moment", "is_open", "changes_at"),
    [
        (BAKERY, at(MON, 6, 59), False, time(7)),
        (BAKERY, at(MON, 7), True, time(12, 30)),
        (BAKERY, at(MON, 12, 30), False, time(14)),  # closing minute is closed
        (BAKERY, at(MON, 13), False, time(14)),
        (BAKERY, at(MON, 17, 59), True, time(18)),
        (BAKERY, at(MON, 18), False, None),
        (BAKERY, at(TUE, 10), False, None),  # no rows on Tuesday: closed all day
        (PUB, at(FRI, 18, 59), False, time(19)),
        (PUB, at(FRI, 23, 30), True, time(2)),
        (PUB, at(SAT, 1, 30), True, time(2)),  # still Friday's evening
        (PUB, at(SAT, 2), False, time(19)),
        (PUB, at(SUN, 1), True, time(2)),  # Saturday's evening
        (PUB, at(SUN, 23, 59), True, time(0)),
        (PUB, at(MON, 0), False, None),  # "until 0:00" ends at midnight
        (KIOSK_SUNDAY_NIGHT, at(MON, 2, 59), True, time(3)),  # Sunday wraps to Monday
        (KIOSK_SUNDAY_NIGHT, at(MON, 3), False, None),
        ([], at(MON, 12), False, None),
    ],
)
def test_status_at(intervals, moment, is_open, changes_at):
    status = status_at(intervals, moment)
    assert status.is_open is is_open
    assert status.changes_at == changes_at


def test_weekly_table_lists_every_day_with_closed_days_empty():
    table = weekly_table(BAKERY)
    assert [day for day, _ in table] == list(range(7))
    monday = table[MON][1]
    assert [(i.opens, i.closes) for i in monday] == [(time(7), time(12, 30)), (time(14), time(18))]
    assert table[TUE][1] == []
    assert table[SUN][1] == []


@pytest.mark.django_db
def test_database_filter_agrees_with_status_at_every_quarter_hour(directory_page):
    from directory.hours import open_at_q
    from directory.models import MerchantOpeningHours

    from .factories import MerchantPageFactory

    schedules = {"bakery": BAKERY, "pub": PUB, "kiosk": KIOSK_SUNDAY_NIGHT, "closed": []}
    pages = {}
    for name, intervals in schedules.items():
        pages[name] = MerchantPageFactory(parent=directory_page, title=name)
        for i in intervals:
            MerchantOpeningHours.objects.create(
                page=pages[name], weekday=i.weekday, opens=i.opens, closes=i.closes
            )

    for weekday in DATES:
        for minutes in range(0, 24 * 60, 15):
            moment = at(weekday, minutes // 60, minutes % 60)
            in_db = set(
                MerchantOpeningHours.objects.filter(open_at_q(moment)).values_list(
                    "page__title", flat=True
                )
            )
            in_python = {n for n, iv in schedules.items() if status_at(iv, moment).is_open}
            assert in_db == in_python, moment
