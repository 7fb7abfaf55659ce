from wagtail import hooks

from . import buyer_data  # noqa: F401 - registers the queue's part of buyers' data rights
from .admin import MailViewSet


@hooks.register("register_admin_viewset")
def register_mails():
    """Editors' list of e-mails, failed ones with a button to send them again."""
    return MailViewSet()
