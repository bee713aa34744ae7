from django.urls import path

from chiso.public import views

app_name = "public"

urlpatterns = [
    path("ke-hoach/<int:pk>/", views.plan_page, name="plan"),
    path("ke-hoach/<int:pk>/qr.svg", views.plan_qr, name="plan_qr"),
    path("ke-hoach/<int:pk>/cong-khai/", views.plan_publish, name="plan_publish"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("du-lieu-mo/", views.open_data, name="open_data"),
    path("du-lieu-mo/ket-qua.csv", views.open_data_csv, name="open_data_csv"),
    path("du-lieu-mo/ket-qua.json", views.open_data_json, name="open_data_json"),
]
