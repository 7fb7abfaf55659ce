"""A city's legal pages: imprint, privacy policy and terms of use (with the cancellation
notice). `ensure_legal_pages` seeds them below a city's home page (seed_demo, and whatever
creates a city); `legal_pages` finds them for the footer, the registration and the checkout.

The seeded texts are realistic German placeholders for editors to replace: they are marked as
templates and must be checked before a city goes live.
"""

from __future__ import annotations

from wagtail.models import Page, Site

from .choices import LEGAL_SLUGS, LegalKind
from .models import CitySettings, LegalPage

PLACEHOLDER = (
    "<p><b>Vorlage:</b> Dieser Text ist ein Muster. Bitte passen Sie ihn an Ihr Portal an und "
    "lassen Sie ihn vor dem Start rechtlich prüfen.</p>"
)


def _imprint(city: CitySettings) -> tuple[str, str, str]:
    return (
        "Impressum",
        "Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG).",
        PLACEHOLDER + "<h2>Verantwortlich für den Inhalt</h2>"
        "<p>Verantwortlich für redaktionelle Inhalte nach § 18 Abs. 2 Medienstaatsvertrag ist "
        "die oben genannte Stelle. Die Profile der Betriebe verantworten die Betriebe selbst; "
        "die Redaktion prüft jeden Eintrag vor der Veröffentlichung.</p>"
        "<h2>Verbraucherstreitbeilegung</h2>"
        "<p>Wir sind nicht bereit und nicht verpflichtet, an Streitbeilegungsverfahren vor "
        "einer Verbraucherschlichtungsstelle teilzunehmen.</p>"
        "<h2>Haftung für Links</h2>"
        "<p>Für die Inhalte verlinkter Seiten der Betriebe und Partner sind deren Betreiber "
        "verantwortlich. Wird uns ein Rechtsverstoß bekannt, entfernen wir den Link umgehend.</p>",
    )


def _privacy(city: CitySettings) -> tuple[str, str, str]:
    operator = city.operator_name or "die im Impressum genannte Stelle"
    return (
        "Datenschutzerklärung",
        f"Wie {operator} mit Ihren Daten umgeht, wenn Sie das Portal nutzen.",
        PLACEHOLDER + "<h2>Verantwortliche Stelle</h2>"
        f"<p>Verantwortlich im Sinne der DSGVO ist {operator} (Anschrift siehe Impressum). "
        + (f"Sie erreichen uns unter {city.contact_email}.</p>" if city.contact_email else "</p>")
        + "<h2>Besuch der Website</h2>"
        "<p>Beim Aufruf einer Seite verarbeitet unser Server technisch notwendige Daten "
        "(IP-Adresse, Zeitpunkt, aufgerufene Adresse) für höchstens sieben Tage, um das Portal "
        "sicher zu betreiben (Art. 6 Abs. 1 lit. f DSGVO). Wir setzen keine Tracking- oder "
        "Werbe-Cookies. Die Karte lädt Kacheln von einem Kartendienst, der dabei Ihre "
        "IP-Adresse erhält.</p>"
        "<h2>Gutscheine, Spenden und Kampagnen</h2>"
        "<p>Wenn Sie einen Betrieb unterstützen, verarbeiten wir Name, E-Mail-Adresse, Betrag "
        "und gegebenenfalls die Angaben für einen Geschenkgutschein, um den Vertrag zu erfüllen "
        "(Art. 6 Abs. 1 lit. b DSGVO). Die Zahlung wickelt ein Zahlungsdienstleister ab; "
        "Kartendaten erreichen uns nicht. Buchungsbelege bewahren wir nach den gesetzlichen "
        "Fristen (bis zu zehn Jahre) auf.</p>"
        "<h2>Registrierung als Betrieb</h2>"
        "<p>Für die Registrierung verarbeiten wir die Angaben zum Betrieb und zur "
        "Ansprechperson, um den Eintrag zu prüfen und zu veröffentlichen. Veröffentlicht "
        "werden nur die Angaben zum Betrieb.</p>"
        "<h2>Ihre Rechte</h2>"
        "<p>Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der "
        "Verarbeitung, Datenübertragbarkeit und Widerspruch sowie das Recht, sich bei einer "
        "Datenschutz-Aufsichtsbehörde zu beschweren.</p>",
    )


