from .ledger import LedgerEntry
from .log import OrderLogEntry
from .orders import InvalidTransition, Order, Payment
from .refunds import Refund

__all__ = ["InvalidTransition", "LedgerEntry", "Order", "OrderLogEntry", "Payment", "Refund"]
