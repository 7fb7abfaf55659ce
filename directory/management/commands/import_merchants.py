"""Import a partner's merchants from a file (docs/imports.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from wagtail.models import Site

from directory.imports.services import ImportError_
from directory.imports.sync import import_source
from directory.models import ImportSource, Initiative


def find_site(city: str) -> Site:
    site = Site.objects.filter(Q(hostname__iexact=city) | Q(site_name__iexact=city)).first()
    if site is None:
        names = ", ".join(f"{s.site_name} ({s.hostname})" for s in Site.objects.all())
        raise CommandError(f'No city "{city}". Cities: {names or "none"}.')
    return site


def print_report(stdout, report) -> None:
    if report.fatal:
        stdout.write(f"Nothing imported: {report.fatal}")
        return
    prefix = "Dry run, nothing saved. " if report.dry_run else ""
    stdout.write(f"{prefix}{report.summary()}")
    if report.created_categories:
        stdout.write("New categories: " + ", ".join(report.created_categories))
    for problem in report.problems:
        stdout.write(f"line {problem.line}: {problem.level}: {problem.reason}")


class Command(BaseCommand):
    help = (
        "Import merchants from a CSV, GeoJSON or OSM Overpass JSON file into a city's directory: "
        "live and unowned, duplicates merged or queued for review, bad rows reported by line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import")
        parser.add_argument("--city", required=True, help="Hostname or site name of the city")
        parser.add_argument("--initiative", help="Slug of the partner initiative")
        parser.add_argument("--format", choices=["csv", "geojson", "osm"], default="csv")
        parser.add_argument("--dry-run", action="store_true", help="Report only, save nothing")
        parser.add_argument(
            "--create-categories", action="store_true", help="Create unknown categories"
        )
        parser.add_argument("--source", help="Name of the source (default: the initiative's)")
        parser.add_argument("--licence", default="", help='e.g. "ODbL 1.0"')
        parser.add_argument("--licence-url", default="")
        parser.add_argument("--attribution", default="", help="Shown on the merchants' pages")

    def handle(self, *args, **options):
        site = find_site(options["city"])
        initiative = None
        if options["initiative"]:
            initiative = Initiative.objects.filter(slug=options["initiative"]).first()
            if initiative is None:
                slugs = ", ".join(Initiative.objects.values_list("slug", flat=True))
                raise CommandError(
                    f'No initiative "{options["initiative"]}". Initiatives: {slugs or "none"}.'
                )
        name = options["source"] or (initiative.name if initiative else None)
        if not name:
            raise CommandError("Give --source NAME or --initiative SLUG.")
        defaults = {
            "format": options["format"],
            "initiative": initiative,
            "licence": options["licence"],
            "licence_url": options["licence_url"],
            "attribution": options["attribution"],
        }
        source, created = ImportSource.objects.get_or_create(
            site=site, name=name, defaults=defaults
        )
        if not created:  # given options update the source; absent ones leave it as it was
            for field, value in defaults.items():
                if value:
                    setattr(source, field, value)
            source.save()
        try:
            with open(options["file"], "rb") as file:
                data = file.read()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        try:
            report = import_source(
                source=source,
                data=data,
                dry_run=options["dry_run"],
                create_categories=options["create_categories"],
            )
        except ImportError_ as error:
            raise CommandError(str(error)) from error
        print_report(self.stdout, report)
        if report.fatal:
            raise CommandError(report.fatal)
