from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.register, name="register"),
    path("overdue/", views.overdue, name="overdue"),
    path("<oid:pk>/", views.detail, name="detail"),
    path("<oid:pk>/<slug:action>/", views.act, name="act"),
]
