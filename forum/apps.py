from django.apps import AppConfig
from django.conf import settings


class ForumConfig(AppConfig):
    """The site package: shared template tags, site-wide commands and periodic jobs."""

    name = "forum"
    label = "forum"
    verbose_name = "Agora"

    def ready(self) -> None:
        if settings.AGORA_INPROCESS_JOBS:
            from django.core.signals import request_started

            from forum.jobs import start_in_process

            request_started.connect(start_in_process)
