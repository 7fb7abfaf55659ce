"""Moderators manage the merchants' payout accounts, which decide where the money goes;
Editors and merchants never get these rights."""

from payments.rights import grant_group_rights

PAYOUT_RIGHTS = {
    "Moderators": [f"{action}_payoutaccount" for action in ("add", "change", "delete", "view")]
}


def grant_payout_rights() -> None:
    grant_group_rights("payments_stripe", PAYOUT_RIGHTS)
