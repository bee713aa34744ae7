from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from chiso.plans.views import home

urlpatterns = [
    path("", home, name="home"),
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
]
