"""What an editor checks before handing a listed page to someone who claims it: the claimant's
contact details beside those the page already lists, and which of them agree. A page comes with
its income and redemptions, so the editor should call the listed number, not the claimant's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from core.folding import fold

from .models import MerchantPage, Registration


@dataclass(frozen=True)
class Evidence:
    label: str
    claimed: str
    listed: str
    agrees: bool | None  # None: nothing listed to compare with
    link: str = ""  # to call, write to or open what the page lists


def _phone_digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+"):
        digits = "0" + digits[2:] if digits.startswith("49") else "00" + digits
    elif digits.startswith("0049"):
        digits = "0" + digits[4:]
    return digits


def _host(url: str) -> str:
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    return host.removeprefix("www.")


def _compare(claimed: str, listed: str, same) -> bool | None:
    if not listed:
        return None
    return bool(claimed) and same(claimed, listed)


def claim_evidence(registration: Registration, page: MerchantPage) -> list[Evidence]:
    email_domain = registration.email.rpartition("@")[2].lower()
    return [
        Evidence(
            _("Phone"),
            registration.phone,
            page.phone,
            _compare(
                registration.phone, page.phone, lambda a, b: _phone_digits(a) == _phone_digits(b)
            ),
            f"tel:{_phone_digits(page.phone)}",
        ),
        Evidence(
            _("E-mail"),
            registration.email,
            page.email,
            _compare(registration.email, page.email, lambda a, b: a.lower() == b.lower()),
            f"mailto:{page.email}",
        ),
        Evidence(
            _("Website"),
            f"@{email_domain}",
            page.website,
            # An address at the listed website's own domain is a good sign, a freemail one none.
            _compare(email_domain, page.website, lambda domain, url: domain == _host(url)),
            page.website if page.website.startswith(("https://", "http://")) else "",
        ),
        Evidence(
            _("Address"),
            registration.address_line,
            page.address_line,
            _compare(
                registration.address_line,
                page.address_line,
                lambda a, b: _address_key(a) == _address_key(b),
            ),
        ),
    ]


def _address_key(address: str) -> str:
    folded = fold(address).replace("strasse", "str")  # fold() already dropped the dots
    return re.sub(r"[^a-z0-9]", "", folded)
