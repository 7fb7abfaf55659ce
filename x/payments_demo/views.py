from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from payments.models import Payment

from .provider import DemoProvider


def demo_payment(request, reference):
    """The demo provider's test payment page: the buyer decides whether the payment succeeds."""
    try:
        DemoProvider()
    except ImproperlyConfigured:
        raise Http404 from None
    payment = get_object_or_404(
        Payment.objects.select_related("order__merchant"),
        provider=DemoProvider.name,
        reference=reference,
    )
    if request.method == "POST":
        DemoProvider.decide(reference, pay=request.POST.get("decision") == "pay")
        return redirect("payments:order", reference=payment.order.reference)
    return render(
        request, "payments_demo/demo_payment.html", {"payment": payment, "order": payment.order}
    )
