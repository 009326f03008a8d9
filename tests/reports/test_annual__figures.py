"""Annual report figures: a generated year whose every cell is known in advance."""
from decimal import Decimal

import pytest
from freezegun import freeze_time

from audit.models import AuditRecord
from core.models import Role
from disclosure import appeals as audit_actions
from disclosure.codes import ApplicantType as T
from disclosure.codes import Outcome as O
from disclosure.models import AppealCase
from publishing import actions as pub
from reports.annual.figures import build_report, drill
from tests.factories import make_application, make_user, publish_at, reload

COLS = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"]


def row(report, key):
    return [report.table3["rows"][key][c] for c in COLS]


@pytest.fixture
def year_items(world, fast_policy):
    """Table 二 data. Times are Beijing time; 2023-12-31 17:00 UTC is already 2024 in Shanghai."""
    w = world
    p = {}
    p["R1"] = publish_at(w, "2023-05-10 10:00:00+08:00", title="宿州市政府规章一", info_type="regulation")
    p["R2"] = publish_at(w, "2024-03-05 10:00:00+08:00", title="宿州市政府规章二", info_type="regulation")
    p["R3"] = publish_at(w, "2024-06-05 10:00:00+08:00", title="宿州市政府规章三", info_type="regulation")
    p["R4"] = publish_at(w, "2023-02-05 10:00:00+08:00", title="宿州市政府规章四", info_type="regulation")
    with freeze_time("2024-10-08 09:00:00+08:00"):
        pub.mark_repealed(actor=w.publisher, item=p["R3"], comment="宿政〔2024〕20号决定废止")
    with freeze_time("2025-02-08 09:00:00+08:00"):
        pub.mark_repealed(actor=w.publisher, item=p["R4"], comment="宿政〔2025〕3号决定废止")
    p["N1"] = publish_at(w, "2023-12-31 17:00:00+00:00", title="规范性文件一", info_type="normative_document")
    p["N2"] = publish_at(w, "2024-04-01 10:00:00+08:00", title="规范性文件二", info_type="normative_document")
    with freeze_time("2024-08-01 10:00:00+08:00"):
        pub.withdraw_item(actor=w.publisher, item=p["N2"], reason="内容已过时，撤回")
    p["N3"] = publish_at(w, "2023-12-01 10:00:00+08:00", title="规范性文件三", info_type="normative_document")
    with freeze_time("2024-02-01 10:00:00+08:00"):
        pub.mark_repealed(actor=w.publisher, item=p["N3"], comment="已被新文件替代")
    # Another agency's documents never count.
    other_drafter = make_user("other_drafter", w.other, Role.DRAFTER, name="外单位起草人")
    p["X1"] = publish_at(w, "2024-05-01 10:00:00+08:00", agency=w.other, drafter=other_drafter,
                         publisher=w.other_first, title="外单位规范性文件", info_type="normative_document")
    for i in range(3):
        publish_at(w, f"2024-0{i + 2}-10 10:00:00+08:00", title=f"行政许可决定{i}", info_type="admin_licensing")
    publish_at(w, "2023-07-10 10:00:00+08:00", title="上年行政许可决定", info_type="admin_licensing")
    for i in range(2):
        publish_at(w, f"2024-0{i + 5}-10 10:00:00+08:00", title=f"行政处罚决定{i}", info_type="admin_penalty")
    publish_at(w, "2024-11-10 10:00:00+08:00", title="行政强制决定", info_type="admin_coercion")
    publish_at(w, "2024-03-10 10:00:00+08:00", title="收费一", info_type="admin_fee", fee_amount=Decimal("12345.67"))
    publish_at(w, "2024-09-10 10:00:00+08:00", title="收费二", info_type="admin_fee", fee_amount=Decimal("54321.00"))
    publish_at(w, "2025-01-02 10:00:00+08:00", title="次年收费", info_type="admin_fee", fee_amount=Decimal("999"))
    return p


