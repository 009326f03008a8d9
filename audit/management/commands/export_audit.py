import sys

from django.core.management.base import BaseCommand, CommandError

from audit.exports import ExportFilter, start_export, write_export
from core.errors import ShenfaError


class Command(BaseCommand):
    help = "导出审核记录（流式）：csv（UTF-8 带 BOM）/ xlsx / jsonl；导出本身记入审计链"

    def add_arguments(self, parser):
        parser.add_argument("--agency", default="", help="机构代码（含下属机构）")
        parser.add_argument("--from", dest="date_from", default="", help="起始日期 YYYY-MM-DD（含）")
        parser.add_argument("--to", dest="date_to", default="", help="截止日期 YYYY-MM-DD（含）")
        parser.add_argument("--item", default="", help="信息编号")
        parser.add_argument("--actor", default="", help="操作人账号")
        parser.add_argument("--action", default="", help="动作名称；以 . 或 * 结尾表示前缀，如 workflow.review.*")
        parser.add_argument("--format", default="csv", choices=["csv", "xlsx", "jsonl"])
        parser.add_argument("--output", required=True, help="输出文件路径（- 表示标准输出，仅 csv/jsonl）")

    def handle(self, *args, **opts):
        filters = ExportFilter(agency=opts["agency"], date_from=opts["date_from"], date_to=opts["date_to"],
                               item=opts["item"], actor=opts["actor"], action=opts["action"])
        if opts["output"] == "-" and opts["format"] == "xlsx":
            raise CommandError("xlsx 须写入文件")
        try:
            qs, count = start_export(actor=None, filters=filters, fmt=opts["format"])
        except ShenfaError as exc:
            raise CommandError(exc.message) from exc
        if opts["output"] == "-":
            write_export(qs, opts["format"], sys.stdout.buffer)
            return
        with open(opts["output"], "wb") as fh:
            write_export(qs, opts["format"], fh)
        self.stderr.write(self.style.SUCCESS(f"已导出 {count} 条审核记录：{opts['output']}"))
