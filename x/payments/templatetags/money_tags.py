from django import template

from ..money import format_money

register = template.Library()


@register.filter
def money(cents, currency="EUR"):
    """{{ order.amount|money }} → '25 €' (German) — cents in, a person's figure out."""
    return format_money(cents, currency)
