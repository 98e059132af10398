"""Signal receivers of the accounts app, connected in AccountsConfig.ready."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.backends import invalidate_permissions
from accounts.models import User
from accounts.verification import forget_verified_email


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
def permissions_changed(**kwargs: Any) -> None:
    invalidate_permissions()


@receiver(post_save, sender=Group)
@receiver(post_delete, sender=Group)
@receiver(post_save, sender=Permission)
@receiver(post_delete, sender=Permission)
def permission_rows_changed(**kwargs: Any) -> None:
    invalidate_permissions()


@receiver(post_save, sender=EmailAddress)
@receiver(post_delete, sender=EmailAddress)
def email_address_changed(instance: EmailAddress, **kwargs: Any) -> None:
    forget_verified_email(instance.user_id)
