"""Local development: debug on, a throwaway secret key unless one is given."""

import os

from core.hosts import SiteHosts

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-" + "x" * 32)
# Plus every configured city's hostname, read from its Site (core/hosts.py).
ALLOWED_HOSTS = SiteHosts(env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver"))
