"""Page URLs. Paths are Vietnamese without diacritics, as users read and type them."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from congvu.web import records, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.CongvuLoginView.as_view(), name="login"),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("to-chuc/", views.org_tree, name="org_tree"),
    path("to-chuc/<int:unit_id>/con/", views.org_children, name="org_children"),
    path("don-vi/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("can-bo/", views.people_list, name="people_list"),
    path("can-bo/<int:person_id>/", views.person_detail, name="person_detail"),
    path("can-bo/<int:person_id>/sua/", views.person_edit, name="person_edit"),
    path("can-bo/<int:person_id>/cong-tac/them/", records.employment_add, name="employment_add"),
    path("can-bo/<int:person_id>/cong-tac/don-vi/", records.employment_units, name="employment_units"),
    path("can-bo/<int:person_id>/cong-tac/vi-tri/", records.employment_positions, name="employment_positions"),
    path("can-bo/<int:person_id>/ky-luat/them/", records.discipline_add, name="discipline_add"),
    path("can-bo/<int:person_id>/khen-thuong/them/", records.reward_add, name="reward_add"),
    path("can-bo/<int:person_id>/nghi/them/", records.leave_add, name="leave_add"),
    path("nhap-du-lieu/", views.import_people, name="import_people"),
    path("xuat-du-lieu/", views.export_people, name="export_people"),
]

# Reconciliation with the population database (issue 4): runs, the per-unit queue, one record, the .xlsx list.
from congvu.web import reconciliation  # noqa: E402

urlpatterns += [
    path("doi-soat/", reconciliation.runs, name="recon_runs"),
    path("doi-soat/lan/<int:run_id>/", reconciliation.run_detail, name="recon_run"),
    path("doi-soat/lan/<int:run_id>/don-vi/<int:unit_id>/", reconciliation.unit_queue, name="recon_unit"),
    path("doi-soat/lan/<int:run_id>/don-vi/<int:unit_id>/excel/", reconciliation.unit_xlsx, name="recon_unit_xlsx"),
    path("doi-soat/ho-so/<int:record_id>/", reconciliation.record_detail, name="recon_record"),
]

# Period evaluation (issue 3): my month, a sheet and its task lines, the explanation, the team board, approval.
from congvu.web import evaluation  # noqa: E402

urlpatterns += [
    path("danh-gia/cua-toi/", evaluation.my_month, name="eval_my"),
    path("danh-gia/qua-han/", evaluation.overdue_fragment, name="eval_overdue"),
    path("danh-gia/don-vi/", evaluation.team_board, name="eval_team"),
    path("danh-gia/phe-duyet/", evaluation.approve_board, name="eval_approve"),
    path("danh-gia/phe-duyet/xac-nhan/", evaluation.approve_confirm, name="eval_approve_confirm"),
    path("danh-gia/phieu/<int:sheet_id>/", evaluation.sheet_detail, name="eval_sheet"),
    path("danh-gia/phieu/<int:sheet_id>/giai-trinh/", evaluation.sheet_explain, name="eval_explain"),
    path("danh-gia/phieu/<int:sheet_id>/de-xuat/", evaluation.task_propose, name="eval_task_propose"),
    path("danh-gia/phieu/<int:sheet_id>/giao-viec/", evaluation.task_assign, name="eval_task_assign"),
    path("danh-gia/phieu/<int:sheet_id>/tu-danh-gia/", evaluation.sheet_self_assess, name="eval_self_assess"),
    path("danh-gia/phieu/<int:sheet_id>/cham-diem/", evaluation.sheet_score, name="eval_score"),
    path("danh-gia/phieu/<int:sheet_id>/mo-lai/", evaluation.sheet_reopen, name="eval_reopen"),
    path("danh-gia/dong/<int:line_id>/bao-cao/", evaluation.line_report, name="eval_line_report"),
    path("danh-gia/dong/<int:line_id>/ghi-nhan/", evaluation.line_findings, name="eval_line_findings"),
    path("danh-gia/dong/<int:line_id>/duyet/", evaluation.line_accept, name="eval_line_accept"),
    path("danh-gia/dong/<int:line_id>/xoa/", evaluation.line_remove, name="eval_line_remove"),
    path("danh-gia/dong/<int:line_id>/minh-chung/", evaluation.line_evidence, name="eval_line_evidence"),
]

# Annual classification, summaries with charts, the PDF form, the .xlsx list, the product catalogue (issue 3).
from congvu.web import catalogue, evaluation_annual, evaluation_reports  # noqa: E402

urlpatterns += [
    path("danh-gia/xep-loai-nam/", evaluation_annual.annual_index, name="annual_index"),
    path("danh-gia/xep-loai-nam/<int:agency_id>/<int:year>/", evaluation_annual.annual_run, name="annual_run"),
    path("danh-gia/xep-loai-nam/<int:agency_id>/<int:year>/tinh/", evaluation_annual.annual_compute,
         name="annual_compute"),
    path("danh-gia/xep-loai-nam/ket-qua/<int:run_id>/chon-bang-diem/", evaluation_annual.annual_promote,
         name="annual_promote"),
    path("danh-gia/xep-loai-nam/ket-qua/<int:run_id>/phe-duyet/", evaluation_annual.annual_approve,
         name="annual_approve"),
    path("danh-gia/xep-loai-nam/ket-qua/<int:run_id>/cong-khai/", evaluation_annual.annual_publish,
         name="annual_publish"),
    path("danh-gia/xep-loai-nam/ket-qua/<int:run_id>/chot/", evaluation_annual.annual_finalise, name="annual_finalise"),
    path("danh-gia/xep-loai-nam/ket-qua/<int:run_id>/mo-lai/", evaluation_annual.annual_reopen, name="annual_reopen"),
    path("danh-gia/xep-loai-nam/ket-qua/<int:run_id>/excel/", evaluation_annual.annual_xlsx, name="annual_xlsx"),
    path("danh-gia/xep-loai-nam/ket-qua/<int:run_id>/can-bo/<int:person_id>/", evaluation_annual.annual_person,
         name="annual_person"),
    path("danh-gia/xep-loai-nam/ket-qua/<int:run_id>/can-bo/<int:person_id>/phieu.pdf", evaluation_annual.annual_pdf,
         name="annual_pdf"),
    path("danh-gia/phieu/<int:sheet_id>/mau-01.pdf", evaluation_annual.sheet_pdf, name="sheet_pdf"),
    path("danh-gia/tong-hop/", evaluation_reports.summary, name="summary"),
    path("danh-gia/danh-muc/", catalogue.catalogue_index, name="catalogue_index"),
    path("danh-gia/danh-muc/<int:unit_id>/", catalogue.catalogue_list, name="catalogue_list"),
    path("danh-gia/danh-muc/<int:unit_id>/them/", catalogue.catalogue_add, name="catalogue_add"),
    path("danh-gia/danh-muc/<int:unit_id>/nhap/", catalogue.catalogue_import, name="catalogue_import"),
    path("danh-gia/danh-muc/<int:unit_id>/phe-duyet/", catalogue.catalogue_approve, name="catalogue_approve"),
]

# Consequences of the evaluation ("có vào, có ra, có lên, có xuống", issue 5): the agencies and years, the board
# with its four tabs and .xlsx, one entry with its decisions, the decision PDF, the cost page and its .xlsx.
from congvu.web import consequences, consequences_person  # noqa: E402

urlpatterns += [
    path("su-dung-ket-qua/", consequences.index, name="cq_index"),
    path("can-bo/<int:person_id>/hoan-canh/them/", consequences_person.circumstance_add, name="circumstance_add"),
    path("su-dung-ket-qua/<int:agency_id>/<int:year>/", consequences.board, name="cq_board"),
    path("su-dung-ket-qua/<int:agency_id>/<int:year>/lap-danh-sach/", consequences.make_lists, name="cq_make_lists"),
    path("su-dung-ket-qua/<int:agency_id>/<int:year>/excel/", consequences.board_xlsx, name="cq_board_xlsx"),
    path("su-dung-ket-qua/<int:agency_id>/<int:year>/chi-phi/", consequences.cost, name="cq_cost"),
    path("su-dung-ket-qua/<int:agency_id>/<int:year>/chi-phi/excel/", consequences.cost_xlsx, name="cq_cost_xlsx"),
    path("su-dung-ket-qua/muc/<int:entry_id>/", consequences.entry_page, name="cq_entry"),
    path("su-dung-ket-qua/muc/<int:entry_id>/chap-nhan/", consequences.accept, name="cq_accept"),
    path("su-dung-ket-qua/muc/<int:entry_id>/khong-chap-nhan/", consequences.reject, name="cq_reject"),
    path("su-dung-ket-qua/muc/<int:entry_id>/hoan/", consequences.defer, name="cq_defer"),
    path("su-dung-ket-qua/quyet-dinh/<int:decision_id>.pdf", consequences.decision_pdf, name="cq_decision_pdf"),
]

# Restructuring and redeployment (issue 6): events, plans with their impact, commit and undo, the comparison of two
# plans, redeployment runs and proposals with accept / change / reject, the report and its .xlsx.
from congvu.web import restructuring  # noqa: E402

urlpatterns += [
    path("sap-xep/", restructuring.events, name="rs_events"),
    path("sap-xep/su-kien/<int:event_id>/", restructuring.event_detail, name="rs_event"),
    path("sap-xep/su-kien/<int:event_id>/bo/", restructuring.event_remove, name="rs_event_remove"),
    path("sap-xep/phuong-an/", restructuring.plans, name="rs_plans"),
    path("sap-xep/phuong-an/tao/", restructuring.plan_create, name="rs_plan_create"),
    path("sap-xep/phuong-an/<int:plan_id>/", restructuring.plan_detail, name="rs_plan"),
    path("sap-xep/phuong-an/<int:plan_id>/them-su-kien/", restructuring.event_add, name="rs_event_add"),
    path("sap-xep/phuong-an/<int:plan_id>/quyet-dinh/", restructuring.plan_commit, name="rs_plan_commit"),
    path("sap-xep/phuong-an/<int:plan_id>/huy-bo/", restructuring.plan_undo, name="rs_plan_undo"),
    path("sap-xep/so-sanh/", restructuring.compare, name="rs_compare"),
    path("sap-xep/bo-tri/", restructuring.runs, name="rs_runs"),
    path("sap-xep/bo-tri/lap/", restructuring.run_create, name="rs_run_create"),
    path("sap-xep/bo-tri/<int:run_id>/", restructuring.run_detail, name="rs_run"),
    path("sap-xep/de-xuat/<int:proposal_id>/", restructuring.proposal_detail, name="rs_proposal"),
    path("sap-xep/de-xuat/<int:proposal_id>/chap-nhan/", restructuring.proposal_accept, name="rs_proposal_accept"),
    path("sap-xep/de-xuat/<int:proposal_id>/vi-tri-khac/", restructuring.proposal_change, name="rs_proposal_change"),
    path("sap-xep/de-xuat/<int:proposal_id>/khong-chap-nhan/", restructuring.proposal_reject,
         name="rs_proposal_reject"),
    path("sap-xep/bao-cao/", restructuring.report, name="rs_report"),
    path("sap-xep/bao-cao/excel/", restructuring.report_xlsx, name="rs_report_xlsx"),
]
