from django.urls import path

from chiso.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("moi/", views.framework_create, name="framework_create"),
    path("<int:pk>/", views.framework_detail, name="framework_detail"),
    path("<int:pk>/sua/", views.framework_edit, name="framework_edit"),
    path("<int:pk>/sao-chep/", views.framework_copy, name="framework_copy"),
    path("<int:pk>/noi-dung/moi/", views.node_edit, name="node_create"),
    path("<int:pk>/noi-dung/<int:node_pk>/sua/", views.node_edit, name="node_edit"),
    path("<int:pk>/noi-dung/<int:node_pk>/lich-su/", views.node_history, name="node_history"),
]
