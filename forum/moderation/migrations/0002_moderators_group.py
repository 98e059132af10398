"""Create the "Moderators" group with exactly the permissions moderation needs.

Administrators are superusers and need no group. Permissions are normally
created after ``migrate`` finishes; they are created here first so that the
group can be given them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Moderators"

PERMISSIONS = [
    # Read every forum, moderators-only ones included.
    ("boards", "read_any_forum"),
    # Topics: see them in the admin; lock, pin, hide, move and merge.
    ("threads", "view_topic"),
    ("threads", "lock_topic"),
    ("threads", "pin_topic"),
    ("threads", "hide_topic"),
    ("threads", "move_topic"),
    # Posts: see them and their revisions; hide and edit any post.
    ("posts", "view_post"),
    ("posts", "hide_post"),
    ("posts", "edit_any_post"),
    ("posts", "view_postrevision"),
    # Members: look them up, ban and unban; set their own title.
    ("accounts", "view_user"),
    ("accounts", "change_own_title"),
    ("moderation", "ban_member"),
    # The approval queue, reports and the log.
    ("moderation", "approve_post"),
    ("moderation", "view_report"),
    ("moderation", "change_report"),
    ("moderation", "view_moderationaction"),
]


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # create_permissions() skips apps without a models module, which is
        # every app of the migration state; put the value back afterwards.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_reports_and_log"),
        ("accounts", "0002_member_title_permission"),
        ("boards", "0001_categories_and_forums"),
        ("threads", "0002_topic_pending"),
        ("posts", "0004_post_pending"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
