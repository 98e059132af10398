from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """Reports, the approval queue, bans and the moderation log."""

    default = True
    name = "forum.moderation"
    label = "moderation"
    verbose_name = _("Moderation")


class AgoraAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with Agora's site as the default one (``admin.site``)."""

    default = False
    default_site = "forum.moderation.admin_site.AgoraAdminSite"
