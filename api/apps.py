from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "接口"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Log-out is Django's own view (web/workflow/urls.py uses LogoutView); its user_logged_out signal is
        # the one place every log-out passes, so the tokens of the ending session are revoked there.
        from django.contrib.auth.signals import user_logged_out  # noqa: PLC0415 (app registry must be ready)

        from .tokens import revoke_session_tokens  # noqa: PLC0415

        def revoke_on_logout(sender, request, user, **kwargs):
            session = getattr(request, "session", None)
            revoke_session_tokens(user=user, session_key=getattr(session, "session_key", None) or "")

        user_logged_out.connect(revoke_on_logout, weak=False, dispatch_uid="api.revoke_session_tokens")

        from . import jobs  # noqa: PLC0415 (its handlers use models)

        jobs.register()
