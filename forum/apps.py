from django.apps import AppConfig


class ForumConfig(AppConfig):
    """The site package: shared template tags and site-wide management commands."""

    name = "forum"
    label = "forum"
    verbose_name = "Agora"
