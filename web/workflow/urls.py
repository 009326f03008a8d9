from django.contrib.auth import views as auth_views
from django.urls import path

from .. import jobs
from . import inbox, items, preview, tasks
from .forms import ThrottledAuthenticationForm

app_name = "workflow"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html",
                                                authentication_form=ThrottledAuthenticationForm,
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", inbox.inbox, name="inbox"),
    # items
    path("items/", items.item_list, name="items"),
    path("items/new/", items.item_create, name="item_create"),
    path("items/<oid:pk>/", items.item_detail, name="item"),
    path("items/<oid:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<oid:pk>/submit/", items.item_submit, name="item_submit"),
    path("items/<oid:pk>/publish/", items.item_publish, name="item_publish"),
    path("items/<oid:pk>/withdraw/", items.item_withdraw, name="item_withdraw"),
    path("items/<oid:pk>/sheet/", items.review_sheet, name="item_sheet"),
    path("items/<oid:pk>/revisions/<oid:number>/", items.revision_detail, name="revision"),
    path("items/<oid:pk>/attachments/<oid:att_pk>/", items.attachment_download, name="attachment"),
    path("items/<oid:pk>/attachments/<oid:att_pk>/view/", preview.attachment_view, name="attachment_preview"),
    path("items/<oid:pk>/preview/", preview.item_preview, name="item_preview"),
    path("items/<oid:pk>/revisions/<oid:number>/preview/", preview.revision_preview, name="revision_preview"),
    # tasks
    path("tasks/batch-approve/", tasks.task_batch_approve, name="task_batch_approve"),
    path("tasks/<oid:task_pk>/", tasks.task_detail, name="task"),
    path("tasks/<oid:task_pk>/claim/", tasks.task_claim, name="task_claim"),
    path("tasks/<oid:task_pk>/unclaim/", tasks.task_unclaim, name="task_unclaim"),
    path("tasks/<oid:task_pk>/approve/", tasks.task_approve, name="task_approve"),
    path("tasks/<oid:task_pk>/proofread/", tasks.task_proofread, name="task_proofread"),
    path("tasks/<oid:task_pk>/reject/", tasks.task_reject, name="task_reject"),
    path("tasks/<oid:task_pk>/return/", tasks.task_return, name="task_return"),
    path("tasks/<oid:task_pk>/mask/", tasks.task_mask, name="task_mask"),
    # background jobs (scans, PDF batches, exports)
    path("jobs/<oid:pk>/", jobs.job_detail, name="job"),
    path("jobs/<oid:pk>/status.json", jobs.job_status, name="job_status"),
    path("jobs/<oid:pk>/file/", jobs.job_file, name="job_file"),
]
