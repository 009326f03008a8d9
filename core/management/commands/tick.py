"""`manage.py tick`: run all due work once (scheduled publications, 公示期 expiry, Art. 26 deadlines,
cleanup due dates, the requests app's deadlines). Safe to run from cron every minute, even overlapping."""
import time

from django.core.management.base import BaseCommand

from publishing.scheduler import run_due_work


class Command(BaseCommand):
    help = "运行到期的定时任务（定时发布、公示期满下线、主动公开期限、定期清理、依申请公开期限）"

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS",
                            help="嵌入式部署：不退出，每隔 SECONDS 秒运行一次")

    def handle(self, *args, loop=0, **options):
        while True:
            summary = run_due_work()
            self.stdout.write(" ".join(f"{k}={v}" for k, v in summary.items()))
            if not loop:
                return
            time.sleep(loop)
