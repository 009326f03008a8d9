"""/gk/: the public 政府信息公开 column (no log-in) and, under /gk/manage/, the publishers' pages."""
from django.urls import path

from . import internal, public

app_name = "publishing"
urlpatterns = [
    path("", public.catalogue_list, name="catalogue"),
    path("agency/<str:agency_code>/", public.catalogue_list, name="by_agency"),
    path("topic/<oid:topic_id>/", public.catalogue_list, name="by_topic"),
    path("facet/<oid:facet_id>/", public.catalogue_list, name="by_facet"),
    path("valid/", public.catalogue_list, {"valid": True}, name="valid"),
    path("item/<oid:pk>/", public.item_detail, name="item"),
    path("item/<oid:pk>/files/<oid:attachment_id>/", public.attachment_download, name="attachment"),
    path("feed.atom", public.LatestFeed(), name="feed"),
    path("api/items.json", public.items_json, name="items_json"),
    # internal
    path("manage/scheduled/", internal.scheduled_list, name="scheduled"),
    path("manage/overdue/", internal.overdue_list, name="overdue"),
    path("manage/cleanup/", internal.cleanup_list, name="cleanup_list"),
    path("manage/cleanup/<oid:pk>/", internal.cleanup_detail, name="cleanup"),
    path("manage/campaigns/", internal.campaign_list, name="campaigns"),
    path("manage/campaigns/<oid:pk>/", internal.campaign_detail, name="campaign"),
    path("manage/items/<oid:pk>/", internal.item_manage, name="item_manage"),
    path("manage/items/<oid:pk>/withdraw/", internal.item_withdraw, name="item_withdraw"),
    path("manage/items/<oid:pk>/validity/", internal.item_validity, name="item_validity"),
]
