"""Synthetic merchants in bulk, for benchmarks (map feed, search, clustering).

Pages live in a materialised-path tree and are multi-table models, so adding them one by one
with add_child() takes minutes per thousand. This module writes the tree rows itself: it
bulk-inserts the wagtailcore_page rows with consecutive tree paths, then the merchant rows
that extend them, then their opening hours.
"""

import random
import uuid
from datetime import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone
from wagtail.models import Locale, Page

from core.indexing import add_bulk

from . import offer_flags
from .demo import data
from .geo import format_point, to_coordinate
from .models import Category, DirectoryPage, District, MerchantOpeningHours, MerchantPage

# Dortmund's bounding box (south, west, north, east).
BOUNDS = (51.42, 7.30, 51.60, 7.64)
BATCH = 2000
WORDS = ["Laden", "Café", "Eck", "Stube", "Werkstatt", "Atelier", "Bude", "Markt", "Haus"]
NAMES = ["Sonne", "Linde", "Hafen", "Zeche", "Brücke", "Anker", "Rose", "Eiche", "Borsig"]


def insert_batch(
    directory: DirectoryPage,
    size: int,
    rng: random.Random,
    categories: list[Category],
    districts: list[District],
) -> list[int]:
    """Add `size` merchants under `directory` and return their ids; call inside a transaction."""
    # Lock the parent row so two runs cannot hand out the same tree paths.
    parent = Page.objects.select_for_update().get(pk=directory.pk)
    last = parent.get_last_child()
    next_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    depth = parent.depth + 1
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(MerchantPage)
    locale_id = parent.locale_id or Locale.get_default().pk
    offset = Page.objects.count()

    offers = offer_flags.all()
    pages, merchants = [], []
    for i in range(size):
        step = next_step + i
        name = f"{rng.choice(NAMES)}-{rng.choice(WORDS)} {offset + i}"
        slug = f"merchant-{uuid.uuid4().hex[:12]}"
        lat = to_coordinate(rng.uniform(BOUNDS[0], BOUNDS[2]))
        lng = to_coordinate(rng.uniform(BOUNDS[1], BOUNDS[3]))
        page = Page(
            title=name,
            draft_title=name,
            slug=slug,
            content_type=content_type,
            path=Page._get_path(parent.path, depth, step),
            depth=depth,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            locale_id=locale_id,
            translation_key=uuid.uuid4(),
        )
        pages.append(page)
        merchants.append(
            MerchantPage(
                category=rng.choice(categories),
                district=rng.choice(districts) if districts else None,
                street=f"Teststraße {i % 200 + 1}",
                postcode=f"44{rng.randint(100, 399)}",
                city=data.CITY,
                location=format_point(lat, lng),
                latitude=lat,
                longitude=lng,
                intro="Ein erfundener Betrieb für Lasttests.",
                # Offers as common as their registering app says (offer_flags.demo_share).
                **{flag.field: rng.random() < flag.demo_share for flag in offers},
            )
        )
    Page.objects.bulk_create(pages, batch_size=500)
    for page, merchant in zip(pages, merchants, strict=True):
        merchant.page_ptr_id = page.pk
    insert_child_rows(merchants)
    MerchantOpeningHours.objects.bulk_create(
        [
            MerchantOpeningHours(
                page_id=page.pk, weekday=day, opens=time(9), closes=time(18), sort_order=day
            )
            for page in pages
            for day in range(6)
        ],
        batch_size=1000,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + size)
    return [page.pk for page in pages]


def insert_child_rows(merchants: list[MerchantPage]) -> None:
    """INSERT the MerchantPage table's own columns; Django's bulk_create refuses
    multi-table inheritance, and the parent rows already exist."""
    fields = list(MerchantPage._meta.local_concrete_fields)
    table = connection.ops.quote_name(MerchantPage._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = [
        [f.get_db_prep_save(getattr(m, f.attname), connection) for f in fields] for m in merchants
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 - model metadata
            rows,
        )


def index_merchants(ids: list[int]) -> None:
    """Put merchants into Wagtail's search index in one go (about 2 ms per merchant)."""
    add_bulk(MerchantPage, ids)
