import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0002_cartitem'),
    ]

    operations = [
        migrations.AddField(
            model_name='returnrequest',
            name='reject_reason',
            field=models.CharField(blank=True, choices=[('not_returned', 'The items were not sent back within 14 days (BW 6:230t).'), ('period_expired', 'The 14-day withdrawal period had already ended.'), ('personalised', 'The items were made to your specification and cannot be returned (BW 6:230p).')], max_length=20),
        ),
        migrations.AddField(
            model_name='returnrequest',
            name='credit_note',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='return_requests', to='shop.invoice'),
        ),
    ]
