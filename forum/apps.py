from django.apps import AppConfig
from django.conf import settings


class ForumConfig(AppConfig):
    """The site package: shared template tags, site-wide commands and periodic jobs."""

    name = "forum"
    label = "forum"
    verbose_name = "Agora"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from forum import checks  # noqa: F401 (registers the deploy checks)

        post_migrate.connect(sync_site, dispatch_uid="agora-sync-site")
        if settings.AGORA_INPROCESS_JOBS:
            from django.core.signals import request_started

            from forum.jobs import start_in_process

            request_started.connect(start_in_process)


def sync_site(app_config: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Keep the sites framework's row (used in allauth's e-mails) in step with
    SITE_NAME and SITE_URL after every migrate."""
    from urllib.parse import urlsplit

    if app_config.label != "sites":
        return
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )
