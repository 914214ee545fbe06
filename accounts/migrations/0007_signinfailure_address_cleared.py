from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_drop_plaintext_tokens")]

    operations = [
        migrations.AddField(
            model_name="signinfailure",
            name="address_cleared",
            field=models.BooleanField(default=False),
        ),
    ]
