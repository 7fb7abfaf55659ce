"""manage.py create_city "Bochum" --hostname bochum.example.org [--centre 51.48,7.22 --zoom 13]
[--districts districts.csv|.geojson]: a new city in one step; running it again changes nothing."""

from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from directory.cities import city_create, read_districts


def centre(value: str) -> tuple[Decimal, Decimal]:
    try:
        latitude, longitude = (Decimal(part.strip()) for part in value.split(","))
    except (ValueError, InvalidOperation) as error:
        raise CommandError(
            f"--centre wants latitude,longitude such as 51.48,7.22, not {value!r}"
        ) from error
    return latitude, longitude


class Command(BaseCommand):
    help = "Create a city (Site, pages, settings, districts, editor and moderator groups)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The city's name, e.g. Bochum")
        parser.add_argument("--hostname", required=True, help="e.g. bochum.example.org")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--centre", type=centre, help="Map centre as latitude,longitude")
        parser.add_argument("--zoom", type=int, help="Start zoom of the map (3 to 18)")
        parser.add_argument(
            "--districts", type=Path, help="CSV (name,latitude,longitude) or GeoJSON of districts"
        )

    def handle(self, *args, name, hostname, port, centre, zoom, districts, **options):
        try:
            rows = read_districts(districts.read_text(encoding="utf-8")) if districts else []
            outcome = city_create(
                name=name, hostname=hostname, port=port, centre=centre, zoom=zoom, districts=rows
            )
        except OSError as error:
            raise CommandError(f"Cannot read {districts}: {error}") from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        site = outcome.site
        if not outcome.changed:
            self.stdout.write(f"{name} exists already at {site.hostname}: nothing changed.")
            return
        self.stdout.write(self.style.SUCCESS(f"{name} at {site.hostname}:{site.port}"))
        for item in outcome.created:
            self.stdout.write(f"  + {item}")
