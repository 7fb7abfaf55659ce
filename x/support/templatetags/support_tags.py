from django import template

register = template.Library()

# The merchant page's offers and the home page's city total are panels now, contributed
# through the directory's and the pages' hooks (support/contributions.py).
