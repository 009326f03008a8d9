"""manage.py api_token <username>: print a new API token for a user (audited as workflow.api_token.issue)."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.tokens import issue_token


class Command(BaseCommand):
    help = "为用户签发 API 令牌（修改密码或停用账号后失效）"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能签发令牌")
        self.stdout.write(issue_token(user=user, actor=None, via="command"))
