from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("read/", views.notice_read, name="read"),
    path("<oid:pk>/open/", views.notice_open, name="open"),
    path("settings/", views.notice_settings, name="settings"),
]