@pytest.fixture
def year_applications(world):
    w, d, u = world, world.dept, world.handler
    make_application(d, u, applicant_type=T.NATURAL_PERSON, received="2023-05-02", replied="2023-06-01",
                     outcome=O.DISCLOSED)                                   # closed last year: nowhere
    make_application(d, u, applicant_type=T.NATURAL_PERSON, received="2023-12-20", replied="2024-01-10",
                     outcome=O.DISCLOSED)                                   # carried in, disclosed
    make_application(d, u, applicant_type=T.COMMERCIAL, received="2023-11-01")  # carried in and out
    for r, o in (("2024-02-01", O.DISCLOSED), ("2024-03-01", O.DISCLOSED), ("2024-04-01", O.PARTIAL)):
        make_application(d, u, applicant_type=T.NATURAL_PERSON, received=r, replied=r.replace("-01", "-20", 1)
                         if False else r[:8] + "20", outcome=o)
    make_application(d, u, applicant_type=T.NATURAL_PERSON, received="2024-12-20")  # carried out
    make_application(d, u, applicant_type=T.COMMERCIAL, received="2024-05-06", replied="2024-05-30",
                     outcome=O.REFUSED_STATE_SECRET)
    make_application(d, u, applicant_type=T.COMMERCIAL, received="2024-06-06", replied="2024-06-28",
                     outcome=O.UNABLE_NOT_HELD, fee=200, fee_paid="2024-06-20")
    make_application(d, u, applicant_type=T.RESEARCH, received="2024-07-01", replied="2024-07-05",
                     outcome=O.NOT_PROCESSED_REPEATED)
    make_application(d, u, applicant_type=T.PUBLIC_INTEREST, received="2024-08-01", replied="2024-10-08",
                     outcome=O.OTHER_FEE_UNPAID, fee=300)
    make_application(d, u, applicant_type=T.LEGAL_SERVICE, received="2024-12-25", replied="2025-01-05",
                     outcome=O.DISCLOSED)                                   # carried into 2025
    make_application(d, u, applicant_type=T.OTHER_ORG, received="2024-09-09", replied="2024-09-30",
                     outcome=O.REFUSED_THIRD_PARTY, fee=100, fee_paid="2023-12-30")  # fee paid in 2023
    make_application(d, u, applicant_type=T.NATURAL_PERSON, received="2025-01-03")  # next year only
    make_application(w.other, u, applicant_type=T.NATURAL_PERSON, received="2024-03-03", replied="2024-03-10",
                     outcome=O.DISCLOSED)                                   # another agency


@pytest.fixture
def year_appeals(world):
    w, d = world, world.dept
    new = audit_actions.create_appeal_case
    for kind, filed, result, closed in [
        ("reconsideration", "2024-02-01", "maintained", "2024-06-01"),
        ("reconsideration", "2024-03-01", "corrected", "2024-09-01"),
        ("reconsideration", "2024-04-01", "pending", ""),
        ("reconsideration", "2024-11-01", "maintained", "2025-02-01"),   # closed after year end: pending
        ("litigation_direct", "2024-05-01", "other", "2024-12-01"),
        ("litigation_after_reconsideration", "2023-06-01", "maintained", "2024-01-15"),  # filed last year
        ("litigation_after_reconsideration", "2024-06-01", "pending", ""),
    ]:
        new(actor=w.office, agency=d, data={"kind": kind, "filed_date": filed, "result": result,
                                            "closed_date": closed, "case_number": f"宿复〔{filed[:4]}〕号"})
    case = AppealCase.objects.get(kind="litigation_after_reconsideration", filed_date="2024-06-01")
    audit_actions.update_appeal_case(actor=w.office, case=case, data={"result": "maintained",
                                                                     "closed_date": "2024-12-20"})
    other_office = make_user("other_office", w.other, Role.OFFICE_ADMIN, name="外单位公开办")
    new(actor=other_office, agency=w.other, data={"kind": "reconsideration", "filed_date": "2024-02-01"})


