from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.register, name="register"),
    path("overdue/", views.overdue, name="overdue"),
    path("online/<oid:pk>/", views.online_detail, name="online"),
    path("online/<oid:pk>/id-document/", views.online_id_document, name="online_id"),
    path("letters/<oid:pk>/", views.letter_preview, name="letter"),
    path("letters/<oid:pk>.<str:fmt>", views.letter_file, name="letter_file"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<oid:agency_id>/<slug:key>/", views.template_edit, name="template_edit"),
    path("import/", views.import_page, name="import"),
    path("import/template/<slug:kind>.<str:fmt>", views.import_template, name="import_template"),
    path("<oid:pk>/", views.detail, name="detail"),
    path("<oid:pk>/<slug:action>/", views.act, name="act"),
]
