"""Add many synthetic merchants at once, for benchmarks. See directory/generate.py."""

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm
from wagtail.models import Site

from directory import feed
from directory.demo import data
from directory.generate import BATCH, index_merchants, insert_batch
from directory.models import Category, DirectoryPage, District
from pages.models import CitySettings


def find_directory(city: str) -> DirectoryPage:
    for site in Site.objects.select_related("root_page"):
        names = {site.site_name.lower(), CitySettings.for_site(site).city_name.lower()}
        if city.lower() in names:
            directory = DirectoryPage.objects.child_of(site.root_page).first()
            if directory:
                return directory
    raise CommandError(
        f'No city "{city}" with a merchant directory. Run "manage.py seed_demo" first, or '
        "pass the site name of an existing city."
    )


class Command(BaseCommand):
    help = (
        "Add N synthetic merchants to a city's directory, fast, for benchmarks. With --index "
        "they are searchable too (slower)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many merchants")
        parser.add_argument("--city", default=data.CITY, help="Site name or city of the site")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (repeatable)")
        parser.add_argument(
            "--index",
            action="store_true",
            help="Also add them to the search index (2 ms per merchant on SQLite, 4 on PostgreSQL)",
        )

    def handle(self, *args, count, city, seed, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        rng = random.Random(seed)  # not for security: synthetic data only
        directory = find_directory(city)
        categories = list(Category.objects.all())
        districts = list(District.objects.filter(site=directory.get_site()))
        if not categories:
            raise CommandError("No categories exist yet. Run 'manage.py seed_demo' first.")

        created = 0
        with tqdm(total=count, unit="merchants", disable=options["verbosity"] == 0) as progress:
            while created < count:
                size = min(BATCH, count - created)
                with transaction.atomic():
                    ids = insert_batch(directory, size, rng, categories, districts)
                    if options["index"]:
                        index_merchants(ids)
                created += size
                progress.update(size)
        feed.invalidate()  # bulk inserts send no publish signals
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give later
                cursor.execute("ANALYZE")
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(f"Added {count} merchants to {directory.title} ({city}).")
        )
        if not options["index"]:
            self.stdout.write(
                "Not in the search index: use --index next time to make them searchable."
            )
