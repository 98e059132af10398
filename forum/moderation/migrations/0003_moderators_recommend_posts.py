"""Let the "Moderators" group recommend posts (the Recommended Posts block)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Moderators"
PERMISSIONS = [("posts", "recommend_post"), ("posts", "view_recommendedpost")]


def add_permissions(apps, schema_editor):
    posts = apps.get_app_config("posts")
    # create_permissions() skips apps without a models module, as every app of
    # the migration state is; put the value back afterwards.
    models_module = getattr(posts, "models_module", None)
    posts.models_module = True
    create_permissions(posts, apps=apps, verbosity=0)
    posts.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    group.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label="posts", codename__in=[c for _, c in PERMISSIONS]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_moderators_group"),
        ("posts", "0005_recommended_post"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
