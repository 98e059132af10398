from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    name = "forum.boards"
    label = "boards"
    verbose_name = _("Boards")

    def ready(self) -> None:
        from forum.boards import receivers  # noqa: F401  (connects signal receivers)
