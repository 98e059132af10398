from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.posts.models import Post


class SearchDocument(models.Model):
    """The searchable words of one post, kept beside it by ``forum.search.indexing``.

    ``text`` is the post's rendered text without markup; ``title`` holds the
    topic's title on the topic's first post only, so a title search finds the
    topic once. On PostgreSQL ``vector`` stores both as a tsvector (title
    weighted above text) behind a GIN index, created by migration 0002 on
    PostgreSQL only; on SQLite it stays empty and ``text`` is matched directly.

    The document is a table of its own, not columns on ``Post``, so the topic
    page's query never reads the text twice. Who may see a result is decided
    at query time from the post, its topic and its forum, so hiding or moving
    content never has to touch this table.
    """

    post = models.OneToOneField(
        Post,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=_("post"),
    )
    title = models.CharField(
        _("topic title"), max_length=settings.AGORA_TOPIC_TITLE_MAX_LENGTH, blank=True
    )
    text = models.TextField(_("text"), blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return _("Search document of post %(post)s") % {"post": self.post_id}
