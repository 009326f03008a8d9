from django.contrib import admin
from django.urls import include, path

from web.errors import favicon

admin.site.site_header = "审发 · 政务公开审核发布系统"
admin.site.site_title = "审发管理"
admin.site.index_title = "系统配置"

urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("gk/", include("web.disclosure.public_urls")),  # 在线申请 /gk/apply/, 查询 /gk/query/ (no log-in)
    path("gk/", include("web.publishing.urls")),       # public catalogue 政府信息公开 (no log-in) + publishing pages
    path("requests/", include("web.disclosure.urls")),  # 依申请公开
    path("audit/", include("web.audit.urls")),          # exports, review sheets, annual report
    path("notices/", include("web.notices.urls")),     # 消息通知
    path("api/v1/", include("api.urls")),               # token-authenticated JSON API
    path("", include("web.workflow.urls")),             # log-in, inboxes, items, tasks
]

handler400 = "web.errors.bad_request"
handler403 = "web.errors.permission_denied"
handler404 = "web.errors.page_not_found"
handler500 = "web.errors.server_error"
