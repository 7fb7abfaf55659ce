"""One settings object per city and districts per city.

The map's centre, zoom and tiles move from directory.MapSettings into pages.CitySettings (values
copied, then MapSettings dropped). Each district belongs to the site whose CitySettings names its
old free-text city, else to the default site; its name and slug are unique within that city only.
"""

import django.db.models.deletion
from django.db import migrations, models

MAP_FIELDS = ("latitude", "longitude", "zoom", "tile_url", "tile_attribution")


def copy_map_settings(apps, schema_editor):
    MapSettings = apps.get_model("directory", "MapSettings")
    CitySettings = apps.get_model("pages", "CitySettings")
    for old in MapSettings.objects.all():
        city, _created = CitySettings.objects.get_or_create(site_id=old.site_id)
        for name in MAP_FIELDS:
            setattr(city, name, getattr(old, name))
        city.save()


def districts_to_sites(apps, schema_editor):
    District = apps.get_model("directory", "District")
    Site = apps.get_model("wagtailcore", "Site")
    CitySettings = apps.get_model("pages", "CitySettings")
    by_name = {c.city_name.casefold(): c.site_id for c in CitySettings.objects.all()}
    default = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    for district in District.objects.all():
        site_id = by_name.get(district.city.casefold(), default.id if default else None)
        if site_id is None:  # no site at all: a district of no city cannot be shown anywhere
            district.delete()
        else:
            District.objects.filter(pk=district.pk).update(site_id=site_id)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_merchant_category_box_index"),
        ("pages", "0004_city_settings_map_logo_licence"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(copy_map_settings, migrations.RunPython.noop),
        migrations.DeleteModel(name="MapSettings"),
        migrations.AddField(
            model_name="district",
            name="site",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="districts",
                to="wagtailcore.site",
                verbose_name="city",
            ),
        ),
        migrations.RunPython(districts_to_sites, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="district",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="districts",
                to="wagtailcore.site",
                verbose_name="city",
            ),
        ),
        migrations.RemoveField(model_name="district", name="city"),
        migrations.AlterField(
            model_name="district",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="district",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Short name for web addresses and filters; filled in automatically.",
                max_length=100,
                verbose_name="slug",
            ),
        ),
        migrations.AddConstraint(
            model_name="district",
            constraint=models.UniqueConstraint(
                fields=("site", "slug"), name="district_slug_per_city"
            ),
        ),
        migrations.AddConstraint(
            model_name="district",
            constraint=models.UniqueConstraint(
                fields=("site", "name"), name="district_name_per_city"
            ),
        ),
    ]
