from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReactionsConfig(AppConfig):
    name = "forum.reactions"
    label = "reactions"
    verbose_name = _("Reactions")

    def ready(self) -> None:
        from forum.reactions import receivers  # noqa: F401  (connects signal receivers)
