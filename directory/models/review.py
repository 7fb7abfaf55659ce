"""The review step of merchants' changes ("Profil prüfen und freigeben")."""

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, Page

from core.cities import in_cities_of


class MerchantReviewTask(GroupApprovalTask):
    """Wagtail's group approval, with two changes. The page stays editable for its merchant
    while it waits: GroupApprovalTask locks it against everybody outside the reviewers' groups,
    so a merchant who spotted a typo after submitting could change nothing for days; the
    review carries on, and approving publishes the latest version, which the reviewer sees.
    And a reviewer reviews only in their own cities: a city's moderators (create_city adds
    their group) never see or approve another city's merchants; Wagtail's Moderators, whose
    rights start at the root, review in every city."""

    def locked_for_user(self, obj, user):
        return False

    def _reviews(self, obj, user) -> bool:
        if user.is_superuser:
            return True
        if not self._user_in_groups(user):
            return False
        return Page.objects.filter(in_cities_of(user), pk=obj.pk).exists()

    def user_can_access_editor(self, obj, user):
        return self._reviews(obj, user)

    def user_can_lock(self, obj, user):
        return self._reviews(obj, user)

    def get_actions(self, obj, user):
        return super().get_actions(obj, user) if self._reviews(obj, user) else []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states
        pages = Page.objects.filter(in_cities_of(user)).annotate(key=Cast("pk", CharField()))
        return states.filter(workflow_state__object_id__in=pages.values("key"))

    class Meta:
        verbose_name = _("merchant profile review")
        verbose_name_plural = _("merchant profile reviews")
