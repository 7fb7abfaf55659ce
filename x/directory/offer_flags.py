"""What residents can do for a merchant, as the map, the list and search filter on it.

The directory knows no offer kinds itself: apps that sell or collect something register a flag
here (support registers voucher, donation and campaign in support/contributions.py), and the
filters, the map feed, the list, search and the templates read the registry:

    from directory import offer_flags

    offer_flags.register(
        "voucher",                      # the value in ?offers=voucher and in the feed's "offers"
        label=_("Sells vouchers"),      # the filter's checkbox
        badge=_("Vouchers"),            # the badge on list and search results
        field="has_voucher_offer",      # a BooleanField of MerchantPage the app keeps in step
    )

A registering app may also say how to prepare a first offer of its kind, for a merchant who
ticked it when registering (approval calls it on the merchant's draft, which the editors review
before anything goes online):

    offer_flags.register_preparer("voucher", prepare_voucher_offer)  # fn(page) -> changed?

Storage: each flag is a boolean column of MerchantPage, kept up to date by the registering app
(support sets them from its offers in support/signals.py). Columns keep the map feed and search
at one indexed read per merchant; outside the model, only the registering app names them.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import models

_flags: dict[str, "OfferFlag"] = {}
_preparers: dict[str, Callable] = {}
_version = 0


@dataclass(frozen=True)
class OfferFlag:
    key: str  # URL and JSON value: ?offers=<key>, "offers": [<key>, ...]
    label: str  # the filter's checkbox label ("Sells vouchers")
    badge: str  # the short badge on result lists ("Vouchers")
    field: str  # the BooleanField of MerchantPage that says a merchant has it
    demo_share: float  # the share of generated benchmark merchants that get it (generate.py)


def register(
    key: str, *, label: str, field: str, badge: str | None = None, demo_share: float = 0.1
) -> OfferFlag:
    """Add an offer kind (in the order registered). Registering the same flag again is a no-op;
    a different flag under a taken key raises ValueError."""
    from .models import MerchantPage

    if not key or not key.replace("-", "").replace("_", "").isalnum() or key != key.lower():
        raise ValueError(f"Offer key {key!r}: lower-case letters, digits, - and _ only.")
    model_field = MerchantPage._meta.get_field(field)  # FieldDoesNotExist names the typo
    if not isinstance(model_field, models.BooleanField):
        raise ValueError(f"MerchantPage.{field} is not a BooleanField.")
    flag = OfferFlag(key, label, badge or label, field, demo_share)
    existing = _flags.get(key)
    if existing is not None and existing != flag:
        raise ValueError(f"Offer flag {key!r} is registered already, as {existing}.")
    if existing is None:
        global _version
        _flags[key] = flag
        _version += 1
    return flag


def unregister(key: str) -> None:
    global _version
    _preparers.pop(key, None)
    if _flags.pop(key, None) is not None:
        _version += 1


def register_preparer(key: str, prepare: Callable) -> None:
    """`prepare(page)` adds a first, sensibly defaulted offer of the flag's kind to a merchant's
    page in memory (the caller saves it as a draft revision) and returns whether it changed
    anything; it leaves a kind the page has already alone. Raises KeyError for an unknown key."""
    get(key)
    _preparers[key] = prepare


def prepare(page, keys) -> bool:
    """Prepare the offers `keys` on `page` (a MerchantPage draft, not saved); True if any was
    added. Keys without a preparer (or no longer registered) are skipped."""
    changed = False
    for key in keys:
        preparer = _preparers.get(key) if key in _flags else None
        if preparer is not None:
            changed = bool(preparer(page)) or changed
    return changed


def all() -> list[OfferFlag]:  # read as offer_flags.all(); shadows the builtin here only
    return list(_flags.values())


def keys() -> list[str]:
    return list(_flags)


def get(key: str) -> OfferFlag:
    """Raises KeyError for an unknown key."""
    return _flags[key]


def fields() -> list[str]:
    """The MerchantPage columns of every flag, in registry order (for values_list)."""
    return [flag.field for flag in _flags.values()]


def version() -> int:
    """Changes whenever a flag is registered or removed: part of every cache key that holds
    offers (the map feed, search's listing)."""
    return _version


def offers_of(merchant) -> list[str]:
    """The keys of the flags `merchant` (a MerchantPage) has, in registry order."""
    return [flag.key for flag in _flags.values() if getattr(merchant, flag.field)]


def badges_of(merchant) -> list[str]:
    return [flag.badge for flag in _flags.values() if getattr(merchant, flag.field)]


@contextmanager
def registered(key: str, **kwargs) -> Iterator[OfferFlag]:
    """A flag for the duration of a block (tests); removed afterwards unless it was there."""
    was_there = key in _flags
    flag = register(key, **kwargs)
    try:
        yield flag
    finally:
        if not was_there:
            unregister(key)
