"""`manage.py tick`: run all due work once (every app's registered jobs: scheduled publications, 公示期
expiry, Art. 26 deadlines, cleanup due dates, request deadlines and reminders, queued background jobs).
Safe to run from cron every minute, even overlapping. Exits with status 1 when any unit of work failed."""
import time

from django.core.management.base import BaseCommand, CommandError

from core.tick import format_summary, run_all


class Command(BaseCommand):
    help = "运行到期的定时任务（定时发布、公示期满下线、主动公开期限、定期清理、依申请公开期限、后台任务）"

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS",
                            help="嵌入式部署：不退出，每隔 SECONDS 秒运行一次")

    def handle(self, *args, loop=0, **options):
        while True:
            summary = run_all()
            self.stdout.write(format_summary(summary))
            if not loop:
                if summary["errors"]:
                    raise CommandError(f"定时任务中有 {summary['errors']} 项失败，详见日志")
                return
            time.sleep(loop)
