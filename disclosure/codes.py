"""Codes shared by requests (依申请公开) and the annual report: applicant types and reply outcomes.

Outcomes are exactly the rows of annual report table 三 (国办公开办函〔2021〕30号), in order."""
from django.db import models


class ApplicantType(models.TextChoices):
    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORG = "other_org", "其他"


class Outcome(models.TextChoices):
    DISCLOSED = "disclosed", "（一）予以公开"
    PARTIAL = "partial", "（二）部分公开"
    REFUSED_STATE_SECRET = "refused_state_secret", "（三）1.属于国家秘密"
    REFUSED_LAW = "refused_law", "（三）2.其他法律行政法规禁止公开"
    REFUSED_SECURITY = "refused_security", "（三）3.危及“三安全一稳定”"
    REFUSED_THIRD_PARTY = "refused_third_party", "（三）4.保护第三方合法权益"
    REFUSED_INTERNAL = "refused_internal", "（三）5.属于三类内部事务信息"
    REFUSED_PROCESS = "refused_process", "（三）6.属于四类过程性信息"
    REFUSED_ENFORCEMENT = "refused_enforcement", "（三）7.属于行政执法案卷"
    REFUSED_QUERY = "refused_query", "（三）8.属于行政查询事项"
    UNABLE_NOT_HELD = "unable_not_held", "（四）1.本机关不掌握相关政府信息"
    UNABLE_NEEDS_CREATION = "unable_needs_creation", "（四）2.没有现成信息需要另行制作"
    UNABLE_UNCLEAR = "unable_unclear", "（四）3.补正后申请内容仍不明确"
    NOT_PROCESSED_PETITION = "not_processed_petition", "（五）1.信访举报投诉类申请"
    NOT_PROCESSED_REPEATED = "not_processed_repeated", "（五）2.重复申请"
    NOT_PROCESSED_PUBLICATION = "not_processed_publication", "（五）3.要求提供公开出版物"
    NOT_PROCESSED_EXCESSIVE = "not_processed_excessive", "（五）4.无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRM = "not_processed_confirm", "（五）5.要求行政机关确认或重新出具已获取信息"
    OTHER_NO_SUPPLEMENT = (
        "other_no_supplement", "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    OTHER_FEE_UNPAID = (
        "other_fee_unpaid", "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    OTHER = "other", "（六）3.其他"


#: Outcome -> (table 三 group, sub-row number or None). Groups: 一..六 of row 三.
OUTCOME_ROW = {
    Outcome.DISCLOSED: ("一", None),
    Outcome.PARTIAL: ("二", None),
    Outcome.REFUSED_STATE_SECRET: ("三", 1),
    Outcome.REFUSED_LAW: ("三", 2),
    Outcome.REFUSED_SECURITY: ("三", 3),
    Outcome.REFUSED_THIRD_PARTY: ("三", 4),
    Outcome.REFUSED_INTERNAL: ("三", 5),
    Outcome.REFUSED_PROCESS: ("三", 6),
    Outcome.REFUSED_ENFORCEMENT: ("三", 7),
    Outcome.REFUSED_QUERY: ("三", 8),
    Outcome.UNABLE_NOT_HELD: ("四", 1),
    Outcome.UNABLE_NEEDS_CREATION: ("四", 2),
    Outcome.UNABLE_UNCLEAR: ("四", 3),
    Outcome.NOT_PROCESSED_PETITION: ("五", 1),
    Outcome.NOT_PROCESSED_REPEATED: ("五", 2),
    Outcome.NOT_PROCESSED_PUBLICATION: ("五", 3),
    Outcome.NOT_PROCESSED_EXCESSIVE: ("五", 4),
    Outcome.NOT_PROCESSED_CONFIRM: ("五", 5),
    Outcome.OTHER_NO_SUPPLEMENT: ("六", 1),
    Outcome.OTHER_FEE_UNPAID: ("六", 2),
    Outcome.OTHER: ("六", 3),
}


#: Art. 35 (条例第三十五条): an application refused as excessive is counted in table 三 row （五）4; one
#: given a later reasonable date is counted under the outcome it finally gets. reports count by these codes.
ART35_REFUSED_OUTCOME = Outcome.NOT_PROCESSED_EXCESSIVE


class LetterKind(models.TextChoices):
    """Kinds of written documents sent to the applicant: one reply letter per outcome, plus the notices."""

    REPLY = "reply", "政府信息公开申请答复书"
    SUPPLEMENT = "supplement", "补正申请告知书"
    EXTENSION = "extension", "延期答复告知书"
    CONSULTATION = "consultation", "征求第三方意见告知书"
    FEE = "fee", "收取信息处理费通知书"
    EXCESSIVE_ASK = "excessive_ask", "说明理由告知书"
    EXCESSIVE_LATER = "excessive_later", "延迟答复告知书"
