"""Install the default reaction types; the admin manages them from then on."""

from django.db import migrations

DEFAULT_TYPES = [
    # (name, emoji, position, enabled, weight)
    ("Like", "❤️", 10, True, 1),
    ("Thanks", "🙏", 20, True, 1),
    ("Haha", "😂", 30, True, 1),
    ("Confused", "😕", 40, True, 0),
    ("Sad", "😢", 50, True, 0),
    ("Thumbs Up", "👍", 60, True, 1),
    ("Thumbs Down", "👎", 70, False, -1),
]


def install_default_types(apps, schema_editor):
    ReactionType = apps.get_model("reactions", "ReactionType")
    for name, emoji, position, enabled, weight in DEFAULT_TYPES:
        ReactionType.objects.get_or_create(
            name=name,
            defaults={"emoji": emoji, "position": position, "enabled": enabled, "weight": weight},
        )


def remove_default_types(apps, schema_editor):
    ReactionType = apps.get_model("reactions", "ReactionType")
    ReactionType.objects.filter(
        name__in=[name for name, *_ in DEFAULT_TYPES], reactions__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reactions", "0001_reaction_types_and_reactions")]

    operations = [migrations.RunPython(install_default_types, remove_default_types)]
