"""Template tags of the merchant's page: the actions other apps offer under the name."""

from django import template
from wagtail import hooks

from ..hooks import MERCHANT_PAGE_ACTIONS, MerchantAction

register = template.Library()


@register.simple_tag(takes_context=True)
def merchant_page_actions(context, page) -> list[MerchantAction]:
    """{% merchant_page_actions page as actions %}: the buttons other apps offer under a
    merchant's name (the merchant_page_actions hook, see directory/hooks.py), in hook order."""
    request = context.get("request")
    actions = []
    for actions_for in hooks.get_hooks(MERCHANT_PAGE_ACTIONS):
        actions.extend(actions_for(page, request) or ())
    return actions
