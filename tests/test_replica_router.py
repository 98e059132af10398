"""The database router, on two real PostgreSQL databases of the local server.

The "replica" is a second database migrated like the primary. The tests copy
rows into it and then make the two differ (a topic titled differently, a
reply only the primary has, as if replication lagged), so every assertion
shows which database a query actually read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client

from forum.db_router import PIN_COOKIE, PrimaryReplicaRouter, replica_reads
from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import UserFactory, make_topic

REPLICA = "replica_0"


def _maintenance(settings_dict: dict[str, Any]) -> psycopg.Connection:
    return psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture(scope="module")
def replica_database(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """A second, migrated PostgreSQL database, configured as replica_0 for this module."""
    with django_db_blocker.unblock():
        primary = connections["default"].settings_dict
        if primary["ENGINE"] != "django.db.backends.postgresql":
            pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")
        replica = {**primary, "NAME": f"{primary['NAME']}_replica"}
        with _maintenance(primary) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{replica["NAME"]}"')
            admin.execute(f'CREATE DATABASE "{replica["NAME"]}"')
        # DATABASES and connections.settings are one dict.
        connections.settings[REPLICA] = replica
        try:
            call_command("migrate", database=REPLICA, verbosity=0)
            yield REPLICA
        finally:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
            with _maintenance(primary) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{replica["NAME"]}" WITH (FORCE)')


@pytest.fixture
def replica(replica_database: str, settings: Any) -> str:
    """The router installed, for this test (the test case empties both databases after)."""
    settings.DATABASE_ROUTERS = ["forum.db_router.PrimaryReplicaRouter"]
    return replica_database


pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


def _replicate(*querysets: Any) -> None:
    """Copy rows from the primary to the replica (what streaming replication does)."""
    for queryset in querysets:
        rows = list(queryset.using("default"))
        for item in serializers.deserialize("json", serializers.serialize("json", rows)):
            item.save(using=REPLICA)


def _replicated_topic(member: Any) -> Topic:
    topic = make_topic(title="The title on the primary")
    _replicate(
        type(member).objects.all(),
        type(topic.forum.category).objects.all(),
        type(topic.forum).objects.all(),
        Topic.objects.all(),
        Post.objects.all(),
    )
    # The replica lags: it still has the topic's former title.
    Topic.objects.using(REPLICA).filter(pk=topic.pk).update(title="The title on the replica")
    return topic


def test_guest_reads_go_to_the_replica_and_writes_to_the_primary(replica):
    member = UserFactory()
    topic = _replicated_topic(member)
    page = Client().get(topic.get_absolute_url())
    assert page.status_code == 200
    assert "The title on the replica" in page.content.decode()

    client = Client()
    client.force_login(member)
    _replicate(Session.objects.all())
    response = client.post(f"{topic.get_absolute_url()}reply/", {"body": "Fresh reply."})
    assert response.status_code == 302
    # The write went to the primary only.
    assert Post.objects.using("default").filter(body="Fresh reply.").exists()
    assert not Post.objects.using(REPLICA).filter(body="Fresh reply.").exists()

    # The writer is pinned to the primary for a while: it sees its own reply.
    assert response.cookies[PIN_COOKIE]["max-age"] == 15
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "The title on the primary" in html and "Fresh reply." in html

    # Everyone else reads the (lagging) replica.
    html = Client().get(topic.get_absolute_url()).content.decode()
    assert "The title on the replica" in html and "Fresh reply." not in html


def test_reads_after_a_write_in_the_same_request_stay_on_the_primary(replica):
    topic = _replicated_topic(UserFactory())
    with replica_reads():
        assert Topic.objects.get(pk=topic.pk).title == "The title on the replica"
        Topic.objects.filter(pk=topic.pk).update(views=5)  # a write pins what follows
        assert Topic.objects.get(pk=topic.pk).title == "The title on the primary"
    assert Topic.objects.using(REPLICA).get(pk=topic.pk).views == 0


def test_reads_inside_a_transaction_stay_on_the_primary(replica):
    topic = _replicated_topic(UserFactory())
    with replica_reads():
        with transaction.atomic():
            assert Topic.objects.get(pk=topic.pk).title == "The title on the primary"
        assert Topic.objects.get(pk=topic.pk).title == "The title on the replica"


def test_workers_and_commands_read_the_primary(replica):
    # Outside a safe request nothing allows replica reads: a task reads what
    # the request that enqueued it has just written.
    topic = _replicated_topic(UserFactory())
    assert Topic.objects.get(pk=topic.pk).title == "The title on the primary"


def test_nothing_is_migrated_on_a_replica(replica):
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "threads")
    assert not router.allow_migrate(REPLICA, "threads")
