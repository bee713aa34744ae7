from django.urls import path

from chiso.monitoring.dashboards import views as dashboard_views
from chiso.monitoring.reports import chasing, views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("thong-bao/", views.notification_list, name="notification_list"),
    path("thong-bao/<int:pk>/", views.notification_open, name="notification_open"),
    path("ke-hoach/<int:plan_pk>/", views.plan_dashboard_view, name="plan_dashboard"),
    path("don-vi/", dashboard_views.my_unit_dashboard, name="my_unit_dashboard"),
    path("don-vi/<int:unit_pk>/", dashboard_views.unit_dashboard, name="unit_dashboard"),
    path("thi-dua/", dashboard_views.emulation_ranking, name="emulation_ranking"),
    path("thi-dua/cach-tinh/", dashboard_views.emulation_weights_edit, name="emulation_weights"),
    path("lanh-dao/", dashboard_views.leadership_home, name="leadership_home"),
    path("chi-so/<str:index>/", dashboard_views.index_overview, name="index_overview"),
    path("nhiem-vu/<int:task_pk>/", dashboard_views.task_progress, name="task_progress"),
    path("ke-hoach/<int:plan_pk>/ky-bao-cao/", views.period_list, name="period_list"),
    path("ke-hoach/<int:plan_pk>/ky-bao-cao/tao-theo-che-do/", views.period_generate, name="period_generate"),
    path("ke-hoach/<int:plan_pk>/ky-bao-cao/moi/", views.period_create, name="period_create"),
    path("ky-bao-cao/<int:pk>/", views.period_detail, name="period_detail"),
    path("ky-bao-cao/<int:pk>/sua/", views.period_edit, name="period_edit"),
    path("ky-bao-cao/<int:pk>/xoa/", views.period_delete, name="period_delete"),
    path("ky-bao-cao/<int:pk>/don-doc/", chasing.period_chase, name="period_chase"),
    path("ky-bao-cao/<int:period_pk>/bao-cao-cua-don-vi/", views.unit_report, name="unit_report"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/danh-gia-chung/", views.report_summary, name="report_summary"),
    path("bao-cao/<int:pk>/gui/", views.report_submit, name="report_submit"),
    path("bao-cao/<int:pk>/trinh-duyet/", views.report_request_approval, name="report_request_approval"),
    path("bao-cao/<int:pk>/tra-dau-moi/", views.report_return_to_focal_point, name="report_return_to_focal_point"),
    path("bao-cao/<int:pk>/chap-nhan/", views.report_accept, name="report_accept"),
    path("bao-cao/<int:pk>/tra-lai/", views.report_return, name="report_return"),
    path("bao-cao/<int:pk>/lan-gui/<int:number>/", views.version_detail, name="version_detail"),
    path("bao-cao/<int:pk>/dong/<int:line_pk>/", views.line_row, name="line_row"),
    path("bao-cao/<int:pk>/dong/<int:line_pk>/sua/", views.line_edit, name="line_edit"),
    path("bao-cao/<int:pk>/dong/<int:line_pk>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("minh-chung/<int:pk>/go/", views.evidence_remove, name="evidence_remove"),
    path("minh-chung/<int:pk>/cong-khai/", views.evidence_publish, name="evidence_publish"),
]
