"""Index results with scores and their analysis, the results import, the emulation table, and the open data
(no token needed)."""


import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chiso.api.endpoints.common import Pages, account, refused, require_writable, since
from chiso.api.limits import count_request
from chiso.api.schemas import EmulationOut, ErrorOut, ImportOut, OpenDataOut, ResultDetail, ResultOut
from chiso.core.http import require
from chiso.core.tabular import ImportRejected
from chiso.frameworks.models import Framework
from chiso.monitoring.dashboards.emulation import BLOCKS, emulation_table, emulation_years
from chiso.orgs.models import Province
from chiso.public.opendata import LICENCE, open_rows, sources_text
from chiso.results.analysis import analyse
from chiso.results.models import Result, Score
from chiso.results.permissions import can_enter_results, get_visible_result
from chiso.results.services import ResultConflict, import_results

router = Router(tags=["Kết quả chỉ số"])


@router.get("/results", response=list[ResultOut], summary="Kết quả chỉ số")
@paginate(Pages)
def result_list(request: HttpRequest, index: str | None = None, year: int | None = None,
                province: int | None = None, unit: int | None = None,
                updated_since: dt.datetime | None = None) -> Any:
    results = Result.objects.visible_to(account(request)).select_related("framework", "province").filter(**since(updated_since)).order_by("-year", "province__name", "id")
    filters = {"framework__index": index, "year": year, "province_id": province, "unit_id": unit}
    return results.filter(**{key: value for key, value in filters.items() if value})


def _analysis(result: Any) -> dict[str, Any]:
    analysis = analyse(result)
    return {
        "total": analysis.total, "computed_total": analysis.computed_total, "previous_total": analysis.previous_total,
        "change": analysis.change, "rank": analysis.rank, "rank_published": analysis.rank_published,
        "rank_of": analysis.rank_of, "previous_rank": analysis.previous_rank, "group": analysis.group,
        "rows": [{"code": row.node.code, "name": row.node.name_vi, "depth": row.node.depth, "score": row.score,
                  "max_points": row.node.max_points, "previous": row.previous, "change": row.change,
                  "rank": row.rank, "median": row.median, "flags": row.flags} for row in analysis.rows],
    }


@router.get("/results/{int:result_id}", response=ResultDetail, summary="Một kết quả: điểm từng nội dung và phân tích")
def result_detail(request: HttpRequest, result_id: int) -> Any:
    get_visible_result(account(request), result_id)
    result = (Result.objects.select_related("framework", "province")
              .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("node")
                                         .order_by("node__position"))).get(pk=result_id))
    result.analysis = _analysis(result)  # type: ignore[attr-defined]
    return result


@router.post("/results/import", response={200: ImportOut, 400: ErrorOut, 403: ErrorOut},
             summary="Nhập kết quả từ tệp CSV/XLSX (tất cả hoặc không)")
def result_import(request: HttpRequest, framework: Form[int], year: Form[int], source: Form[str] = "",
                  file: UploadedFile = File(...)) -> Any:  # noqa: B008
    user = account(request)
    require_writable(request)
    require(can_enter_results(user))
    chosen = get_object_or_404(Framework.objects.visible_to(user), pk=framework)
    try:
        summary = import_results(file, file.name or "", chosen, year, user, source=source)
    except ImportRejected as error:
        return refused(400, _("Tệp có lỗi; chưa lưu gì."), {"file": [str(e) for e in error.errors]})
    except ResultConflict as error:
        return refused(400, str(error))
    return {"results": summary.results, "scores": summary.scores}


@router.get("/emulation", response=EmulationOut, summary="Bảng điểm thi đua của các đơn vị")
def emulation(request: HttpRequest, year: int | None = None, block: str = "", province: int | None = None) -> Any:
    user = account(request)
    if user.is_instance_admin and province:
        chosen = get_object_or_404(Province, pk=province)
    elif user.province_id:
        chosen = Province.objects.get(pk=user.province_id)
    else:
        raise Http404
    today = timezone.localdate()
    years = emulation_years(chosen, today)
    year = year if year in years else (years[0] if years else today.year)
    table = emulation_table(chosen, year, today, block=block if block in BLOCKS else "")
    return {"province_id": chosen.pk, "year": year, "as_of": table.as_of, "years": years,
            "task_weight": table.weights.task_weight, "report_weight": table.weights.report_weight,
            "rows": [{**row.__dict__, "unit": row.unit} for row in table.rows]}


@router.get("/open-data/results", response=OpenDataOut, auth=None, summary="Dữ liệu mở: kết quả đã công bố")
def open_data(request: HttpRequest, index: str | None = None, year: int | None = None,
              province: str | None = None) -> Any:
    count_request(f"ip:{request.META.get('REMOTE_ADDR', '')}")
    rows = open_rows(index=index, year=year, province_code=province)
    return {"licence": str(LICENCE), "sources": sources_text(), "count": len(rows), "rows": rows}


