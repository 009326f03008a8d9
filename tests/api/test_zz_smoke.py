import json
from tests.factories import build_world, draft
from django.test import Client
from api.tokens import issue_token
import pytest

@pytest.mark.django_db
def test_smoke():
    w = build_world()
    t = issue_token(user=w.drafter, actor=w.drafter)
    c = Client(headers={"Authorization": f"Token {t}"})
    r = c.get("/api/v1/me"); print(r.status_code, r.content[:300].decode())
    r = c.post("/api/v1/items", json.dumps({"agency": w.dept.pk, "title": "x", "body": "<p>a</p>"}), content_type="application/json"); print(r.status_code, r.content[:300].decode())
    r = c.post("/api/v1/items", json.dumps({"agency": "x", "title": "", "zz": 1}), content_type="application/json"); print(r.status_code, r.content.decode())
    iid = draft(w).pk
    r = c.post(f"/api/v1/items/{iid}/submit"); print(r.status_code, r.content[:200].decode())
    r = c.get("/api/v1/items", {"limit": "0"}); print(r.status_code, r.content.decode())
    r = c.get("/api/v1/items"); print(r.status_code, r.content[:300].decode())
    r = c.put("/api/v1/items", "{}", content_type="application/json"); print(r.status_code, r.content.decode(), r["Allow"])
    r = c.get("/api/v1/items/99999999999999999999"); print(r.status_code, r.content.decode())
    r = c.get("/api/v1/nothing"); print(r.status_code, r.content.decode())
    r = c.post("/api/v1/auth/token", "{bad", content_type="application/json"); print(r.status_code, r.content.decode())
    r = c.post("/api/v1/auth/token", "a=b", content_type="application/x-www-form-urlencoded"); print(r.status_code, r.content.decode())
    r = c.post(f"/api/v1/items/{iid}/attachments", json.dumps({"file": "x"}), content_type="application/json"); print(r.status_code, r.content.decode())
    r = Client().get("/api/v1/openapi.json"); print(r.status_code, len(r.content))
