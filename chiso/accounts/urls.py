from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from chiso.accounts import views
from chiso.accounts.directory.views import PasswordResetView
from chiso.accounts.forms import ChangePasswordForm, SignInForm
from chiso.accounts.second_factor_views import (
    recovery_codes,
    recovery_codes_download,
    recovery_codes_regenerate,
    second_factor_enable,
    second_factor_reset,
    second_factor_settings,
    second_factor_turn_off,
)
from chiso.accounts.two_step_sign_in import SignInView, second_step

app_name = "accounts"

urlpatterns = [
    # Django's LoginView with chiso's form; an account with a second factor then gives its code (two_step_sign_in).
    path("dang-nhap/", SignInView.as_view(template_name="accounts/login.html", authentication_form=SignInForm,
                                          redirect_authenticated_user=True), name="login"),
    path("dang-nhap/ma-xac-thuc/", second_step, name="second_factor_sign_in"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", form_class=ChangePasswordForm, success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_change_done.html"), name="password_change_done"),
    # "Quên mật khẩu": Django's reset views (one-time, expiring link by mail) with chiso's Vietnamese pages.
    path("quen-mat-khau/", PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html", email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done")), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete")), name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
    path("kich-hoat/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # Account management (coordinators and admins, their own province).
    path("quan-ly/", views.account_list, name="account_list"),
    path("quan-ly/moi/", views.account_create, name="account_create"),
    path("quan-ly/nhap/", views.account_import, name="account_import"),
    path("quan-ly/<int:pk>/sua/", views.account_edit, name="account_edit"),
    path("quan-ly/<int:pk>/trang-thai/", views.account_set_active, name="account_set_active"),
    path("quan-ly/<int:pk>/dat-lai/", views.account_reset, name="account_reset"),
    path("quan-ly/<int:pk>/xac-thuc-hai-lop/dat-lai/", second_factor_reset,
         name="second_factor_reset"),
    # The second factor of one's own account (coordinators and admins).
    path("xac-thuc-hai-lop/", second_factor_settings, name="second_factor"),
    path("xac-thuc-hai-lop/bat/", second_factor_enable, name="second_factor_enable"),
    path("xac-thuc-hai-lop/tat/", second_factor_turn_off, name="second_factor_turn_off"),
    path("xac-thuc-hai-lop/ma-khoi-phuc/", recovery_codes, name="recovery_codes"),
    path("xac-thuc-hai-lop/ma-khoi-phuc.txt", recovery_codes_download,
         name="recovery_codes_download"),
    path("xac-thuc-hai-lop/ma-khoi-phuc/tao-lai/", recovery_codes_regenerate,
         name="recovery_codes_regenerate"),
    path("dieu-phoi-tinh/moi/", views.province_coordinator_create, name="province_coordinator_create"),
]
