import sys
import time

from django.core.management.base import BaseCommand

from audit.verify import verify_chain


class Command(BaseCommand):
    help = "校验审计记录哈希链；发现第一处断链时报告并以非零状态退出"

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = verify_chain()
        elapsed = time.perf_counter() - started
        rate = result.checked / elapsed if elapsed > 0 else 0
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"{result.message}（{rate:,.0f} 条/秒）"))
            return
        self.stderr.write(self.style.ERROR(f"审计链校验失败：{result.message}"))
        sys.exit(1)
