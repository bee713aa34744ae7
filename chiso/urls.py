from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from chiso.plans.views import home

handler400 = "chiso.core.errors.bad_request"
handler403 = "chiso.core.errors.permission_denied"
handler404 = "chiso.core.errors.page_not_found"
handler500 = "chiso.core.errors.server_error"

class FaviconRedirect(RedirectView):
    """Resolved per request: the hashed name of the collected file is only known once static files are."""

    permanent = True

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("chiso/favicon.svg")


urlpatterns = [
    path("", home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says: send them to the icon.
    path("favicon.ico", FaviconRedirect.as_view()),
    path("tai-khoan/", include("chiso.accounts.urls")),
    path("ke-hoach/", include("chiso.plans.urls")),
    path("bo-chi-so/", include("chiso.frameworks.urls")),
    path("don-vi/", include("chiso.orgs.urls")),
    path("ket-qua/", include("chiso.results.urls")),
    path("theo-doi/", include("chiso.monitoring.urls")),
    path("van-ban/", include("chiso.documents.urls")),
    path("chi-so-don-vi/", include("chiso.unitindex.urls")),
    path("", include("chiso.api.urls")),
    path("cong-khai/", include("chiso.public.urls")),
    path("ngon-ngu/", set_language, name="set_language"),
    path("quan-tri/", admin.site.urls),
    path("khoi-dau/", include("chiso.onboarding.urls")),
    path("", include("chiso.ops.urls")),
]
