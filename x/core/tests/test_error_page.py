"""The 500 page keeps its look under the Content-Security-Policy: its inline style is allowed
by its hash (core/errors.py), as the city's colours are on every other page."""

import base64
import hashlib
import re

import pytest
from django.test import Client
from django.urls import path


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom)]
handler500 = "core.errors.server_error"


@pytest.mark.django_db  # the site and redirect middlewares look up the site
@pytest.mark.urls("core.tests.test_error_page")
def test_the_error_page_style_passes_the_policy():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    style_src = re.search(r"style-src ([^;]*)", response["Content-Security-Policy"]).group(1)
    assert f"'sha256-{digest}'" in style_src.split()
    assert "'unsafe-inline'" not in style_src
