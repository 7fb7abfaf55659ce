"""Sharing without third-party scripts: plain links to the usual services, and a "Teilen"
button that static/js/share.js shows where the browser can share itself (Web Share API).

    {% load share_tags %}
    {% share_links page %}                                    the page's public address
    {% share_links merchant text=_("I have just supported ...") %}   another page's (thank-you)

The address shared is always a page's public, canonical one (canonical_url): never the address
the tag is rendered on, which may be private (an order's page).
"""

from urllib.parse import quote, urlencode

from django import template

from .portal_tags import canonical_url

register = template.Library()


def _query(**params) -> str:
    return urlencode(params, quote_via=quote)


def share_targets(url: str, title: str, text: str) -> list[dict]:
    """(key, label, href) of each plain share link, in the order shown."""
    message = f"{text or title} {url}" if text or title else url
    subject = title or text
    return [
        {
            "key": "email",
            "label": "E-Mail",
            "href": f"mailto:?{_query(subject=subject, body=message)}",
        },
        {"key": "whatsapp", "label": "WhatsApp", "href": f"https://wa.me/?{_query(text=message)}"},
        {
            "key": "facebook",
            "label": "Facebook",
            "href": f"https://www.facebook.com/sharer/sharer.php?{_query(u=url)}",
        },
        {
            "key": "x",
            "label": "X (Twitter)",
            "href": f"https://twitter.com/intent/tweet?{_query(text=text or title, url=url)}",
        },
    ]


@register.inclusion_tag("pages/includes/share.html", takes_context=True)
def share_links(context, page, text="", title=""):
    """Share links for `page` (any Wagtail page); `text` is the message to go with it."""
    url = canonical_url(context, page)
    title = title or getattr(page, "seo_title", "") or getattr(page, "title", "")
    return {
        "share_url": url,
        "share_title": title,
        "share_text": text,
        "share_targets": share_targets(url, title, text),
    }
