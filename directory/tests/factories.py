import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory
from wagtail.models import Site

from directory.geo import format_point
from directory.models import (
    Category,
    DirectoryPage,
    District,
    Initiative,
    MerchantOpeningHours,
    MerchantPage,
)


class CategoryFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Kategorie {n}")

    class Meta:
        model = Category
        django_get_or_create = ["name"]


class DistrictFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Stadtteil {n}")
    site = factory.LazyFunction(lambda: Site.objects.get(is_default_site=True))

    class Meta:
        model = District
        django_get_or_create = ["site", "name"]


class InitiativeFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Initiative {n}")
    hashtag = factory.LazyAttribute(lambda o: "#" + o.name.replace(" ", "").lower())

    class Meta:
        model = Initiative
        django_get_or_create = ["name"]


class DirectoryPageFactory(wagtail_factories.PageFactory):
    title = "Betriebe"

    class Meta:
        model = DirectoryPage


class MerchantPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Betrieb {n}")
    category = factory.SubFactory(CategoryFactory)
    district = factory.SubFactory(DistrictFactory)
    street = "Möllerstraße 12"
    postcode = "44137"
    city = "Dortmund"
    location = format_point(51.5075, 7.451)
    intro = "Zeitungen, Kaltgetränke und ein offenes Ohr seit 1987."

    class Meta:
        model = MerchantPage


class OpeningHoursFactory(DjangoModelFactory):
    weekday = 0
    opens = datetime.time(9)
    closes = datetime.time(18)

    class Meta:
        model = MerchantOpeningHours
