import sys

from django.core.management.base import BaseCommand, CommandError

from core.errors import ShenfaError
from core.models import Agency
from reports.annual.figures import build_report
from reports.annual.render import render


class Command(BaseCommand):
    help = "生成政府信息公开工作年度报告（含下属部门）：html / pdf / docx / json"

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="机构代码")
        parser.add_argument("--year", required=True, type=int, help="报告年度，如 2024")
        parser.add_argument("--format", default="html", choices=["html", "pdf", "docx", "json"])
        parser.add_argument("--output", required=True, help="输出文件路径（- 表示标准输出，仅 html/json）")
        parser.add_argument("--strict", action="store_true", help="勾稽关系校验不通过时不输出并以非零状态退出")

    def handle(self, *args, **opts):
        agency = Agency.objects.filter(code=opts["agency"]).first()
        if agency is None:
            raise CommandError(f"机构代码“{opts['agency']}”不存在")
        try:
            report = build_report(agency, opts["year"])
            failed = [c for c in report.checks if not c.ok]
            for check in failed:
                self.stderr.write(self.style.WARNING(f"勾稽关系校验不通过：{check.label}"))
                for line in check.details:
                    self.stderr.write(f"  {line}")
            if failed and opts["strict"]:
                sys.exit(2)
            content, _, _ = render(report, opts["format"])
        except ShenfaError as exc:
            raise CommandError(exc.message) from exc
        if opts["output"] == "-":
            if opts["format"] in ("pdf", "docx"):
                raise CommandError("pdf / docx 须写入文件")
            self.stdout.write(content.decode("utf-8"))
            return
        with open(opts["output"], "wb") as fh:
            fh.write(content)
        self.stdout.write(self.style.SUCCESS(
            f"已生成 {agency.name}{opts['year']}年度报告（{opts['format']}）：{opts['output']}"))
