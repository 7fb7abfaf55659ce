"""Voucher codes: 20 characters from 32 that cannot be mistaken for each other (no 0/O, 1/I),
i.e. 100 random bits from the operating system's CSPRNG, printed in five groups of four. Only an
HMAC of the code is stored; a lookup compares digests, so it tells nothing about near misses."""

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 20
GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """'abcd-efgh ijkl' → 'ABCDEFGHIJKL': case, spaces and dashes never matter."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def printable(code: str) -> str:
    return " ".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def digest(code: str) -> str:
    # Keyed with the secret key: rotating it makes existing codes unreadable (see README).
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"voucher:" + normalise(code).encode(), hashlib.sha256).hexdigest()


def is_well_formed(code: str) -> bool:
    code = normalise(code)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)
