"""What the money core sells without knowing it: product kinds that apps register (support's
voucher, donation and campaign; later tickets and shop orders), and report groupings they add
to the editors' report. Registered in the seller's AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Order


def _always(order: Order) -> bool:
    return True


def _whole(order: Order, left: int, *, lock: bool = False) -> tuple[int, str]:
    return left, ""


def _nothing(order: Order) -> None:
    return None


def _generic_thanks(order: Order) -> str:
    return str(_("Thank you! A confirmation is on its way to your mailbox."))


@dataclass(frozen=True)
class ProductKind:
    """One kind of thing the portal sells, and the money core's calls back to its seller.

    - fulfil(order): issue what was bought (a voucher, a ticket), inside the transaction that
      books the payment, exactly once. Mails go out with transaction.on_commit.
    - in_stock(order): whether money arriving now may still fulfil the order; called under the
      order's row lock (lock the stock's row here: it serialises buyers of one offer).
    - refundable(order, left, lock=...): of `left` cents still refundable of the payment, how
      much may be refunded, and why not more (a redeemed voucher was spent). With lock=True it
      is called under the order's row lock before a refund: lock the seller's rows here.
    - thanks(order): the line the buyer reads on the paid order's page.
    """

    name: str
    label: str
    fulfil: Callable[[Order], None] = _nothing
    in_stock: Callable[[Order], bool] = _always
    refundable: Callable[..., tuple[int, str]] = _whole
    thanks: Callable[[Order], str] = _generic_thanks


@dataclass(frozen=True)
class ReportGroup:
    """A section of the editors' report: ledger entries grouped by a lookup through the order
    (e.g. "order__support__campaign"), named by another, with an optional detail column."""

    key: str
    title: str
    key_field: str
    name_field: str
    detail_field: str | None = None


_kinds: dict[str, ProductKind] = {}
_report_groups: dict[str, ReportGroup] = {}


class UnknownKind(LookupError):
    pass


def register_kind(kind: ProductKind) -> ProductKind:
    """Add a product kind; registering the same name again replaces it (tests, reloads)."""
    _kinds[kind.name] = kind
    return kind


def unregister_kind(name: str) -> None:
    _kinds.pop(name, None)


def get_kind(name: str) -> ProductKind:
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownKind(name) from None


def kinds() -> list[ProductKind]:
    return list(_kinds.values())


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.name, kind.label) for kind in _kinds.values()]


def register_report_group(group: ReportGroup) -> ReportGroup:
    _report_groups[group.key] = group
    return group


def report_groups() -> list[ReportGroup]:
    return list(_report_groups.values())
