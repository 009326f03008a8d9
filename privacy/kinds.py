"""Finding kinds (string constants), their Chinese labels, severities and categories.

Severity: ``block`` findings stop the secrecy approval until masked or overridden with a legal
ground; ``warn`` findings are shown to the reviewer but do not block by themselves.  Every kind but
``wording`` has a fixed severity; a ``wording`` finding takes the severity of its rule category
(see ``privacy/README.md``).
"""

ID_NUMBER = "id_number"
ID_NUMBER_SUSPECT = "id_number_suspect"    # ID-shaped (region + birth date) but the check digit fails
MOBILE = "mobile"
LANDLINE = "landline"
BANK_CARD = "bank_card"
BANK_CARD_SUSPECT = "bank_card_suspect"    # card-shaped with a known issuer prefix but Luhn fails
EMAIL = "email"
ADDRESS = "address"
NAME_NEAR_PII = "name_near_pii"
CLASSIFICATION_MARK = "classification_mark"
SENSITIVE_WORD = "sensitive_word"          # the agency's own list of words
WORDING = "wording"                        # 错敏词 / 严重表述错误 (shipped rules + agency rules)
# an attachment that could not be read (or has no text layer) cannot be cleared: it blocks too
UNREADABLE = "unreadable"
# a limit (time, memory, size, count) stopped the check: what was not read was not checked
INCOMPLETE = "incomplete"

KIND_LABELS = {
    ID_NUMBER: "身份证号",
    ID_NUMBER_SUSPECT: "疑似身份证号（校验位不符）",
    MOBILE: "手机号码",
    LANDLINE: "固定电话",
    BANK_CARD: "银行卡号",
    BANK_CARD_SUSPECT: "疑似银行卡号",
    EMAIL: "电子邮箱",
    ADDRESS: "详细住址",
    NAME_NEAR_PII: "姓名",
    CLASSIFICATION_MARK: "密级标志",
    SENSITIVE_WORD: "敏感词",
    WORDING: "错敏词/严重表述错误",
    UNREADABLE: "无法检查的附件",
    INCOMPLETE: "无法完成预检",
}

ALL_KINDS = tuple(KIND_LABELS)

# personal data: the kinds the corpus benchmark holds to recall >= 0.99
PERSONAL_KINDS = frozenset({ID_NUMBER, ID_NUMBER_SUSPECT, MOBILE, LANDLINE, BANK_CARD, BANK_CARD_SUSPECT,
                            EMAIL, ADDRESS, NAME_NEAR_PII})

BLOCK = "block"
WARN = "warn"

# category of the non-wording kinds (wording findings carry their rule's category)
KIND_CATEGORY = {k: "personal" for k in PERSONAL_KINDS}
KIND_CATEGORY.update({CLASSIFICATION_MARK: "secrecy", SENSITIVE_WORD: "agency_word", UNREADABLE: "file",
                      INCOMPLETE: "file"})

KIND_SEVERITY = {k: BLOCK for k in ALL_KINDS}
