"""Build the demo city, Dortmund. Idempotent: whatever already exists is left alone."""

import os
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)

from core.text import german_slugify
from core.urls import absolute_url
from directory.demo import data
from directory.demo.images import hero_placeholder, initials, placeholder
from directory.geo import format_point
from directory.models import (
    Category,
    DirectoryPage,
    District,
    Initiative,
    MerchantOpeningHours,
    MerchantPage,
    MerchantSocialLink,
)
from pages.legal import ensure_legal_pages
from pages.models import (
    CitySettings,
    HomeFeaturedMerchant,
    HomePage,
    StandardPage,
    StoryIndexPage,
    StoryPage,
)

EDITOR_USERNAME = "redaktion"
DEFAULT_EDITOR_PASSWORD = "dortmund-hilft"  # noqa: S105 - a public demo account


def child(parent, model, slug, **fields):
    """The child page with this slug, created and published if missing."""
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


class Command(BaseCommand):
    help = "Build the demo city Dortmund (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            home = self.home_page()
            self.snippets(home.get_site())
            directory, _ = child(
                home,
                DirectoryPage,
                "betriebe",
                title="Betriebe",
                show_in_menus=True,
                intro="<p>Alle Betriebe, die mitmachen: auf der Karte und als Liste.</p>",
            )
            created = self.merchants(directory)
            self.stories(home)
            self.standard_pages(home)
            if created:
                self.feature(home)
            password = self.editor()

        if options["verbosity"] == 0:
            return
        merchants = MerchantPage.objects.live().descendant_of(home).count()
        stories = StoryPage.objects.live().descendant_of(home).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo city Dortmund: {merchants} merchants, {stories} stories "
                f"({created} merchants created now)."
            )
        )
        self.stdout.write(
            f"Admin: {absolute_url(reverse('wagtailadmin_home'))}  "
            f"user: {EDITOR_USERNAME}  password: {password or '(unchanged since first run)'}"
        )

    def home_page(self):
        # Wagtail's migrations create the locale and the tree roots; a flushed database has none.
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        Collection.get_first_root_node() or Collection.add_root(name="Root")
        home = root.get_children().filter(slug="dortmund").specific().first()
        if home is None:
            home = HomePage(
                title="Dortmund hält zusammen",
                slug="dortmund",
                seo_title="Dortmund hält zusammen – Betriebe unterstützen",
                search_description="Finden und unterstützen Sie Dortmunder Läden, Cafés, "
                "Kneipen, Büdchen und Kulturorte.",
                hero_title="Dortmund hält zusammen",
                hero_text="Gutscheine kaufen, ein virtuelles Bier spendieren, Projekte "
                "unterstützen: Hier finden Sie die Betriebe Ihrer Nachbarschaft.",
                intro="<p>Als im Frühjahr 2020 die Läden schließen mussten, hat Dortmund "
                "zusammengehalten. Auf dieser Karte finden Sie Geschäfte, Cafés, Kneipen, "
                "Büdchen, Bühnen und Kunstschaffende, die sich über Ihre Unterstützung freuen.</p>",
            )
            root.add_child(instance=home)
            home.hero_image = placeholder("Dortmund hält zusammen", ("#7a1712", "#f6bd60"))
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        welcome = None
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        elif site.root_page_id != home.pk:
            welcome = site.root_page
        site.root_page, site.site_name = home, data.CITY
        site.save()
        # Wagtail's stock "Welcome to your new Wagtail site!" page is not needed any more.
        if welcome and type(welcome.specific) is Page and welcome.slug == "home":
            welcome.delete()

        city = CitySettings.for_site(site)
        if not city.tagline:
            city.city_name = data.CITY
            city.tagline = "Gemeinsam für unsere Betriebe"
            city.contact_email = "hallo@dortmund-haelt-zusammen.example"
            city.footer_text = (
                "Ein Angebot der Wirtschaftsförderung Dortmund mit vielen Partnerinitiativen."
            )
            city.operator_name = "Wirtschaftsförderung Dortmund (Demo-Angaben)"
            city.operator_address = "Musterstraße 1\n44135 Dortmund"
            city.operator_representative = "Erika Mustermann"
            city.operator_phone = "0231 000000"
            city.save()
        return home

    def snippets(self, site):
        for name, (lat, lng) in data.DISTRICTS.items():
            District.objects.get_or_create(
                site=site, name=name, defaults={"latitude": lat, "longitude": lng}
            )
        for name, description in data.CATEGORIES.items():
            Category.objects.get_or_create(name=name, defaults={"description": description})
        for initiative in data.INITIATIVES:
            Initiative.objects.get_or_create(name=initiative["name"], defaults=initiative)

    def merchants(self, directory) -> int:
        categories = {c.name: c for c in Category.objects.all()}
        districts = {d.name: d for d in District.objects.filter(site=directory.get_site())}
        initiatives = {i.name: i for i in Initiative.objects.all()}
        existing = set(directory.get_children().values_list("slug", flat=True))
        created = 0
        for row in data.MERCHANTS:
            name, category, district, street, postcode, lat, lng, hours, inits, tags, intro = row
            slug = german_slugify(name)
            if slug in existing:
                continue
            merchant = MerchantPage(
                title=name,
                slug=slug,
                category=categories[category],
                district=districts[district],
                street=street,
                postcode=postcode,
                city=data.CITY,
                location=format_point(lat, lng),
                intro=intro,
                phone=f"0231 {abs(lat * 1e5 + lng * 1e4) % 900000 + 100000:.0f}",
                email=f"hallo@{slug}.example",
                website=f"https://{slug}.example",
                hero_image=hero_placeholder(category, data.CATEGORY_COLOURS[category]),
                logo=placeholder(
                    f"{name} (Logo)", data.CATEGORY_COLOURS[category], initials(name), (400, 400)
                ),
                story=[("paragraph", f"<p>{paragraph}</p>") for paragraph in data.STORY_PARAGRAPHS],
                hours_note="An Feiertagen geschlossen." if hours in {"shop", "service"} else "",
            )
            merchant.initiatives = [initiatives[i] for i in inits]
            merchant.tags.add(*tags)
            merchant.opening_hours = [
                MerchantOpeningHours(weekday=day, opens=opens, closes=closes)
                for day, opens, closes in data.HOURS[hours]
            ]
            merchant.social_links = [
                MerchantSocialLink(platform=platform, url=url)
                for platform, url in data.SOCIAL.get(name, [])
            ]
            directory.add_child(instance=merchant)
            merchant.save_revision().publish()
            created += 1
        return created

    def stories(self, home):
        index, _ = child(
            home,
            StoryIndexPage,
            "geschichten",
            title="Geschichten",
            show_in_menus=True,
            intro="<p>Menschen, die hinter Dortmunds Betrieben stehen – und die Betriebe.</p>",
        )
        story = data.SUPPORTER_STORY
        child(
            index,
            StoryPage,
            story["slug"],
            title=story["title"],
            kind="supporter",
            date=date(2020, 4, 14),
            teaser=story["teaser"],
            hero_image=placeholder(story["title"], ("#1d4e89", "#b3261e"), "Jürgen K."),
            body=[
                ("paragraph", f"<p>{data.STORY_PARAGRAPHS[0]}</p>"),
                ("quote", {"text": story["quote"][0], "attribution": story["quote"][1]}),
                ("paragraph", f"<p>{data.STORY_PARAGRAPHS[1]}</p>"),
            ],
        )
        for number, portrait in enumerate(data.PORTRAITS):
            merchant = MerchantPage.objects.get(title=portrait["merchant"])
            child(
                index,
                StoryPage,
                portrait["slug"],
                title=portrait["title"],
                kind="portrait",
                date=date(2020, 5, 2 + number * 10),
                teaser=portrait["teaser"],
                merchant=merchant,
                hero_image=merchant.hero_image,
                body=[
                    ("heading", "Wie alles anfing"),
                    ("paragraph", f"<p>{data.STORY_PARAGRAPHS[0]}</p>"),
                    ("image", {"image": merchant.hero_image, "caption": merchant.title}),
                    ("quote", {"text": portrait["quote"][0], "attribution": portrait["quote"][1]}),
                    ("paragraph", f"<p>{data.STORY_PARAGRAPHS[1]}</p>"),
                    ("merchant", {"merchant": merchant, "text": ""}),
                ],
            )

    def standard_pages(self, home):
        child(
            home,
            StandardPage,
            "ueber-uns",
            title="Über uns",
            show_in_menus=True,
            intro="Wer hinter dem Portal steht und wie Sie mitmachen können.",
            body=[
                (
                    "paragraph",
                    "<p>Das Portal ist ein Angebot der Wirtschaftsförderung gemeinsam mit "
                    "Partnerinitiativen. Betriebe tragen sich selbst ein; die Redaktion prüft "
                    "jeden Eintrag.</p>",
                )
            ],
        )
        # Imprint, privacy policy and terms of use, as every city gets them (pages/legal.py).
        ensure_legal_pages(home, city=CitySettings.for_site(home.get_site()))

    def feature(self, home):
        if home.featured_merchants.exists():
            return
        home.featured_merchants = [
            HomeFeaturedMerchant(merchant=MerchantPage.objects.get(title=name))
            for name in data.FEATURED
        ]
        home.save_revision().publish()

    def editor(self) -> str | None:
        """The demo editor; returns the password only when the account is created now."""
        editors, _ = Group.objects.get_or_create(name="Editors")
        moderators, _ = Group.objects.get_or_create(name="Moderators")
        # What Wagtail's initial migration gives these groups, again: a flushed or hand-made
        # database lacks it, and without it the editor cannot even open the admin.
        root_page, root_collection = Page.get_first_root_node(), Collection.get_first_root_node()
        for group, page_actions in (
            (editors, ("add_page", "change_page", "lock_page", "unlock_page")),
            (moderators, ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")),
        ):
            group.permissions.add(Permission.objects.get(codename="access_admin"))
            for codename in page_actions:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=Permission.objects.get(codename=codename),
                )
            for permission in Permission.objects.filter(
                content_type__app_label__in=["wagtailimages", "wagtaildocs"],
                codename__regex=r"^(add|change|choose|delete)_(image|document)$",
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="directory",
                codename__in=[
                    f"{action}_{model}"
                    for action in ("add", "change", "delete")
                    for model in ("category", "district", "initiative")
                ]
                + ["change_mapsettings"],
            ),
            *Permission.objects.filter(
                content_type__app_label="pages", codename="change_citysettings"
            ),
        )
        # Moderators decide registrations and deletion requests, as migration
        # directory/0005 grants it (directory/admin_views.py).
        moderators.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="directory",
                codename__in=[
                    "view_registration",
                    "change_registration",
                    "view_merchantaccount",
                    "delete_merchantaccount",
                ],
            ),
        )
        user, created = get_user_model().objects.get_or_create(
            username=EDITOR_USERNAME,
            defaults={
                "email": "redaktion@example.org",
                "first_name": "Demo",
                "last_name": "Redaktion",
            },
        )
        if not created:
            return None
        password = os.environ.get("DEMO_EDITOR_PASSWORD", DEFAULT_EDITOR_PASSWORD)
        user.set_password(password)
        user.save()
        user.groups.add(editors, moderators)
        return password
