"""Who moderates supporter walls besides the merchant: Wagtail's Editors and Moderators, for the
merchants of their city (the page tree they may change). Migration 0002 grants it on an install;
seed_demo_offers and tests grant it again after a flush (which empties groups' permissions)."""

from payments.rights import grant_group_rights

WALL_PERMISSION = "support.moderate_supporter_wall"
WALL_RIGHTS = {"Editors": ["moderate_supporter_wall"], "Moderators": ["moderate_supporter_wall"]}


def grant_wall_rights() -> None:
    grant_group_rights("support", WALL_RIGHTS)
