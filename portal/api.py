"""The project's APIs.

- Wagtail API v2 (REST framework) for pages, images and documents under /api/v2/.
- The project's own JSON endpoints (map feed, details, later search) on django-ninja under
  /api/, with their OpenAPI schema at /api/openapi.json. Wagtail's own ninja API (v3, a
  preview) uses the namespace "wagtailapi_v3"; ours is "portal_api".
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents import get_document_model
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, ReferenceIndex

from directory.api import router as directory_router
from directory.open_data_api import router as open_data_router
from search.api import router as search_router


def used_on_public_pages(model):
    """Primary keys of the `model` objects (images, documents) that live, public pages use:
    Wagtail's reference index follows every chooser field, StreamField block and rich-text link
    of the pages' published content."""
    public_pages = Page.objects.live().public().annotate(key=Cast("pk", CharField())).values("key")
    return (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=public_pages,
            to_content_type=ContentType.objects.get_for_model(model),
        )
        .annotate(used_pk=Cast("to_object_id", IntegerField()))
        .values("used_pk")
    )


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """Only images the public can see on the site: a merchant's uploads stay private until a
    published page shows them (drafts, unapproved merchants, other collections)."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=used_on_public_pages(get_image_model()))


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Only documents a published page links to; other uploads stay private."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=used_on_public_pages(get_document_model()))


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)


class PortalNinjaAPI(NinjaAPI):
    """ninja documents every answer as application/json; the map feed and the open data's
    GeoJSON are served and so documented as application/geo+json, the open data's CSV as
    text/csv."""

    geojson_operations = ("map_merchants", "open_data_geojson")
    csv_operations = ("open_data_csv",)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                if operation.get("operationId") in self.geojson_operations:
                    responses = operation["responses"]
                    ok = responses.get(200) or responses["200"]
                    ok["content"] = {"application/geo+json": ok["content"]["application/json"]}
                elif operation.get("operationId") in self.csv_operations:
                    responses = operation["responses"]
                    ok = responses.get(200) or responses["200"]
                    ok["content"] = {"text/csv": {"schema": {"type": "string"}}}
        return schema


portal_api = PortalNinjaAPI(
    title="Portal API",
    version="1",
    description="Map feed, merchant details, search and open data of the current city.",
    urls_namespace="portal_api",
    openapi_url="/openapi.json",
    docs_url=None,  # ninja's docs page loads Swagger UI from a CDN; the schema is enough
)
portal_api.add_router("/", directory_router)
portal_api.add_router("/", search_router)
portal_api.add_router("/", open_data_router)


@portal_api.exception_handler(ValidationError)
def invalid_parameter(request, exc: ValidationError):
    """ninja's 422 for a parameter of the wrong type or range (a merchant id that is no
    number), in the API's one error shape: {"error": the parameter, "detail": ...}."""
    location = exc.errors[0].get("loc", ()) if exc.errors else ()
    parameter = str(location[-1]) if location else "request"
    detail = _("The value of “%(parameter)s” is not valid.") % {"parameter": parameter}
    return portal_api.create_response(request, {"error": parameter, "detail": detail}, status=422)
