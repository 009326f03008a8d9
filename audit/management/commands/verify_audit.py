import sys
import time

from django.core.management.base import BaseCommand

from audit.verify import verify_chain


class Command(BaseCommand):
    help = ("校验审计记录：每条记录的密钥哈希、每条链的链接与链头、数据库内与检查点文件中的检查点；"
            "发现问题时逐条报告（指出与哪个检查点矛盾）并以非零状态退出")

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=0,
                            help="并行校验的进程数（仅 PostgreSQL；默认 SHENFA['AUDIT_VERIFY_WORKERS'] 或 CPU 数）")
        parser.add_argument("--checkpoint-file", default=None,
                            help="检查点文件（默认 SHENFA_AUDIT_CHECKPOINT_FILE；空字符串表示不读文件）")
        parser.add_argument("--batch-size", type=int, default=5000, help="每次从服务器端游标读取的行数")

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = verify_chain(options["batch_size"], workers=options["workers"] or None,
                              checkpoint_file=options["checkpoint_file"])
        elapsed = time.perf_counter() - started
        rate = result.checked / elapsed if elapsed > 0 else 0
        stats = f"{result.chains} 条链，{result.checkpoints} 个检查点，{result.workers} 个进程，{rate:,.0f} 条/秒"
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"{result.message}（{stats}）"))
            return
        self.stderr.write(self.style.ERROR(f"审计链校验失败：{result.message}"))
        for problem in result.problems:
            where = f"[{problem.chain or '检查点'}]"
            named = problem.checkpoint and problem.checkpoint not in problem.message
            against = f"（与{problem.checkpoint}矛盾）" if named else ""
            self.stderr.write(f"  {where} {problem.message}{against}")
        self.stderr.write(f"已校验 {result.checked} 条（{stats}）")
        sys.exit(1)
