from django.urls import path

from chiso.documents import views

app_name = "documents"

urlpatterns = [
    path("ke-hoach/<int:pk>/docx/", views.plan_download_docx, name="plan_docx"),
    path("ke-hoach/<int:pk>/xlsx/", views.plan_download_xlsx, name="plan_xlsx"),
]
