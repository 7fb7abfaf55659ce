import datetime

import factory
import wagtail_factories

from pages.models import HomePage, StandardPage, StoryIndexPage, StoryPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Startseite"
    hero_title = "Gemeinsam für unsere Stadt"
    hero_text = "Unterstützen Sie die Betriebe in Ihrer Nachbarschaft."

    class Meta:
        model = HomePage


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Geschichten"

    class Meta:
        model = StoryIndexPage


class StoryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Geschichte {n}")
    teaser = "Warum wir unsere Kneipe an der Ecke nicht aufgeben."
    date = datetime.date(2020, 4, 1)
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>Es war ein Frühling wie kein anderer.</p>")]
    )

    class Meta:
        model = StoryPage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Seite {n}")
    intro = "Über dieses Portal."

    class Meta:
        model = StandardPage
