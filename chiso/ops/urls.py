from django.urls import path

from chiso.ops.views import healthz

app_name = "ops"

urlpatterns = [path("healthz", healthz, name="healthz")]
