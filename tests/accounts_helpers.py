"""Small factories for the account tests: another province with its coordinator, an account in the demo."""

from __future__ import annotations

from django.test import Client

from chiso.accounts.models import Role, User
from chiso.orgs.models import Province, Unit


def make_other_province_coordinator() -> User:
    other = Province.objects.get(code="thai-nguyen")  # from the national list loaded with the demo
    snv, _ = Unit.objects.get_or_create(province=other, code="so-noi-vu",
                                        defaults={"name": "Sở Nội vụ", "kind": "department"})
    user, _ = User.objects.get_or_create(username="dieuphoi.tn", defaults={
        "role": Role.COORDINATOR, "unit": snv, "email": "dieuphoi@thainguyen.example"})
    return user


def make_account(username: str = "canbo.moi", unit_code: str = "phuong-minh-xuan", role: str = Role.FOCAL_POINT,
                 province_code: str = "tuyen-quang") -> User:
    unit = Unit.objects.get(province__code=province_code, code=unit_code)
    return User.objects.create_user(username, email=f"{username}@example.gov.vn", password="Mat-khau-cu-2025",
                                    first_name="Hà", last_name="Nguyễn Thị", role=role, unit=unit)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
