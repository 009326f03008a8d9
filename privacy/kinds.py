"""Finding kinds (string constants) and their Chinese labels."""

ID_NUMBER = "id_number"
MOBILE = "mobile"
LANDLINE = "landline"
BANK_CARD = "bank_card"
EMAIL = "email"
ADDRESS = "address"
NAME_NEAR_PII = "name_near_pii"
CLASSIFICATION_MARK = "classification_mark"
SENSITIVE_WORD = "sensitive_word"
# an attachment that could not be read (or has no text layer) cannot be cleared: it blocks too
UNREADABLE = "unreadable"

KIND_LABELS = {
    ID_NUMBER: "身份证号",
    MOBILE: "手机号码",
    LANDLINE: "固定电话",
    BANK_CARD: "银行卡号",
    EMAIL: "电子邮箱",
    ADDRESS: "详细住址",
    NAME_NEAR_PII: "姓名",
    CLASSIFICATION_MARK: "密级标志",
    SENSITIVE_WORD: "敏感词",
    UNREADABLE: "无法检查的附件",
}

ALL_KINDS = tuple(KIND_LABELS)
