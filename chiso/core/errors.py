"""Error pages in the site's layout and language: 400, 403, 404, 500 and a refused CSRF check (429, a
locked sign-in, is django-axes' AXES_LOCKOUT_TEMPLATE, accounts/locked_out.html, in the same layout).

Pages 400–429 render with the request (the language the user chose, a link home); the 500 page renders
without it, from a plain Context: no context processor, no session, no database, since any of those may be
what failed."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import Context, loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    body = loader.render_to_string("errors/error.html", {"status": status, "title": title, "message": message},
                                   request=request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, _("Yêu cầu không hợp lệ"),
                 _("Dữ liệu gửi lên không đọc được. Quay lại trang trước, kiểm tra nội dung rồi gửi lại."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, _("Không có quyền thực hiện"),
                 _("Tài khoản của bạn không được phép xem hoặc thay đổi nội dung này. Nếu cần, hãy liên hệ "
                   "Sở Nội vụ hoặc quản trị hệ thống."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, _("Không tìm thấy trang"),
                 _("Trang này không có hoặc không thuộc phạm vi tài khoản của bạn. Kiểm tra lại địa chỉ hoặc "
                   "quay về trang chủ."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    logger.warning("CSRF check refused on %s: %s", request.path, reason)
    return _page(request, 403, _("Phiên làm việc đã hết hạn"),
                 _("Biểu mẫu này đã mở quá lâu hoặc được gửi từ nơi khác nên chưa được chấp nhận; chưa có gì "
                   "thay đổi. Tải lại trang rồi gửi lại biểu mẫu."))


def server_error(request: HttpRequest) -> HttpResponse:
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.template.render(Context({})))  # type: ignore[attr-defined]
