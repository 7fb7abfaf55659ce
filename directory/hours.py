"""Opening hours: is a merchant open at a given moment, and what to tell the visitor.

An interval whose closing time is not after its opening time runs past midnight into the next
day (a pub open 18:00-02:00 is stored on the day it opens). A weekday without intervals is closed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from .choices import Weekday


@dataclass(frozen=True)
class Interval:
    weekday: int
    opens: time
    closes: time

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens


@dataclass(frozen=True)
class Status:
    is_open: bool
    changes_at: time | None  # closing time when open, next opening today when closed


def intervals_of(rows: Iterable) -> list[Interval]:
    return sorted(
        (Interval(row.weekday, row.opens, row.closes) for row in rows),
        key=lambda i: (i.weekday, i.opens),
    )


def status_at(intervals: Iterable[Interval], moment: datetime) -> Status:
    now, today = moment.time(), moment.weekday()
    yesterday = (today - 1) % 7
    later_today = []
    for interval in intervals:
        if interval.weekday == today:
            if now >= interval.opens and (interval.overnight or now < interval.closes):
                return Status(True, interval.closes)
            if now < interval.opens:
                later_today.append(interval.opens)
        elif interval.weekday == yesterday and interval.overnight and now < interval.closes:
            return Status(True, interval.closes)
    return Status(False, min(later_today) if later_today else None)


def weekly_table(intervals: Iterable[Interval]) -> list[tuple[Weekday, list[Interval]]]:
    """One row per weekday, Monday first, with that day's intervals (empty: closed)."""
    by_day: dict[int, list[Interval]] = {day: [] for day in Weekday.values}
    for interval in intervals:
        by_day[interval.weekday].append(interval)
    return [(Weekday(day), sorted(rows, key=lambda i: i.opens)) for day, rows in by_day.items()]


def open_at_q(moment: datetime):
    """The database version of status_at() for MerchantOpeningHours rows open at `moment`.

    Mirrors status_at() exactly (a test checks that both agree), so the map filter and the badge
    on the merchant page never disagree. Use it on the opening-hours table itself, e.g.
    MerchantOpeningHours.objects.filter(open_at_q(now)).values("page_id").
    """
    from django.db.models import F, Q

    now, today = moment.time(), moment.weekday()
    yesterday = (today - 1) % 7
    overnight = Q(closes__lte=F("opens"))
    started_today = Q(weekday=today, opens__lte=now) & (overnight | Q(closes__gt=now))
    from_yesterday = Q(weekday=yesterday, closes__gt=now) & overnight
    return started_today | from_yesterday


OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def _osm_time(moment: time, closing: bool = False) -> str:
    if closing and moment == time(0, 0):
        return "24:00"  # OSM's end of the day
    return moment.strftime("%H:%M")


def osm_syntax(intervals: Iterable[Interval]) -> str:
    """The week in OpenStreetMap's opening_hours syntax: "Mo-Fr 09:00-18:00; Sa 10:00-14:00".
    Days with the same hours in a row share a rule; a day not named is closed (as in OSM); an
    overnight interval ends after midnight ("Fr 18:00-02:00"). No intervals at all: "" (the
    hours are not known, which is not the same as closed)."""
    table = weekly_table(intervals)
    spans = [
        ",".join(f"{_osm_time(i.opens)}-{_osm_time(i.closes, closing=True)}" for i in rows)
        for _day, rows in table
    ]
    rules: list[str] = []
    start = 0
    for day in range(1, 8):
        if day < 7 and spans[day] == spans[start]:
            continue
        if spans[start]:
            end = day - 1
            days = OSM_DAYS[start] if end == start else f"{OSM_DAYS[start]}-{OSM_DAYS[end]}"
            rules.append(f"{days} {spans[start]}")
        start = day
    return "; ".join(rules)
