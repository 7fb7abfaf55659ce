"""Nothing of one city shows in another's admin: an editor of Bochum (the group create_city
made) neither sees nor changes Dortmund's registrations, districts, pages, orders, refunds or
report, and sees Bochum's. Each cell is sent as the editor would send it. Mails go to the
city's own reviewers, in the city's name, with links to its own address."""

from email.utils import parseaddr

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Site, TaskState

from conftest import make_home_page
from directory.accounts.rights import ensure_review_workflow, review_task
from directory.accounts.verification import verification_token, verify
from directory.cities import city_create
from directory.models import District, Registration
from directory.tests.conftest import kept_for_the_module
from directory.tests.factories import DistrictFactory, MerchantPageFactory
from payments.mails import surplus_refund_mail
from payments.models import Order, Refund
from payments.tests.utils import (  # noqa: F401 - gadget_kind: the tests' fixture
    Buyer,
    gadget_kind,
    gadget_registered,
    pay_with_demo,
    place_gadget,
)

pytestmark = pytest.mark.django_db


def registration(site, name):
    return Registration.objects.create(
        site=site,
        business_name=name,
        street="Hauptstraße 1",
        postcode="44000",
        city=site.site_name,
        contact_name="Kim",
        email=f"{name.lower()}@example.org",
        password="-",
        status=Registration.Status.PENDING,
        terms_accepted_at=timezone.now(),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module (each test's changes are rolled back)."""
    with kept_for_the_module(django_db_blocker):
        with gadget_registered():
            world = build_world()
        yield world


def build_world():
    make_home_page()
    dortmund = Site.objects.get(is_default_site=True)
    city_create(name="Dortmund", hostname=dortmund.hostname, port=dortmund.port)
    bochum = city_create(name="Bochum", hostname="bochum.example.org").site
    cities = {}
    for site, merchant_name, buyer_name in (
        (dortmund, "Dortmunder Kiosk", "Dora Dortmund"),
        (bochum, "Bochumer Büdchen", "Bodo Bochum"),
    ):
        directory = site.root_page.get_children().get(slug="betriebe").specific
        merchant = MerchantPageFactory(parent=directory, title=merchant_name)
        order = place_gadget(
            merchant=merchant, amount=1200, buyer=Buyer(buyer_name, "b@example.org"), site=site
        )
        pay_with_demo(order)
        cities[site.site_name] = {
            "site": site,
            "merchant": merchant,
            "order": order,
            "buyer": buyer_name,
            "registration": registration(site, f"Neu{site.site_name}"),
            "district": DistrictFactory(site=site, name=f"Mitte {site.site_name}"),
        }
    editor = get_user_model().objects.create_user("bochum", "bochum@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Bochum: Redaktion"))
    moderator = get_user_model().objects.create_user("mod", "mod@example.org", "pw")
    moderator.groups.add(Group.objects.get(name="Bochum: Moderation"))
    return cities, editor, moderator


# (what, URL of the object, text of the city that must not show in another's list)
LISTS = [
    ("orders", "/admin/orders/", "buyer"),
    ("report", "/admin/support-report/", "merchant"),
    ("report as CSV", "/admin/support-report/csv/", "merchant"),
    ("registrations", "/admin/registrations/", "registration"),
    ("districts", "/admin/snippets/directory/district/", "district"),
]

# Each cell sent by the group that holds the right in its own city (registrations: moderators).
OBJECTS = [
    ("an order", "get", "/admin/orders/{order.pk}/"),
    ("a refund", "post", "/admin/orders/{order.pk}/"),
    ("a registration", "get", "/admin/registrations/{registration.pk}/"),
    ("a decision", "post", "/admin/registrations/{registration.pk}/"),
    ("a district", "get", "/admin/snippets/directory/district/edit/{district.pk}/"),
    ("a district's deletion", "post", "/admin/snippets/directory/district/delete/{district.pk}/"),
    ("a merchant page", "get", "/admin/pages/{merchant.pk}/edit/"),
]


def shown(text_of, city):
    value = city[text_of]
    return value if isinstance(value, str) else str(getattr(value, "title", None) or value)


@pytest.mark.parametrize("who", ["editor", "moderator"])
@pytest.mark.parametrize(("what", "url", "text_of"), LISTS, ids=[c[0] for c in LISTS])
def test_lists_hold_only_the_own_city(client, world, who, what, url, text_of):
    cities, editor, moderator = world
    client.force_login(editor if who == "editor" else moderator)
    response = client.get(url)
    if response.status_code in (302, 403):  # this group has no right to the list at all
        assert "/login/" not in response.get("Location", "")
        return
    assert response.status_code == 200, what
    body = response.content.decode()
    assert shown(text_of, cities["Bochum"]) in body
    assert shown(text_of, cities["Dortmund"]) not in body


@pytest.mark.parametrize(("what", "method", "url"), OBJECTS, ids=[c[0] for c in OBJECTS])
def test_another_citys_objects_are_out_of_reach(client, world, what, method, url):
    cities, editor, moderator = world
    client.force_login(moderator if "registration" in url else editor)
    dortmund, bochum = cities["Dortmund"], cities["Bochum"]
    data = {"action": "all", "confirm": "on", "refunded_before": 0, "decision": "approve"}
    response = getattr(client, method)(url.format(**dortmund), data if method == "post" else None)
    assert response.status_code in (302, 403, 404), what
    if response.status_code == 302:  # Wagtail's page editor sends a refusal back home
        assert "/admin/pages/" not in response["Location"] or "login" in response["Location"]
    assert not Refund.objects.filter(order=dortmund["order"]).exists()
    assert Registration.objects.get(pk=dortmund["registration"].pk).status == "pending"
    assert District.objects.filter(pk=dortmund["district"].pk).exists()
    if method == "get":  # the same view opens the own city's object
        assert client.get(url.format(**bochum)).status_code == 200, what


def test_the_order_filter_offers_only_the_own_city(client, world):
    cities, editor, _moderator = world
    client.force_login(editor)
    body = client.get("/admin/orders/").content.decode()
    assert f'value="{cities["Bochum"]["site"].pk}"' in body
    assert f'value="{cities["Dortmund"]["site"].pk}"' not in body
    assert Order.objects.count() == 2


def test_a_district_cannot_be_moved_into_another_city(client, world):
    cities, editor, _moderator = world
    client.force_login(editor)
    district = cities["Bochum"]["district"]
    response = client.post(
        f"/admin/snippets/directory/district/edit/{district.pk}/",
        {"name": district.name, "slug": district.slug, "site": cities["Dortmund"]["site"].pk},
    )
    assert response.status_code == 200  # the form again, with the error
    district.refresh_from_db()
    assert district.site == cities["Bochum"]["site"]


def test_registration_mails_reach_only_the_citys_own_reviewers_in_its_name(world, mailoutbox):
    cities, _editor, bochum_moderator = world
    users = get_user_model().objects
    dortmund_moderator = users.create_user("dmod", "dmod@example.org", "pw")
    dortmund_moderator.groups.add(Group.objects.get(name="Dortmund: Moderation"))
    everywhere = users.create_user("gmod", "gmod@example.org", "pw")
    everywhere.groups.add(Group.objects.get(name="Moderators"))
    for city in cities.values():
        Registration.objects.filter(pk=city["registration"].pk).update(status="unverified")
        verify(verification_token(city["registration"]))

    sent = {mail.subject: mail for mail in mailoutbox}
    bochum, dortmund = (
        sent["Neue Registrierung: NeuBochum"],
        sent["Neue Registrierung: NeuDortmund"],
    )
    assert sorted(bochum.to) == ["gmod@example.org", bochum_moderator.email]
    assert sorted(dortmund.to) == ["dmod@example.org", "gmod@example.org"]
    assert "Bochum" in bochum.from_email and "Dortmund" not in bochum.from_email
    assert "http://bochum.example.org/admin/" in bochum.body
    assert "bochum.example.org" not in dortmund.body and "Dortmund" in dortmund.from_email


def test_a_buyers_mail_names_the_city_the_order_was_placed_in(world, mailoutbox):
    cities, _editor, _moderator = world
    surplus_refund_mail(cities["Bochum"]["order"].payments.get())

    (mail,) = mailoutbox
    assert "Bochum" in mail.from_email and mail.from_email.endswith(
        f"<{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}>"
    )
    assert "http://bochum.example.org/" in mail.body


def test_a_citys_moderators_review_its_merchants_changes_and_no_other_citys(client, world):
    cities, _editor, moderator = world
    for city in cities.values():
        workflow = ensure_review_workflow(city["merchant"])
        workflow.start(city["merchant"], city["merchant"].save_revision().user)

    assert {state.revision.object_str for state in TaskState.objects.reviewable_by(moderator)} == {
        "Bochumer Büdchen"
    }
    client.force_login(moderator)
    dashboard = client.get("/admin/").content.decode()
    assert "Bochumer Büdchen" in dashboard and "Dortmunder Kiosk" not in dashboard
    task = review_task()
    assert task.get_actions(cities["Bochum"]["merchant"], moderator)
    assert task.get_actions(cities["Dortmund"]["merchant"], moderator) == []
    assert not task.user_can_access_editor(cities["Dortmund"]["merchant"], moderator)
