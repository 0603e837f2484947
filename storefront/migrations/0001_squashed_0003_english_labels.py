"""storefront from scratch: legal pages (seeded from `storefront/legal_texts/`) and contact messages."""

import django.utils.timezone
import lumira.encryption
from django.db import migrations, models


def seed(apps, schema_editor):
    from storefront.legal_content import seed_legal_pages

    seed_legal_pages(apps.get_model("storefront", "LegalPage"))


class Migration(migrations.Migration):

    replaces = [
        ("storefront", "0001_legal_pages_and_contact_messages"), ("storefront", "0002_seed_legal_pages"),
        ("storefront", "0003_english_labels"),
    ]

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='ContactMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', lumira.encryption.EncryptedTextField(verbose_name='name')),
                ('email', lumira.encryption.EncryptedEmailField(max_length=254, verbose_name='e-mail')),
                ('subject', models.CharField(choices=[('order', 'An order'), ('reading', 'A reading'), ('withdrawal', 'Withdrawal or refund'), ('personal_data', 'My personal data'), ('other', 'Another question')], max_length=40, verbose_name='subject')),
                ('message', lumira.encryption.EncryptedTextField(verbose_name='message')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='received on')),
                ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='forwarded on')),
            ],
            options={'verbose_name': 'contact message', 'verbose_name_plural': 'contact messages', 'ordering': ('-created_at',)},
        ),
        migrations.CreateModel(
            name='LegalPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(help_text='Part of the URL: do not change (footer links).', unique=True, verbose_name='address')),
                ('title', models.CharField(max_length=150, verbose_name='title')),
                ('description', models.CharField(help_text='A one-sentence summary (search engines and link previews).', max_length=300, verbose_name='description')),
                ('body', models.TextField(help_text="Paragraphs separated by a blank line; “## ” at the start of a line for a subheading, “- ” for a list. [[LEGAL_ADDRESS]] and the other [[LEGAL_…]] are replaced by the site's settings.", verbose_name='text')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={'verbose_name': 'legal page', 'verbose_name_plural': 'legal pages', 'ordering': ('title',)},
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
