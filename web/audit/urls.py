from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("sheet/<int:pk>/", views.review_sheet, name="review_sheet"),
    path("sheets/", views.review_sheets, name="review_sheets"),
    path("report/<str:code>/<int:year>/", views.report, name="report"),
    path("report/<str:code>/<int:year>/edit/", views.report_edit, name="report_edit"),
    path("report/<str:code>/<int:year>/drill/<str:key>/", views.report_drill, name="report_drill"),
    path("appeals/<str:code>/", views.appeals, name="appeals"),
    path("appeals/case/<int:pk>/", views.appeal_edit, name="appeal_edit"),
]
