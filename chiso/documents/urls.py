from django.urls import path

from chiso.documents import report_views, views

app_name = "documents"

urlpatterns = [
    path("ke-hoach/<int:pk>/docx/", views.plan_download_docx, name="plan_docx"),
    path("ke-hoach/<int:pk>/xlsx/", views.plan_download_xlsx, name="plan_xlsx"),
    path("ky-bao-cao/<int:pk>/<str:extension>/", report_views.period_report_download, name="period_report"),
    path("bao-cao/<int:pk>/<str:extension>/", report_views.unit_report_download, name="unit_report"),
    path("bao-cao/<int:pk>/lan-gui/<int:number>/<str:extension>/", report_views.unit_report_download,
         name="unit_report_version"),
]
