import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import ShenfaError
from core.models import Agency
from reports.actions import force_report
from reports.annual.figures import build_report
from reports.annual.render import render


class Command(BaseCommand):
    help = ("生成政府信息公开工作年度报告（含下属部门）：html / pdf / docx / json。"
            "未通过勾稽关系校验或尚未完成的报告，文档首页带警告；--strict 则不输出；"
            "--force-reason 与 --user 则由该公开办管理员出具不带警告的文档，理由记入审计记录。")

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="机构代码")
        parser.add_argument("--year", required=True, type=int, help="报告年度，如 2024")
        parser.add_argument("--format", default="html", choices=["html", "pdf", "docx", "json"])
        parser.add_argument("--output", required=True, help="输出文件路径（- 表示标准输出，仅 html/json）")
        parser.add_argument("--strict", action="store_true", help="勾稽关系校验不通过时不输出并以非零状态退出")
        parser.add_argument("--force-reason", default="", help="强制出具不带警告的文档的理由（须同时给出 --user）")
        parser.add_argument("--user", default="", help="强制出具的公开办管理员账号")

    def handle(self, *args, **opts):
        agency = Agency.objects.filter(code=opts["agency"]).first()
        if agency is None:
            raise CommandError(f"机构代码“{opts['agency']}”不存在")
        if bool(opts["force_reason"]) != bool(opts["user"]):
            raise CommandError("--force-reason 与 --user 须同时给出")
        try:
            report = build_report(agency, opts["year"])
            failed = [c for c in report.checks if not c.ok]
            for check in failed:
                self.stderr.write(self.style.WARNING(f"勾稽关系校验不通过：{check.label}"))
                for line in check.details:
                    self.stderr.write(f"  {line}")
            for notice in report.notices:
                self.stderr.write(self.style.WARNING(f"报告尚未完成：{notice}"))
            if failed and opts["strict"]:
                sys.exit(2)
            if opts["force_reason"]:
                user = get_user_model().objects.filter(username=opts["user"]).first()
                if user is None:
                    raise CommandError(f"用户“{opts['user']}”不存在")
                report = force_report(actor=user, report=report, fmt=opts["format"] if opts["format"] != "json"
                                      else "html", reason=opts["force_reason"])
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
