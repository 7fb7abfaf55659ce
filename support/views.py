"""Checkout: choose an amount, say who you are, pay, get thanked (work in progress)."""

from django.http import HttpResponse


def checkout(request, page_id, kind):
    return HttpResponse(status=501)


def order_status(request, reference):
    return HttpResponse(status=501)


def pay(request, reference):
    return HttpResponse(status=501)


def demo_payment(request, reference):
    return HttpResponse(status=501)
