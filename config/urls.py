"""Root URLs: the HTML pages of each app, the v1 API, its schema and docs, accounts and health."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("audit.api_urls")),
    path("", include("intake.api_urls")),
    path("", include("riskboundaries.api_urls")),
    path("", include("approvals.api_urls")),
    path("", include("oversight.api_urls")),
    path("", include("reporting.api_urls")),
]

handler400 = "config.handlers.bad_request"
handler403 = "config.handlers.permission_denied"
handler404 = "config.handlers.page_not_found"
handler500 = "config.handlers.server_error"

urlpatterns = [
    path("", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("requests/", include("intake.urls")),
    path("risk-boundaries/", include("riskboundaries.urls")),
    path("decisions/", include("approvals.urls")),
    path("oversight/", include("oversight.urls")),
    path("board-packs/", include("reporting.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI injects its own <style> element; only this page relaxes style-src. Scripts stay 'self' only.
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
]
