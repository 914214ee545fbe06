"""Give every existing team its group and put its members in it."""

from django.db import migrations


def forward(apps, schema_editor):
    Team = apps.get_model("accounts", "Team")
    Group = apps.get_model("auth", "Group")
    for team in Team.objects.filter(group__isnull=True):
        team.group, _ = Group.objects.get_or_create(name=f"team:{team.slug}")
        team.save(update_fields=["group"])
        for user in team.members.all():
            user.groups.add(team.group)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_team_group")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
