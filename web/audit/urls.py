from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("sheet/<oid:pk>/", views.review_sheet, name="review_sheet"),
    path("sheets/", views.review_sheets, name="review_sheets"),
    path("report/<str:code>/<year:year>/", views.report, name="report"),
    path("report/<str:code>/<year:year>/edit/", views.report_edit, name="report_edit"),
    path("report/<str:code>/<year:year>/drill/<str:key>/", views.report_drill, name="report_drill"),
    path("appeals/<str:code>/", views.appeals, name="appeals"),
    path("appeals/case/<oid:pk>/", views.appeal_edit, name="appeal_edit"),
]
