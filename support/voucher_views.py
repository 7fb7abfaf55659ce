"""The public voucher balance page (placeholder)."""

from django.http import HttpResponse


def voucher_balance(request):
    return HttpResponse(status=501)
