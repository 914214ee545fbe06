"""Guardian grants on use cases. Only services call these, inside the transaction of the transition they belong to,
holding the use case's row lock (so two grants on one use case never race).

Grants are written in bulk: one read of the permissions, one read of what is already granted and one insert per
table, whatever the number of grants; each new grant is audited.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from audit.services import audit_record
from intake import events
from intake.models import UseCase, UseCaseGroupObjectPermission, UseCaseUserObjectPermission

VIEW, CHANGE = "view_usecase", "change_usecase"


def _permission_ids(codenames: Iterable[str]) -> dict[str, int]:
    wanted = set(codenames)
    content_type = ContentType.objects.get_for_model(UseCase)  # cached by Django after the first call
    found = dict(
        Permission.objects.filter(content_type=content_type, codename__in=wanted).values_list(
            "codename", "pk"
        )
    )
    missing = wanted - found.keys()
    if missing:
        raise LookupError(f"Unknown use-case permissions: {sorted(missing)}")
    return found


def _groups(names: Iterable[str]) -> dict[str, Group]:
    wanted = set(names)
    found = {group.name: group for group in Group.objects.filter(name__in=wanted)}
    for name in wanted - found.keys():  # only on a fresh database: the role groups are made by a migration
        found[name] = Group.objects.get_or_create(name=name)[0]
    return found


def grant(
    *,
    actor: Any,
    use_case: UseCase,
    users: Iterable[tuple[Any, str]] = (),
    groups: Iterable[tuple[Group | str, str]] = (),
    new_use_case: bool = False,
) -> None:
    """Give each (user, codename) and each (group or group name, codename) on ``use_case``, auditing each new grant.

    ``new_use_case`` says the use case was created in this transaction, so nothing is granted on it yet.
    """
    users, groups = list(users), list(groups)
    if not users and not groups:
        return
    permission_ids = _permission_ids(codename for _, codename in [*users, *groups])
    by_name = _groups(g for g, _ in groups if isinstance(g, str))
    groups = [(by_name[g] if isinstance(g, str) else g, codename) for g, codename in groups]

    def missing(model: type, rows: list[tuple[Any, str]], holder: str) -> list[tuple[Any, str]]:
        if new_use_case or not rows:
            return rows
        held = set(
            model.objects.filter(
                content_object=use_case, **{f"{holder}__in": {h.pk for h, _ in rows}}
            ).values_list(f"{holder}_id", "permission_id")
        )
        return [(h, codename) for h, codename in rows if (h.pk, permission_ids[codename]) not in held]

    new_users = list(dict.fromkeys(missing(UseCaseUserObjectPermission, users, "user")))
    new_groups = list(dict.fromkeys(missing(UseCaseGroupObjectPermission, groups, "group")))
    if new_users:
        UseCaseUserObjectPermission.objects.bulk_create(
            UseCaseUserObjectPermission(user=u, permission_id=permission_ids[c], content_object=use_case)
            for u, c in new_users
        )
    if new_groups:
        UseCaseGroupObjectPermission.objects.bulk_create(
            UseCaseGroupObjectPermission(group=g, permission_id=permission_ids[c], content_object=use_case)
            for g, c in new_groups
        )
    for user, codename in new_users:
        audit_record(
            actor=actor,
            action=events.PERMISSION_GRANTED,
            obj=use_case,
            payload={"to_user": user.get_username(), "permission": codename},
        )
    for group, codename in new_groups:
        audit_record(
            actor=actor,
            action=events.PERMISSION_GRANTED,
            obj=use_case,
            payload={"to_group": group.name, "permission": codename},
        )


def grant_user(*, actor: Any, use_case: UseCase, user: Any, codename: str) -> None:
    grant(actor=actor, use_case=use_case, users=[(user, codename)])


def grant_group(*, actor: Any, use_case: UseCase, group_name: str, codename: str) -> None:
    grant(actor=actor, use_case=use_case, groups=[(group_name, codename)])


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