def test_table2_every_cell(world, year_items):
    # when: the government's report (it includes its department) and the department's own
    for agency in (world.gov, world.dept):
        report = build_report(agency, 2024)
        t2 = report.table2
        # then
        assert t2["docs"]["regulation"] == {"new": 2, "repealed": 1, "valid": 3}
        assert t2["docs"]["normative_document"] == {"new": 2, "repealed": 1, "valid": 1}
        assert t2["decisions"] == {"admin_licensing": 3, "admin_penalty": 2, "admin_coercion": 1}
        assert t2["admin_fee_wan"] == Decimal("6.6667")
    other = build_report(world.other, 2024).table2
    assert other["docs"]["normative_document"] == {"new": 1, "repealed": 0, "valid": 1}
    assert other["docs"]["regulation"] == {"new": 0, "repealed": 0, "valid": 0}
    # 2023: R1, R4, N3 published (N1 is 2024 in Beijing time); nothing repealed; three valid at year end.
    r23 = build_report(world.dept, 2023).table2
    assert r23["docs"]["regulation"] == {"new": 2, "repealed": 0, "valid": 2}
    assert r23["docs"]["normative_document"] == {"new": 1, "repealed": 0, "valid": 1}
    assert r23["decisions"]["admin_licensing"] == 1
    # 2025: R4 repealed; R1, R2 still valid.
    r25 = build_report(world.dept, 2025).table2
    assert r25["docs"]["regulation"] == {"new": 0, "repealed": 1, "valid": 2}
    assert r25["admin_fee_wan"] == Decimal("0.0999")
    # each figure drills down to exactly the items behind it
    p = year_items
    _, qs = drill(world.gov, 2024, "t2.regulation.valid")
    assert set(qs.values_list("pk", flat=True)) == {p["R1"].pk, p["R2"].pk, p["R4"].pk}
    _, qs = drill(world.gov, 2024, "t2.normative_document.repealed")
    assert list(qs.values_list("pk", flat=True)) == [p["N3"].pk]
    _, qs = drill(world.gov, 2024, "t2.normative_document.new")
    assert set(qs.values_list("pk", flat=True)) == {p["N1"].pk, p["N2"].pk}
    # the repeal figure comes from the publishing engineer's audited action
    assert AuditRecord.objects.filter(action="publishing.validity.repeal").count() == 3
    assert reload(p["R3"]).validity == "repealed"


def test_table3_every_cell_and_checks(world, year_applications):
    report = build_report(world.gov, 2024)
    assert report.table3["available"]
    assert row(report, "t3.new") == [4, 2, 1, 1, 1, 1, 10]
    assert row(report, "t3.carried_in") == [1, 1, 0, 0, 0, 0, 2]
    assert row(report, "t3.outcome.disclosed") == [3, 0, 0, 0, 0, 0, 3]
    assert row(report, "t3.outcome.partial") == [1, 0, 0, 0, 0, 0, 1]
    assert row(report, "t3.outcome.refused_state_secret") == [0, 1, 0, 0, 0, 0, 1]
    assert row(report, "t3.outcome.refused_third_party") == [0, 0, 0, 0, 0, 1, 1]
    assert row(report, "t3.outcome.unable_not_held") == [0, 1, 0, 0, 0, 0, 1]
    assert row(report, "t3.outcome.not_processed_repeated") == [0, 0, 1, 0, 0, 0, 1]
    assert row(report, "t3.outcome.other_fee_unpaid") == [0, 0, 0, 1, 0, 0, 1]
    for o in O:
        if o not in (O.DISCLOSED, O.PARTIAL, O.REFUSED_STATE_SECRET, O.REFUSED_THIRD_PARTY, O.UNABLE_NOT_HELD,
                     O.NOT_PROCESSED_REPEATED, O.OTHER_FEE_UNPAID):
            assert row(report, f"t3.outcome.{o.value}") == [0] * 7, o
    assert row(report, "t3.results") == [4, 2, 1, 1, 0, 1, 9]
    assert row(report, "t3.carried_out") == [1, 1, 0, 0, 1, 0, 3]
    assert report.ok and [c.key for c in report.checks] == ["balance", "subrows", "types"]
    assert report.fees == Decimal("200.00")
    # the department alone has the same figures; the other agency only its own application
    assert row(build_report(world.dept, 2024), "t3.new") == [4, 2, 1, 1, 1, 1, 10]
    assert row(build_report(world.other, 2024), "t3.outcome.disclosed") == [1, 0, 0, 0, 0, 0, 1]


