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
    path("report/<str:code>/<year:year>/force/", views.report_force, name="report_force"),
    path("report/<str:code>/<year:year>/history/", views.report_history, name="report_history"),
    path("report/<str:code>/<year:year>/figures/", views.report_figures, name="report_figures"),
    path("report/figures/import/", views.figures_import, name="figures_import"),
    path("report/figures/template.<str:fmt>", views.figures_template, name="figures_template"),
    path("appeals/<str:code>/", views.appeals, name="appeals"),
    path("appeals/case/<oid:pk>/", views.appeal_edit, name="appeal_edit"),
]
