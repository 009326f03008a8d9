"""Files left behind by rolled-back actions are swept; referenced and fresh files are kept."""
import io
import os
import time

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from tests.factories import draft
from workflow import actions

pytestmark = pytest.mark.django_db


def test_sweep_removes_only_old_unreferenced_files(world, capsys):
    item = draft(world)
    actions.edit_item(actor=world.drafter, item=item,
                      add_attachments=[actions.NewAttachment("名单.csv", b"a,b\n1,2\n")])
    # what a rolled-back action leaves: a stored file without its AttachmentBlob row
    orphan = default_storage.save("attachments/ab/orphan", io.BytesIO(b"left behind"))
    old = time.time() - 3 * 24 * 3600
    os.utime(default_storage.path(orphan), (old, old))
    fresh = default_storage.save("attachments/ab/fresh", io.BytesIO(b"in flight"))
    call_command("sweep_attachments")
    assert not default_storage.exists(orphan)
    assert default_storage.exists(fresh)
    blob = item.revisions.order_by("-number").first().attachments.get().blob
    assert default_storage.exists(blob.file.name)
    assert "已删除 1 个" in capsys.readouterr().out
