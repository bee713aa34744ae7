from django.urls import path

from chiso.api import views
from chiso.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("tai-khoan/khoa-api/", views.token_list, name="api_tokens"),
    path("tai-khoan/khoa-api/<int:pk>/thu-hoi/", views.token_revoke, name="api_token_revoke"),
]
