from django.db import migrations


def keep_check_facts(apps, schema_editor):
    """Every use case submitted so far gets the check facts of its latest revision (later submissions write their own).

    The facts are built by the database from the revision's JSON, as the what-if builds them for a use case without.
    The service reads and writes only the columns this migration's state has (the use case's id, revision count and
    facts; the revision's use case, number and JSON).
    """
    from riskboundaries.services import check_facts_refresh

    check_facts_refresh()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0013_usecase_check_facts"),
        ("riskboundaries", "0002_re_review_run"),
    ]

    operations = [migrations.RunPython(keep_check_facts, migrations.RunPython.noop)]
