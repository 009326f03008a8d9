from django.contrib.auth import views as auth_views
from django.urls import path

from . import inbox, items, tasks
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
    path("items/<int:pk>/", items.item_detail, name="item"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/submit/", items.item_submit, name="item_submit"),
    path("items/<int:pk>/publish/", items.item_publish, name="item_publish"),
    path("items/<int:pk>/withdraw/", items.item_withdraw, name="item_withdraw"),
    path("items/<int:pk>/sheet/", items.review_sheet, name="item_sheet"),
    path("items/<int:pk>/revisions/<int:number>/", items.revision_detail, name="revision"),
    path("items/<int:pk>/attachments/<int:att_pk>/", items.attachment_download, name="attachment"),
    # tasks
    path("tasks/<int:task_pk>/", tasks.task_detail, name="task"),
    path("tasks/<int:task_pk>/claim/", tasks.task_claim, name="task_claim"),
    path("tasks/<int:task_pk>/unclaim/", tasks.task_unclaim, name="task_unclaim"),
    path("tasks/<int:task_pk>/approve/", tasks.task_approve, name="task_approve"),
    path("tasks/<int:task_pk>/proofread/", tasks.task_proofread, name="task_proofread"),
    path("tasks/<int:task_pk>/reject/", tasks.task_reject, name="task_reject"),
    path("tasks/<int:task_pk>/return/", tasks.task_return, name="task_return"),
    path("tasks/<int:task_pk>/mask/", tasks.task_mask, name="task_mask"),
]
