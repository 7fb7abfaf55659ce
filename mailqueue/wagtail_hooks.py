from wagtail import hooks

from .admin import MailViewSet


@hooks.register("register_admin_viewset")
def register_mails():
    """Editors' list of e-mails, failed ones with a button to send them again."""
    return MailViewSet()
