"""The project's APIs.

- Wagtail API v2 (REST framework) for pages, images and documents under /api/v2/.
- The project's own JSON endpoints (map feed, details, later search) on django-ninja under
  /api/, with their OpenAPI schema at /api/openapi.json. Wagtail's own ninja API (v3, a
  preview) uses the namespace "wagtailapi_v3"; ours is "portal_api".
"""

from ninja import NinjaAPI
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from directory.api import router as directory_router
from search.api import router as search_router

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)

portal_api = NinjaAPI(
    title="Portal API",
    version="1",
    description="Map feed, merchant details and search of the current city.",
    urls_namespace="portal_api",
    openapi_url="/openapi.json",
    docs_url=None,  # ninja's docs page loads Swagger UI from a CDN; the schema is enough
)
portal_api.add_router("/", directory_router)
portal_api.add_router("/", search_router)
