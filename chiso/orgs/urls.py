from django.urls import path

from chiso.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("nhap/", views.unit_import, name="unit_import"),
    path("moi/", views.unit_edit, name="unit_create"),
    path("<int:pk>/sua/", views.unit_edit, name="unit_edit"),
]
