from django.urls import path

from chiso.results import views

app_name = "results"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("nhap/", views.result_create, name="result_create"),
    path("nhap-tep/", views.result_import, name="result_import"),
    path("mau/", views.result_template, name="result_template"),
    path("<int:pk>/", views.result_detail, name="result_detail"),
    path("<int:pk>/sua/", views.result_edit, name="result_edit"),
    path("<int:pk>/gia-dinh/", views.result_whatif, name="result_whatif"),
    path("<int:pk>/chen-vao-ke-hoach/", views.insert_into_plan, name="insert_into_plan"),
    path("tinh/<slug:code>/", views.province_results, name="province_results"),
    path("ke-hoach/<int:plan_pk>/", views.plan_coverage_view, name="plan_coverage"),
    path("ke-hoach/<int:plan_pk>/sao-chep/", views.plan_copy_task, name="plan_copy_task"),
]
