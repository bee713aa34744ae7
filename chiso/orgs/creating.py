"""Creating one unit by its name alone (from the plan import's preview, where a plan names a unit the province
does not have yet): the code is made from the name, the name must be new in the province, and everything else
is validated by the unit form, the one definition of what a valid unit is."""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext as _

from chiso.core.text import fold
from chiso.orgs.forms import UnitForm
from chiso.orgs.models import Province, Unit, UnitKind

_CODE_LENGTH = 70  # the code field holds 80: room for a "-NN" suffix


class UnitRefused(Exception):
    """The unit cannot be created; the messages say why, in Vietnamese."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def guess_kind(name: str, parent: Unit | None = None) -> str:
    """The kind a unit's name suggests: "Sở …", "Ban …" a department, "UBND xã …", "Xã …" a commune, "Phường …"
    a ward; anything else an office when its parent is a department, else a body outside the committees."""
    words = fold(name).removeprefix("ubnd ").removeprefix("uy ban nhan dan ")
    first = words.split(" ", 1)[0] if words else ""
    if first in ("so", "ban"):
        return UnitKind.DEPARTMENT
    if first == "xa":
        return UnitKind.COMMUNE
    if first == "phuong":
        return UnitKind.WARD
    if parent is not None and parent.kind == UnitKind.DEPARTMENT:
        return UnitKind.OFFICE
    return UnitKind.OUTSIDE


def name_taken(province: Province, name: str) -> bool:
    """Whether a unit of the province already has this name (or it as short name or alias), whatever the
    diacritics and case."""
    wanted = fold(name)
    return any(wanted == fold(wording) for unit in Unit.objects.filter(province=province)
               for wording in unit.wordings())


def _free_code(province: Province, name: str) -> str:
    base = slugify(fold(name))[:_CODE_LENGTH].strip("-") or "don-vi"
    taken = set(Unit.objects.filter(province=province, code__startswith=base).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def create_named_unit(province: Province, name: str, kind: str, parent: Unit | None,
                      aliases: list[str] | None = None) -> Unit:
    """A new active unit of the province, or UnitRefused (a name already used, an invalid kind or parent).
    The caller owns the transaction."""
    name = " ".join(name.split())
    if name and name_taken(province, name):
        raise UnitRefused([_("Tỉnh đã có đơn vị tên “%(name)s”: chọn đơn vị đó ở từng dòng thay vì tạo mới.")
                           % {"name": name}])
    form = UnitForm({"code": _free_code(province, name), "name": name, "kind": kind,
                     "parent": parent.pk if parent else "", "is_active": "on",
                     "aliases_text": "\n".join(aliases or [])}, province=province)
    if not form.is_valid():
        raise UnitRefused([f"{form.fields[field].label if field in form.fields else ''}: {error}".lstrip(": ")
                           for field, errors in form.errors.items() for error in errors])
    return form.save()
