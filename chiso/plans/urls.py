from django.urls import path

from chiso.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("moi/", views.plan_create, name="plan_create"),
    path("nhiem-vu-cua-don-vi/", views.my_tasks, name="my_tasks"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/ban-hanh/", views.plan_issue, name="plan_issue"),
    path("<int:pk>/gui/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/trinh-duyet/", views.plan_request_approval, name="plan_request_approval"),
    path("<int:pk>/tra-lai/", views.plan_return, name="plan_return"),
    path("<int:pk>/tra-lai-can-bo-dau-moi/", views.plan_return_to_focal_point, name="plan_return_to_focal_point"),
    path("<int:pk>/tiep-nhan/", views.plan_accept, name="plan_accept"),
    path("<int:pk>/xay-dung-ke-hoach-don-vi/", views.plan_derive, name="plan_derive"),
    path("<int:pk>/phu-luc/", views.plan_appendix, name="plan_appendix"),
    path("<int:pk>/lich-su/", views.plan_history, name="plan_history"),
    path("<int:pk>/nhiem-vu/moi/", views.task_create, name="task_create"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/sua/", views.task_edit, name="task_edit"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/xoa/", views.task_delete, name="task_delete"),
]
