from django.urls import path

from chiso.documents.exports import report_views, views
from chiso.documents.importing import views as import_views

app_name = "documents"

urlpatterns = [
    path("ke-hoach/<int:pk>/docx/", views.plan_download_docx, name="plan_docx"),
    path("ke-hoach/<int:pk>/xlsx/", views.plan_download_xlsx, name="plan_xlsx"),
    path("ky-bao-cao/<int:pk>/cong-van-don-doc/", report_views.chase_letter_download, name="chase_letter"),
    path("ky-bao-cao/<int:pk>/<str:extension>/", report_views.period_report_download, name="period_report"),
    path("bao-cao/<int:pk>/<str:extension>/", report_views.unit_report_download, name="unit_report"),
    path("bao-cao/<int:pk>/lan-gui/<int:number>/<str:extension>/", report_views.unit_report_download,
         name="unit_report_version"),
    path("nhap-ke-hoach/", import_views.import_start, name="import_start"),
    path("nhap-ke-hoach/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("nhap-ke-hoach/<int:pk>/thong-tin/", import_views.import_header, name="import_header"),
    path("nhap-ke-hoach/<int:pk>/tien-do/", import_views.import_progress, name="import_progress"),
    path("nhap-ke-hoach/<int:pk>/doc-lai/", import_views.import_reread, name="import_reread"),
    path("nhap-ke-hoach/<int:pk>/dong/<int:key>/", import_views.import_row, name="import_row"),
    path("nhap-ke-hoach/<int:pk>/dong/<int:key>/sua/", import_views.import_row_edit, name="import_row_edit"),
    path("nhap-ke-hoach/<int:pk>/dong/<int:key>/tach/", import_views.import_row_split, name="import_row_split"),
    path("nhap-ke-hoach/<int:pk>/dong/<int:key>/gop/", import_views.import_row_merge, name="import_row_merge"),
    path("nhap-ke-hoach/<int:pk>/dong/<int:key>/xoa/", import_views.import_row_delete, name="import_row_delete"),
    path("nhap-ke-hoach/<int:pk>/khong-hieu/<int:key>/", import_views.import_unreadable_promote,
         name="import_unreadable_promote"),
    path("nhap-ke-hoach/<int:pk>/tao-don-vi/", import_views.import_new_unit, name="import_new_unit"),
    path("nhap-ke-hoach/<int:pk>/xac-nhan/", import_views.import_confirm, name="import_confirm"),
    path("nhap-ke-hoach/<int:pk>/huy/", import_views.import_cancel, name="import_cancel"),
    path("nhap-ke-hoach/<int:pk>/tep-goc/", import_views.import_original, name="import_original"),
]
