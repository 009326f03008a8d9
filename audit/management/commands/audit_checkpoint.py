from django.core.management.base import BaseCommand

from audit.checkpoints import checkpoint_file, write_checkpoint


class Command(BaseCommand):
    help = "现在写一个审计检查点：每条审计链的链头，用审计密钥签名，写入数据库（系统链）和检查点文件"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="即使自上次检查点以来没有新记录也写入")

    def handle(self, *args, **options):
        payload = write_checkpoint(force=options["force"])
        if payload is None:
            self.stdout.write("自上次检查点以来审计链没有变化，未写入（--force 强制写入）")
            return
        where = checkpoint_file() or "（未配置检查点文件，仅写入数据库和日志）"
        self.stdout.write(self.style.SUCCESS(
            f"已写入检查点：{len(payload['heads'])} 条链，序号 {payload['seq']}，密钥 {payload['key_id']}，{where}"))
