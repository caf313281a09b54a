from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "signed in"),
                    ("login_failed", "sign-in failed"),
                    ("logout", "signed out"),
                    ("lockout", "locked out after failed sign-ins"),
                    ("password_change", "password changed"),
                    ("account_change", "account changed"),
                    ("role_change", "staff role changed"),
                    ("export", "personal data exported (Art. 15/20)"),
                    ("erasure", "personal data erased (Art. 17)"),
                    ("consent_change", "consent given or withdrawn"),
                    ("personal_data_viewed", "staff viewed personal data"),
                    ("disclosure", "personal data disclosed to a recipient"),
                    ("policy_change", "privacy policy changed"),
                    ("retention_sweep", "retention sweep ran"),
                    ("order_change", "order placed or its status changed"),
                ],
                max_length=32,
            ),
        ),
    ]
