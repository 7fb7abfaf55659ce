"""OSM's `opening_hours` syntax turned into the merchant's weekly intervals (directory/hours.py).

opening-hours-py parses and evaluates the expression; we read its open intervals over four
reference weeks (one per season, no public holidays known to the library since no country is
given). Our structure is one week that repeats, so an expression converts exactly only if the
four weeks agree and it depends on nothing we cannot store: public or school holidays, sun
times, comments, "unknown". Otherwise the original text is kept as the hours note and a warning
tells why; the intervals are still filled where the weeks agree (e.g. "Mo-Fr 09:00-18:00;
PH off": the weekdays plus the note)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import opening_hours
from django.utils.translation import gettext as _

from ..hours import Interval

# Mondays of 2025 in January, April, July and October (2025-01-06 ...), one week each.
REFERENCE_WEEKS = [
    datetime(2025, 1, 6),
    datetime(2025, 4, 7),
    datetime(2025, 7, 7),
    datetime(2025, 10, 6),
]
UNSTORABLE = re.compile(r"\b(PH|SH)\b|\"")
SUN_TIMES = re.compile(r"\b(sunrise|sunset|dawn|dusk)\b", re.IGNORECASE)
MIDNIGHT = time(0)


@dataclass
class ParsedHours:
    intervals: list[Interval] = field(default_factory=list)
    note: str = ""  # the original expression, when it says more than the intervals
    warning: str = ""  # why, for the import report


def _week(expression, monday: datetime) -> tuple[list[tuple[int, time, time]], bool]:
    """Open pieces of one week, each within one day (closes MIDNIGHT = end of day), and whether
    any state was neither open nor closed (unknown) or carried a comment."""
    pieces, vague = [], False
    end_of_week = monday + timedelta(days=7)
    for start, end, state, comment in expression.intervals(monday, end_of_week):
        name = str(state).rsplit(".", 1)[-1].upper()
        if comment or name == "UNKNOWN":
            vague = True
        if name != "OPEN":
            continue
        while start < end:
            day_end = datetime.combine(start.date() + timedelta(days=1), MIDNIGHT)
            stop = min(end, day_end)
            pieces.append(
                (start.weekday(), start.time(), MIDNIGHT if stop == day_end else stop.time())
            )
            start = stop
    return pieces, vague


def _join_overnight(pieces: list[tuple[int, time, time]]) -> list[Interval]:
    """A piece open until midnight and the next day's piece from midnight become one
    overnight interval (Fr 18:00-02:00 is stored on Friday, as the admin stores it)."""
    by_start = {(day, opens): closes for day, opens, closes in pieces}
    used, intervals = set(), []
    for day, opens, closes in sorted(pieces):
        if (day, opens) in used:
            continue
        following = ((day + 1) % 7, MIDNIGHT)
        if (
            closes == MIDNIGHT
            and opens != MIDNIGHT
            and following in by_start
            and following not in used
            and by_start[following] != MIDNIGHT
            and by_start[following] <= opens
        ):
            closes = by_start[following]
            used.add(following)
        used.add((day, opens))
        intervals.append(Interval(day, opens, closes))
    return sorted(intervals, key=lambda i: (i.weekday, i.opens))


def parse_hours(text: str) -> ParsedHours:
    text = (text or "").strip()
    if not text:
        return ParsedHours()
    try:
        expression = opening_hours.OpeningHours(text)
    except (SyntaxError, ValueError, opening_hours.ParserError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return ParsedHours(
            note=text[:200],
            warning=_("Opening hours not understood, kept as a note: %(text)s (%(error)s)")
            % {"text": text, "error": first},
        )
    weeks, vague = [], False
    for monday in REFERENCE_WEEKS:
        pieces, unclear = _week(expression, monday)
        weeks.append(sorted(pieces))
        vague = vague or unclear
    agreed = [piece for piece in weeks[0] if all(piece in week for week in weeks[1:])]
    intervals = _join_overnight(agreed)
    reasons = []
    if any(week != weeks[0] for week in weeks[1:]):
        reasons.append(_("they change over the year"))
    if SUN_TIMES.search(text):
        # Without the place's coordinates the library assumes 07:00-19:00: not worth storing.
        intervals = []
        reasons.append(_("sun times"))
    if UNSTORABLE.search(text):
        reasons.append(_("holidays or comments"))
    elif vague:
        reasons.append(_("open on request or unknown"))
    if not reasons:
        return ParsedHours(intervals)
    return ParsedHours(
        intervals,
        note=text[:200],
        warning=_("Opening hours only partly structured (%(reasons)s), kept as a note: %(text)s")
        % {"reasons": ", ".join(reasons), "text": text},
    )
