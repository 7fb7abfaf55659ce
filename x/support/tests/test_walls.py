"""Editors and moderators moderate supporter walls: they show messages on the walls of merchants
without an owner (nobody else would) and hide any message of their own city; merchants moderate
only their own wall."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import GroupPagePermission, Page

from directory import accounts
from directory.tests.factories import DirectoryPageFactory, MerchantPageFactory
from pages.tests.factories import HomePageFactory
from support import services
from support.models import DonationOffer, SupportOrder

from .conftest import pay_with_demo

pytestmark = pytest.mark.django_db

WALLS = "/admin/supporter-walls/"


def donate(page, site, name: str, message: str):
    buyer = services.Buyer(
        name="Max Muster",
        email="max@example.org",
        supporter_name=name,
        supporter_message=message,
        on_wall=True,
    )
    order = services.order_donation(merchant=page, amount=1500, buyer=buyer, site=site)
    pay_with_demo(order)
    return SupportOrder.objects.get(order=order)


def moderate(client, details, decision):
    return client.post(f"{WALLS}{details.pk}/moderate/", {"wall": decision, "next": WALLS})


@pytest.fixture
def world(merchant, site, directory_page, django_user_model):
    """The kiosk has no owner; the bakery's merchant owns it; a café is in another city, whose
    editors may change only their city's pages. Each has a message waiting for its wall."""
    merchant.save_revision().publish()
    bakery = MerchantPageFactory(parent=directory_page, title="Bäckerei Beta")
    DonationOffer.objects.create(page=bakery, free_amount=True, supporter_wall=True)
    bakery.save_revision().publish()
    baker = django_user_model.objects.create_user("beta", "beta@example.org", "pw")
    accounts.grant_rights(baker, bakery)

    bochum = HomePageFactory(parent=Page.get_first_root_node(), title="Bochum", slug="bochum")
    cafe = MerchantPageFactory(
        parent=DirectoryPageFactory(parent=bochum, title="Betriebe", slug="betriebe"),
        title="Café Gamma",
    )
    DonationOffer.objects.create(page=cafe, free_amount=True, supporter_wall=True)
    cafe.save_revision().publish()
    bochum_editors = Group.objects.create(name="Redaktion Bochum")
    bochum_editors.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="moderate_supporter_wall"),
    )
    GroupPagePermission.objects.create(
        group=bochum_editors, page=bochum, permission=Permission.objects.get(codename="change_page")
    )
    bochum_editor = django_user_model.objects.create_user("bochum", "bochum@example.org", "pw")
    bochum_editor.groups.add(bochum_editors)

    # A real install's editor: in Wagtail's Editors group, with what the migrations give it.
    editor = django_user_model.objects.create_user("redaktion", "redaktion@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))

    clients = {}
    for name, user in (("editor", editor), ("baker", baker), ("bochum", bochum_editor)):
        clients[name] = Client()
        clients[name].force_login(user)
    return {
        "kiosk": merchant,
        "bakery": bakery,
        "cafe": cafe,
        "kiosk_message": donate(merchant, site, "Max", "Haltet durch, Kiosk!"),
        "bakery_message": donate(bakery, site, "Erika", "Bestes Brot der Stadt"),
        "cafe_message": donate(cafe, site, "Jupp", "Kaffee wie bei Oma"),
        **clients,
    }


def test_an_editor_shows_a_message_on_the_wall_of_a_merchant_without_an_owner(world, client):
    kiosk, details = world["kiosk"], world["kiosk_message"]
    assert "Haltet durch, Kiosk!" not in client.get(kiosk.url).content.decode()

    listing = world["editor"].get(WALLS, {"wall": "pending"})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Haltet durch, Kiosk!" in html
    assert f'action="{WALLS}{details.pk}/moderate/"' in html

    response = moderate(world["editor"], details, "show")
    assert response.status_code == 302
    details.refresh_from_db()
    assert details.wall == SupportOrder.Wall.SHOWN
    assert "Haltet durch, Kiosk!" in client.get(kiosk.url).content.decode()
    assert details.order.log_entries.filter(action="wall.shown").exists()

    assert moderate(world["editor"], details, "hide").status_code == 302
    assert "Haltet durch, Kiosk!" not in client.get(kiosk.url).content.decode()


def test_on_an_owned_wall_editors_only_hide(world, client):
    details, editor = world["bakery_message"], world["editor"]
    html = editor.get(WALLS).content.decode()
    row = html[html.index("Bestes Brot der Stadt") :].split("</tr>")[0]
    assert 'value="hide"' in row and 'value="show"' not in row

    response = moderate(editor, details, "show")
    details.refresh_from_db()
    assert details.wall == SupportOrder.Wall.PENDING  # the merchant decides what shows
    assert "nur ausblenden" in editor.get(response["Location"]).content.decode()

    # The merchant showed it; an editor takes it down again (say it was abusive).
    assert world["baker"].post(f"/admin/support/income/wall/{details.pk}/", {"wall": "show"})
    assert "Bestes Brot der Stadt" in client.get(world["bakery"].url).content.decode()
    moderate(editor, details, "hide")
    details.refresh_from_db()
    assert details.wall == SupportOrder.Wall.HIDDEN
    assert "Bestes Brot der Stadt" not in client.get(world["bakery"].url).content.decode()


def test_editors_moderate_only_their_own_city(world):
    bochum = world["bochum"]
    html = bochum.get(WALLS).content.decode()
    assert "Kaffee wie bei Oma" in html
    assert "Haltet durch, Kiosk!" not in html and "Bestes Brot der Stadt" not in html

    assert moderate(bochum, world["kiosk_message"], "show").status_code == 404
    world["kiosk_message"].refresh_from_db()
    assert world["kiosk_message"].wall == SupportOrder.Wall.PENDING
    assert moderate(bochum, world["cafe_message"], "show").status_code == 302
    world["cafe_message"].refresh_from_db()
    assert world["cafe_message"].wall == SupportOrder.Wall.SHOWN


def test_a_merchant_cannot_moderate_another_wall(world):
    baker, kiosk_message = world["baker"], world["kiosk_message"]
    # Not with the editors' list...
    assert baker.get(WALLS).status_code in (302, 403)
    refused = moderate(baker, kiosk_message, "show")
    assert (refused.status_code, refused.get("Location")) in ((403, None), (302, "/admin/"))
    # ...nor with their own wall's form and a foreign id.
    response = baker.post(f"/admin/support/income/wall/{kiosk_message.pk}/", {"wall": "show"})
    assert response.status_code == 404
    kiosk_message.refresh_from_db()
    assert kiosk_message.wall == SupportOrder.Wall.PENDING


def test_a_bad_decision_or_a_get_changes_nothing(world):
    editor, details = world["editor"], world["kiosk_message"]
    assert moderate(editor, details, "publish").status_code == 302
    assert editor.get(f"{WALLS}{details.pk}/moderate/").status_code == 302
    assert editor.post(f"{WALLS}999999999/moderate/", {"wall": "show"}).status_code == 404
    details.refresh_from_db()
    assert details.wall == SupportOrder.Wall.PENDING
