"""An order moves only along its transition table; everything else is a bug or a replay."""

import pytest

from payments.models import InvalidTransition, Order

S = Order.Status


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        (S.PENDING, {S.PAID, S.FAILED, S.CANCELLED}),
        (S.FAILED, {S.PENDING, S.PAID, S.CANCELLED}),
        (S.PAID, {S.REFUNDED, S.PARTIALLY_REFUNDED}),
        (S.PARTIALLY_REFUNDED, {S.REFUNDED, S.PARTIALLY_REFUNDED}),
        (S.REFUNDED, set()),
        (S.CANCELLED, set()),
    ],
)
def test_state_machine(start, allowed):
    for target in S:
        order = Order(status=start)
        if target in allowed:
            order.transition(target)
            assert order.status == target
        else:
            with pytest.raises(InvalidTransition):
                order.transition(target)
