"""The review step of merchants' changes ("Profil prüfen und freigeben")."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask


class MerchantReviewTask(GroupApprovalTask):
    """Wagtail's group approval, except that the page stays editable for its merchant while it
    waits: GroupApprovalTask locks it against everybody outside the reviewers' groups, so a
    merchant who spotted a typo after submitting could change nothing for days. The review
    carries on; approving publishes the latest version, which the reviewer sees."""

    def locked_for_user(self, obj, user):
        return False

    class Meta:
        verbose_name = _("merchant profile review")
        verbose_name_plural = _("merchant profile reviews")
