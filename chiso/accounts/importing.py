"""Bulk account import (CSV/XLSX: full name, e-mail, phone, unit code, role): read and check every line first,
naming each bad line and column; the preview shows what will be created; confirming creates all or none."""

from __future__ import annotations

from typing import IO, Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from chiso.accounts.models import Role, User
from chiso.accounts.services import assignable_roles
from chiso.core.tabular import ImportRejected, header_map, read_table
from chiso.core.text import clean_spaces, fold
from chiso.orgs.models import Province, Unit

COLUMNS = {
    "full_name": ("full_name", "full name", "ho va ten", "ho ten", "ten"),
    "email": ("email", "e-mail", "thu dien tu", "dia chi thu"),
    "phone": ("phone", "dien thoai", "so dien thoai"),
    "unit_code": ("unit_code", "unit code", "ma don vi", "don vi"),
    "role": ("role", "vai tro"),
}
REQUIRED = ("full_name", "email", "unit_code", "role")
MAX_ROWS = 3000
MAX_BYTES = 2 * 1024 * 1024
SALT = "chiso.accounts.import-preview"
ROLE_WORDS = {fold(str(role.label)): role.value for role in Role} | {fold(role.value): role.value for role in Role} | {
    "dau moi": Role.FOCAL_POINT, "can bo dau moi": Role.FOCAL_POINT, "lanh dao": Role.LEADER,
    "lanh dao don vi": Role.LEADER, "dieu phoi": Role.COORDINATOR, "lanh dao tinh": Role.VIEWER,
    "chi xem": Role.VIEWER, "xem": Role.VIEWER, "quan tri": Role.ADMIN}


def _cells(row: list[Any], header: dict[str, int]) -> dict[str, str]:
    return {column: clean_spaces(str(row[i])) if i < len(row) and row[i] is not None else ""
            for column, i in header.items()}


def _check_line(line: int, cells: dict[str, str], context: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    email = cells["email"].lower()
    if not cells["full_name"]:
        errors.append(_("Dòng %(line)s, cột họ và tên: còn trống.") % {"line": line})
    try:
        validate_email(email)
    except ValidationError:
        errors.append(_("Dòng %(line)s, cột thư điện tử: “%(v)s” không phải địa chỉ thư hợp lệ.")
                      % {"line": line, "v": cells["email"]})
    else:
        if email in context["seen"]:
            errors.append(_("Dòng %(line)s, cột thư điện tử: “%(v)s” trùng với dòng %(other)s.")
                          % {"line": line, "v": email, "other": context["seen"][email]})
        elif email in context["taken"]:
            errors.append(_("Dòng %(line)s, cột thư điện tử: đã có tài khoản dùng “%(v)s”.") % {"line": line, "v": email})
        context["seen"].setdefault(email, line)
    unit = context["units"].get(fold(cells["unit_code"]))
    if unit is None:
        errors.append(_("Dòng %(line)s, cột mã đơn vị: tỉnh không có đơn vị mã “%(v)s”.")
                      % {"line": line, "v": cells["unit_code"]})
    role = ROLE_WORDS.get(fold(cells["role"]))
    if role not in context["roles"]:
        errors.append(_("Dòng %(line)s, cột vai trò: “%(v)s” không hợp lệ (dùng một trong: %(valid)s).")
                      % {"line": line, "v": cells["role"], "valid": context["role_names"]})
    return {"full_name": cells["full_name"], "email": email, "phone": cells.get("phone", ""),
            "unit": unit, "role": role}


def taken_logins(emails: set[str]) -> set[str]:
    """Which of these addresses already sign someone in (as e-mail or login), in one query."""
    found = (User.objects.annotate(email_l=Lower("email"), login_l=Lower("username"))
             .filter(Q(email_l__in=emails) | Q(login_l__in=emails)).values_list("email_l", "login_l"))
    return {value for pair in found for value in pair} & emails


def check_rows(rows: list[list[Any]], province: Province, actor: User) -> list[dict[str, Any]]:
    """Every line checked; ImportRejected names every problem. Returns the accounts to create."""
    rows = [r for r in rows if any(str(c or "").strip() for c in r)]
    if len(rows) < 2:
        raise ImportRejected([_("Tệp không có dữ liệu.")])
    header = header_map(rows[0], COLUMNS)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRejected([_("Thiếu cột bắt buộc: %(cols)s. Dòng đầu là tên cột: họ và tên, thư điện tử, "
                                "điện thoại, mã đơn vị, vai trò.") % {"cols": ", ".join(missing)}])
    roles = assignable_roles(actor)
    lines = [_cells(row, header) for row in rows[1:]]
    context = {"seen": {}, "roles": set(roles), "role_names": ", ".join(str(r.label) for r in roles),
               "units": {fold(u.code): u for u in Unit.objects.filter(province=province, is_active=True)},
               "taken": taken_logins({line["email"].lower() for line in lines})}
    errors: list[str] = []
    accounts = [_check_line(number, line, context, errors) for number, line in enumerate(lines, 2)]
    if errors:
        raise ImportRejected(errors)
    return accounts


def read_accounts(upload: IO[bytes], filename: str, province: Province, actor: User) -> list[dict[str, Any]]:
    return check_rows(read_table(upload, filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS), province, actor)


def sign_preview(accounts: list[dict[str, Any]]) -> str:
    """The checked lines travel with the preview page, signed, so the confirmation needs no stored file."""
    plain = [[a["full_name"], a["email"], a["phone"], a["unit"].code, a["role"]] for a in accounts]
    return signing.dumps(plain, salt=SALT, compress=True)


def unsign_preview(token: str, province: Province, actor: User) -> list[dict[str, Any]]:
    """The preview's lines, checked again (an e-mail may have been taken since the preview)."""
    try:
        plain = signing.loads(token, salt=SALT, max_age=3600)
    except signing.BadSignature:
        raise ImportRejected([_("Bản xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại.")]) from None
    header = ["full_name", "email", "phone", "unit_code", "role"]
    return check_rows([header, *plain], province, actor)
