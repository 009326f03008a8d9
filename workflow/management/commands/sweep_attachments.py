"""Delete attachment files that no AttachmentBlob row refers to.

An action stores an attachment's bytes before its transaction commits (the privacy pre-check reads them); if the
action then fails, the rows roll back but the file stays. Files younger than --min-age-hours are never touched,
so a transaction still in flight keeps its file."""
import time

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from workflow.models import AttachmentBlob


def _walk(path):
    dirs, files = default_storage.listdir(path)
    for name in files:
        yield f"{path}/{name}" if path else name
    for d in dirs:
        yield from _walk(f"{path}/{d}" if path else d)


class Command(BaseCommand):
    help = "清理没有数据库记录引用的附件文件（回滚的操作留下的文件）"

    def add_arguments(self, parser):
        parser.add_argument("--min-age-hours", type=float, default=24.0)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, min_age_hours=24.0, dry_run=False, **options):
        if not default_storage.exists("attachments"):
            self.stdout.write("没有附件目录")
            return
        known = set(AttachmentBlob.objects.values_list("file", flat=True))
        cutoff = time.time() - min_age_hours * 3600
        removed = kept = 0
        for name in _walk("attachments"):
            if name in known:
                kept += 1
                continue
            if default_storage.get_modified_time(name).timestamp() > cutoff:
                continue
            removed += 1
            if not dry_run:
                default_storage.delete(name)
        verb = "将删除" if dry_run else "已删除"
        self.stdout.write(f"{verb} {removed} 个无引用的附件文件，保留 {kept} 个")
