"""The Wagtail hooks through which the apps that sell add their part to a buyer's data: the money
core knows orders, payments and refunds; what was bought (a voucher and its recipient, a message
on a supporter wall) is the seller's, and privacy never imports a seller.

BUYER_DATA_EXPORT: fn(email, orders) -> {section: list}: what the app holds of these orders
(the buyer's, by e-mail) and anything else under that address (a gift voucher received).

BUYER_DATA_ERASE: fn(orders, email) -> None: replace the personal details the app holds of these
orders (names, addresses, messages) and, with an e-mail address (None in the retention rule),
those it holds under that address elsewhere. Amounts, dates and references stay; what was
bought stays usable (a voucher keeps its value and code).

BUYER_DATA_RETAINED: fn(orders) -> iterable of order ids that still need their buyer (a voucher
with money left on it): the retention rule leaves them until they do not.
"""

BUYER_DATA_EXPORT = "buyer_data_export"
BUYER_DATA_ERASE = "buyer_data_erase"
BUYER_DATA_RETAINED = "buyer_data_retained"