def _terms(city: CitySettings) -> tuple[str, str, str]:
    operator = city.operator_name or "der im Impressum genannten Stelle"
    return (
        "Nutzungsbedingungen",
        "Die Bedingungen für Gutscheine, Spenden, Kampagnen und Einträge von Betrieben.",
        PLACEHOLDER + "<h2>1. Das Portal</h2>"
        f"<p>Das Portal wird von {operator} betrieben. Es vermittelt Unterstützung für lokale "
        "Betriebe. Verträge über Gutscheine kommen zwischen Ihnen und dem jeweiligen Betrieb "
        "zustande; das Portal nimmt die Zahlung für den Betrieb entgegen.</p>"
        "<h2>2. Gutscheine</h2>"
        "<p>Ein Gutschein gilt bis zum Ende des auf dem Gutschein genannten Jahres und kann "
        "beim ausstellenden Betrieb ganz oder in Teilen eingelöst werden. Eine Auszahlung in bar "
        "ist ausgeschlossen. Den Restwert können Sie jederzeit online prüfen.</p>"
        "<h2>3. Spenden und Kampagnen</h2>"
        "<p>Spenden und Kampagnenbeiträge sind freiwillige Zuwendungen an den Betrieb ohne "
        "Gegenleistung (Prämien einer Kampagne ausgenommen). Spenden an Betriebe sind keine "
        "steuerlich absetzbaren Spenden; eine Zuwendungsbestätigung kann nicht ausgestellt "
        "werden. Wird das Ziel einer Kampagne nicht erreicht, erhält der Betrieb das Geld "
        "trotzdem.</p>"
        "<h2>4. Widerrufsbelehrung</h2>"
        "<p><b>Widerrufsrecht:</b> Beim Kauf eines Gutscheins haben Sie das Recht, binnen "
        "vierzehn Tagen ohne Angabe von Gründen diesen Vertrag zu widerrufen. Die Frist beträgt "
        "vierzehn Tage ab dem Tag des Vertragsschlusses. Um Ihr Widerrufsrecht auszuüben, "
        "teilen Sie uns (Kontakt siehe Impressum) mittels einer eindeutigen Erklärung, z. B. "
        "per E-Mail, Ihren Entschluss mit, den Vertrag zu widerrufen. Zur Wahrung der Frist "
        "reicht es, dass Sie die Mitteilung vor Ablauf der Frist absenden.</p>"
        "<p><b>Folgen des Widerrufs:</b> Wenn Sie den Vertrag widerrufen, zahlen wir Ihnen "
        "alle Zahlungen unverzüglich und spätestens binnen vierzehn Tagen zurück, über dasselbe "
        "Zahlungsmittel, das Sie verwendet haben. Bereits eingelöste Beträge werden nicht "
        "erstattet.</p>"
        "<p>Spenden und Kampagnenbeiträge sind Schenkungen; ein Widerrufsrecht besteht dafür "
        "nicht. Wenden Sie sich bei einer versehentlichen Zahlung an uns.</p>"
        "<h2>5. Einträge von Betrieben</h2>"
        "<p>Betriebe sind für die Richtigkeit ihrer Angaben verantwortlich. Die Redaktion kann "
        "Einträge und Beiträge ablehnen oder entfernen, die gegen geltendes Recht oder diese "
        "Bedingungen verstoßen.</p>",
    )


TEXTS = {LegalKind.IMPRINT: _imprint, LegalKind.PRIVACY: _privacy, LegalKind.TERMS: _terms}


def ensure_legal_pages(home: Page, *, city: CitySettings) -> list[LegalPage]:
    """Create and publish the legal pages missing below `home` (a city's home page).
    Idempotent: a kind that already has a page, or whose address is taken by another page, is
    left alone. Returns the pages created now."""
    existing = set(LegalPage.objects.child_of(home).values_list("kind", flat=True))
    taken = set(home.get_children().values_list("slug", flat=True))
    created = []
    for kind in LegalKind:
        slug = LEGAL_SLUGS[kind]
        if kind in existing or slug in taken:
            continue
        title, intro, body = TEXTS[kind](city)
        page = LegalPage(title=title, slug=slug, kind=kind, intro=intro, body=body)
        home.add_child(instance=page)
        page.save_revision().publish()
        created.append(page)
    return created


def legal_pages(site: Site | None) -> dict[str, LegalPage]:
    """The live legal pages of `site`, by kind ("imprint", "privacy", "terms")."""
    if site is None:
        return {}
    pages = LegalPage.objects.live().public().child_of(site.root_page).order_by("path")
    found: dict[str, LegalPage] = {}
    for page in pages:
        found.setdefault(page.kind, page)
    return found
