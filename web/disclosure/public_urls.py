"""/gk/apply/ and /gk/query/ (no log-in), next to the public catalogue under /gk/."""
from django.urls import path

from . import public

app_name = "gk_requests"
urlpatterns = [
    path("apply/", public.apply, name="apply"),
    path("query/", public.query, name="query"),
    path("query/letters/<oid:pk>.<str:fmt>", public.letter_download, name="letter"),
]
