"""Load demo data: agencies, one person per role, categories, policies and items in every state,
using the real text of the seed documents. Idempotent: does nothing if the demo is already loaded."""
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo.loader import DEMO_PASSWORD, load


class Command(BaseCommand):
    help = "载入演示数据（机构、各角色人员、分类、审核策略、各状态的信息）"

    def handle(self, *args, **options):
        with transaction.atomic():
            created = load(now=timezone.now(), later=timedelta(days=1))
        if not created:
            self.stdout.write("演示数据已存在，跳过。")
            return
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入。所有演示账号的密码：{DEMO_PASSWORD}"))
        for username, label in created:
            self.stdout.write(f"  {username:<12} {label}")