def test_carried_over_into_the_next_year(world, year_applications):
    r24, r25 = build_report(world.gov, 2024), build_report(world.gov, 2025)
    assert row(r25, "t3.carried_in") == row(r24, "t3.carried_out") == [1, 1, 0, 0, 1, 0, 3]
    assert row(r25, "t3.new") == [1, 0, 0, 0, 0, 0, 1]
    assert row(r25, "t3.results") == [0, 0, 0, 0, 1, 0, 1]
    assert row(r25, "t3.carried_out") == [2, 1, 0, 0, 0, 0, 3]
    assert r25.ok
    r23 = build_report(world.gov, 2023)
    assert row(r23, "t3.carried_out") == row(r24, "t3.carried_in")
    _, qs = drill(world.gov, 2024, "t3.carried_out", "legal_service")
    assert [a.received_date.isoformat() for a in qs] == ["2024-12-25"]


def test_mismatch_is_shown_with_the_applications_behind_it(world, year_applications, client):
    # given: a reply without an outcome, and a reply dated before the application was received
    blank = make_application(world.dept, world.handler, applicant_type=T.RESEARCH, received="2024-03-01",
                             replied="2024-03-15")
    early = make_application(world.dept, world.handler, applicant_type=T.COMMERCIAL, received="2025-01-02",
                             replied="2024-12-30", outcome=O.DISCLOSED)
    # when
    report = build_report(world.gov, 2024)
    # then
    checks = {c.key: c for c in report.checks}
    assert not checks["subrows"].ok and "科研机构" in checks["subrows"].details[0]
    assert not checks["balance"].ok and any("商业企业" in d for d in checks["balance"].details)
    _, qs = drill(world.gov, 2024, "t3.anomaly.outcome")
    assert list(qs) == [blank]
    _, qs = drill(world.gov, 2024, "t3.anomaly.dates")
    assert list(qs) == [early]
    client.force_login(world.office)
    response = client.get(f"/audit/report/{world.gov.code}/2024/?format=pdf")
    assert response.status_code == 409
    body = response.content.decode()
    assert "勾稽关系校验未通过" in body and f"<td>{early.pk}</td>" in body and f"<td>{blank.pk}</td>" in body
    forced = client.get(f"/audit/report/{world.gov.code}/2024/?format=json")
    assert forced.status_code == 200 and forced.json()["checks"][0]["ok"] is False


def test_table4_every_cell(world, year_appeals):
    report = build_report(world.gov, 2024)
    # the lawsuit filed in 2023 and decided in January 2024 counts in 2024 (上年结转, closed in the year)
    assert report.table4_row == [1, 1, 0, 2, 4, 0, 0, 1, 0, 1, 2, 0, 0, 0, 2]
    assert report.table4[("litigation_after_reconsideration", "carried_in")] == 1
    # 尚未审结 carries over: both reconsiderations open on 31 Dec 2024 are in 2025, one decided, one still open
    assert build_report(world.gov, 2025).table4_row == [1, 0, 0, 1, 2] + [0] * 10
    assert build_report(world.gov, 2026).table4_row == [0, 0, 0, 1, 1] + [0] * 10
    assert build_report(world.other, 2024).table4_row == [0, 0, 0, 1, 1] + [0] * 10
    _, qs = drill(world.gov, 2024, "t4.reconsideration.pending")
    assert sorted(str(c.filed_date) for c in qs) == ["2024-04-01", "2024-11-01"]


def test_section_one_is_generated_from_the_figures(world, year_appeals):
    report = build_report(world.gov, 2024)
    assert "行政复议4件、行政诉讼3件，其中结果被纠正1件，尚未审结2件" in report.overview
    assert report.overview.startswith("2024年，宿州市人民政府")


def test_layout_2019_is_refused_clearly(world):
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="2019年版"):
        build_report(world.gov, 2020)


def test_figures_are_sql_aggregates_not_row_loops(world, year_applications, year_appeals,
                                                  django_assert_max_num_queries):
    # given: many more applications than the fixture's dozen
    for _ in range(40):
        make_application(world.dept, world.handler, applicant_type=T.OTHER_ORG, received="2024-05-05",
                         replied="2024-05-25", outcome=O.DISCLOSED)
    # then: the number of queries does not depend on the number of rows
    with django_assert_max_num_queries(22):
        report = build_report(world.gov, 2024)
    assert row(report, "t3.outcome.disclosed") == [3, 0, 0, 0, 0, 40, 43]
