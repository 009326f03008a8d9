from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "审发 · 政务公开审核发布系统"
admin.site.site_title = "审发管理"
admin.site.index_title = "系统配置"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("workflow.urls")),
]
