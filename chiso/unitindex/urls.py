from django.urls import path

from chiso.unitindex.views import files, rounds, sheets, trees

app_name = "unitindex"

urlpatterns = [
    path("", rounds.index, name="index"),
    path("dot/moi/", rounds.round_new, name="round_new"),
    path("dot/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("dot/<int:pk>/phan-cong/", rounds.assign, name="assign"),
    path("dot/<int:pk>/cong-bo/", rounds.publish, name="publish"),
    path("dot/<int:pk>/dieu-tra/", files.survey, name="survey"),
    path("dot/<int:pk>/ket-qua.<str:kind>", files.round_file, name="round_file"),
    path("phieu/<int:pk>/", sheets.sheet_detail, name="sheet_detail"),
    path("phieu/<int:pk>/gui/", sheets.sheet_send, name="sheet_send"),
    path("phieu/<int:pk>/xong-tham-dinh/", sheets.sheet_finish, name="sheet_finish"),
    path("phieu/<int:pk>/gui-giai-trinh/", sheets.sheet_explain, name="sheet_explain"),
    path("phieu/<int:pk>/mo-lai/", rounds.reopen, name="reopen"),
    path("phieu/<int:pk>/thuong-tru/", rounds.bonus_penalty, name="bonus_penalty"),
    path("phieu/<int:pk>/phieu.<str:kind>", files.sheet_file, name="sheet_file"),
    path("phieu/<int:pk>/ho-so/", files.dossier_start, name="dossier_start"),
    path("ho-so/<int:pk>/", files.dossier_detail, name="dossier_detail"),
    path("ho-so/<int:pk>/tai-ve/", files.dossier_download, name="dossier_download"),
    path("tieu-chi/<int:pk>/tu-cham/", sheets.entry_self, name="entry_self"),
    path("tieu-chi/<int:pk>/tham-dinh/", sheets.entry_appraise, name="entry_appraise"),
    path("tieu-chi/<int:pk>/giai-trinh/", sheets.entry_answer, name="entry_answer"),
    path("tieu-chi/<int:pk>/tai-len/", sheets.entry_upload, name="entry_upload"),
    path("tieu-chi/<int:pk>/chon-minh-chung/", sheets.entry_pick, name="entry_pick"),
    path("minh-chung/<int:pk>/", sheets.evidence_download, name="evidence_download"),
    path("don-vi/<int:pk>/", rounds.unit_years, name="unit_years"),
    path("bo-tieu-chi/", trees.tree_list, name="tree_list"),
    path("bo-tieu-chi/nhap/", trees.tree_import, name="tree_import"),
    path("bo-tieu-chi/<int:pk>/", trees.tree_detail, name="tree_detail"),
    path("bo-tieu-chi/<int:pk>/sao-chep/", trees.tree_copy, name="tree_copy"),
    path("bo-tieu-chi/tieu-chi/<int:pk>/", trees.criterion_edit, name="criterion_edit"),
]
