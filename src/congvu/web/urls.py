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
