from django.urls import path

from chiso.onboarding import views

app_name = "onboarding"

urlpatterns = [path("nhom-don-vi/da-ra-soat/", views.groups_reviewed, name="groups_reviewed")]
