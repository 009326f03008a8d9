"""The demo the README promises: loads through the real actions, every state present, chain intact."""
import pytest
from django.core.management import call_command

from audit.verify import verify_chain
from workflow.models import Information, ItemStatus

pytestmark = pytest.mark.django_db


def test_load_demo_covers_every_state_and_is_idempotent(capsys):
    call_command("load_demo")
    assert "shenfa-demo-2026" in capsys.readouterr().out
    states = set(Information.objects.values_list("status", flat=True))
    assert states == set(ItemStatus.values)
    assert verify_chain().ok
    count = Information.objects.count()
    call_command("load_demo")
    assert Information.objects.count() == count and "跳过" in capsys.readouterr().out
