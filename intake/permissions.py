"""Guardian grants on use cases. Only services call these, inside the transaction of the transition they belong to."""

from typing import Any

from django.contrib.auth.models import Group, Permission

from audit.services import audit_record
from intake import events
from intake.models import UseCase, UseCaseGroupObjectPermission, UseCaseUserObjectPermission

VIEW, CHANGE = "view_usecase", "change_usecase"


def _permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="intake", codename=codename)


def grant_user(*, actor: Any, use_case: UseCase, user: Any, codename: str) -> None:
    _, created = UseCaseUserObjectPermission.objects.get_or_create(
        user=user, permission=_permission(codename), content_object=use_case
    )
    if created:
        audit_record(
            actor=actor,
            action=events.PERMISSION_GRANTED,
            obj=use_case,
            payload={"to_user": user.get_username(), "permission": codename},
        )


def revoke_user(*, actor: Any, use_case: UseCase, user: Any, codename: str) -> None:
    deleted, _ = UseCaseUserObjectPermission.objects.filter(
        user=user, permission__codename=codename, content_object=use_case
    ).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=events.PERMISSION_REVOKED,
            obj=use_case,
            payload={"from_user": user.get_username(), "permission": codename},
        )


def grant_group(*, actor: Any, use_case: UseCase, group_name: str, codename: str) -> None:
    group, _ = Group.objects.get_or_create(name=group_name)
    _, created = UseCaseGroupObjectPermission.objects.get_or_create(
        group=group, permission=_permission(codename), content_object=use_case
    )
    if created:
        audit_record(
            actor=actor,
            action=events.PERMISSION_GRANTED,
            obj=use_case,
            payload={"to_group": group_name, "permission": codename},
        )
