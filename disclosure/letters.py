# ruff: noqa: E501 - the default wording of the letters is legal text kept on one line per sentence
"""Letters to the applicant (政府信息公开申请答复书 / 告知书): default wording per outcome of table 三 and per
notice, the office's own templates, the gapless 文号 series, and the PDF (WeasyPrint) and DOCX (python-docx)
renderings. Rendering runs as the worker job "disclosure.letter.render"; numbering happens in the action's
transaction (disclosure.actions)."""
import hashlib
import io
import re

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from core.errors import InvalidInput

from .codes import LetterKind, Outcome
from .models import Letter, LetterSeries, LetterTemplate

REMEDIES = "remedies"

# Every placeholder a template may use, with what it stands for (shown on the template page).
PLACEHOLDERS = {
    "申请人": "申请人姓名或名称",
    "机关": "答复机关名称",
    "登记号": "申请登记号",
    "收到日期": "收到申请日期（条例第三十一条）",
    "申请内容": "申请公开的信息",
    "答复期限": "答复截止日",
    "信息内容": "提供的信息（部分公开时为区分处理后的内容）",
    "不予公开部分": "部分公开时不予公开的部分及其理由",
    "负责机关": "负责公开该信息的机关及联系方式",
    "补正事项": "需要补正的事项",
    "补正期限": "补正期限",
    "延长天数": "延长的工作日数",
    "延期理由": "延期理由",
    "新期限": "延长后或确定的答复期限",
    "征求对象": "征求意见的第三方或机关",
    "收费金额": "信息处理费金额（元）",
    "收费方式": "按件或按量",
    "缴费期限": "缴费截止日",
    "第三十五条理由": "认定申请数量、频次明显超过合理范围的理由",
    "说明期限": "申请人说明理由的期限",
    "复议机关": "行政复议机关",
    "诉讼法院": "管辖法院",
}

_REFUSED = "经审查，您申请获取的信息{reason}，根据{article}的规定，不予公开。"

#: key -> (kind, title, legal basis, body). Keys are the outcome codes and the notice kinds.
DEFAULTS = {
    Outcome.DISCLOSED: (LetterKind.REPLY, "政府信息公开申请答复书", "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
                        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}），申请获取“{申请内容}”。"
                        "经审查，您申请获取的信息属于公开范围，现予以公开，具体内容如下：\n{信息内容}"),
    Outcome.PARTIAL: (LetterKind.REPLY, "政府信息公开申请答复书",
                      "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第三十七条",
                      "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}），申请获取“{申请内容}”。"
                      "经审查，您申请获取的信息中含有不应当公开的内容，但能够作区分处理，现提供可以公开的部分：\n{信息内容}\n"
                      "不予公开的部分及理由：{不予公开部分}"),
    Outcome.REFUSED_STATE_SECRET: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
                                   "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                                   + _REFUSED.format(reason="属于国家秘密", article="《中华人民共和国政府信息公开条例》第十四条")),
    Outcome.REFUSED_LAW: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
                          "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                          + _REFUSED.format(reason="属于法律、行政法规禁止公开的信息",
                                            article="《中华人民共和国政府信息公开条例》第十四条")),
    Outcome.REFUSED_SECURITY: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
                               "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                               + _REFUSED.format(reason="公开后可能危及国家安全、公共安全、经济安全、社会稳定",
                                                 article="《中华人民共和国政府信息公开条例》第十四条")),
    Outcome.REFUSED_THIRD_PARTY: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
                                  "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                                  + _REFUSED.format(reason="涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的内容，"
                                                    "第三方不同意公开且不公开不会对公共利益造成重大影响",
                                                    article="《中华人民共和国政府信息公开条例》第十五条")),
    Outcome.REFUSED_INTERNAL: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
                               "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                               + _REFUSED.format(reason="属于人事管理、后勤管理、内部工作流程等内部事务信息",
                                                 article="《中华人民共和国政府信息公开条例》第十六条第一款")),
    Outcome.REFUSED_PROCESS: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
                              "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                              + _REFUSED.format(reason="属于讨论记录、过程稿、磋商信函、请示报告等过程性信息",
                                                article="《中华人民共和国政府信息公开条例》第十六条第二款")),
    Outcome.REFUSED_ENFORCEMENT: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
                                  "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                                  + _REFUSED.format(reason="属于行政执法案卷信息",
                                                    article="《中华人民共和国政府信息公开条例》第十六条第二款")),
    Outcome.REFUSED_QUERY: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
                            "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                            "经审查，您申请获取的信息属于工商、不动产登记资料等有关法律、行政法规对信息的获取有特别规定的行政查询事项，"
                            "请依照有关法律、行政法规的规定办理。"),
    Outcome.UNABLE_NOT_HELD: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
                              "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                              "经检索查找，本机关未制作、获取您申请的政府信息，该政府信息不存在。{负责机关}"),
    Outcome.UNABLE_NEEDS_CREATION: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第三十八条",
                                    "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                                    "经审查，您申请获取的信息需要本机关对现有政府信息进行加工、分析，本机关没有现成信息，"
                                    "依法可以不予提供。"),
    Outcome.UNABLE_UNCLEAR: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第三十条",
                             "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}），并已告知您补正。"
                             "经审查，补正后您申请获取的信息内容仍不明确，本机关无法提供。"),
    Outcome.NOT_PROCESSED_PETITION: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第三十九条第一款",
                                     "{申请人}：\n本机关于{收到日期}收到您提出的申请（登记号：{登记号}）。"
                                     "经审查，您以政府信息公开申请的形式进行信访、投诉、举报等活动，不属于政府信息公开申请，"
                                     "本机关不作为政府信息公开申请处理，请通过相应渠道提出。"),
    Outcome.NOT_PROCESSED_REPEATED: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
                                     "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                                     "经审查，您已就同一政府信息提出过公开申请，本机关已依法作出答复，您重复申请公开，本机关不予重复处理。"),
    Outcome.NOT_PROCESSED_PUBLICATION: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第三十九条第二款",
                                        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                                        "经审查，您要求提供的是政府公报、报刊、书籍等公开出版物，本机关可以告知获取的途径，"
                                        "不作为政府信息公开申请处理。"),
    Outcome.NOT_PROCESSED_EXCESSIVE: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第三十五条",
                                      "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                                      "您申请公开政府信息的数量、频次明显超过合理范围（{第三十五条理由}），本机关已要求您说明理由，"
                                      "经审查，您说明的理由不合理，本机关对该申请不予处理。"),
    Outcome.NOT_PROCESSED_CONFIRM: (LetterKind.REPLY, "政府信息公开申请告知书", "《中华人民共和国政府信息公开条例》第三十九条第二款",
                                    "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。"
                                    "经审查，您要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请，"
                                    "本机关不作为政府信息公开申请处理。"),
    Outcome.OTHER: (LetterKind.REPLY, "政府信息公开申请答复书", "《中华人民共和国政府信息公开条例》第三十六条",
                    "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。现答复如下：\n{信息内容}"),
    LetterKind.SUPPLEMENT: (LetterKind.SUPPLEMENT, "补正申请告知书", "《中华人民共和国政府信息公开条例》第三十条",
                            "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。经审查，您的申请内容不明确，"
                            "请您就以下事项作出补正：{补正事项}。请于{补正期限}前提交补正材料。答复期限自本机关收到补正之日起计算。"
                            "无正当理由逾期不补正的，视为您放弃申请，本机关不再处理该政府信息公开申请。"),
    LetterKind.EXTENSION: (LetterKind.EXTENSION, "延期答复告知书", "《中华人民共和国政府信息公开条例》第三十三条第二款",
                           "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。因{延期理由}，"
                           "本机关不能在规定期限内作出答复。经政府信息公开工作机构负责人同意，答复期限延长{延长天数}个工作日，"
                           "本机关将于{新期限}前作出答复。"),
    LetterKind.CONSULTATION: (LetterKind.CONSULTATION, "征求第三方意见告知书", "《中华人民共和国政府信息公开条例》第三十二条、第三十三条第三款",
                              "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。您申请获取的信息涉及"
                              "第三方合法权益，本机关已书面征求{征求对象}的意见。征求意见所需时间不计算在答复期限内。"),
    LetterKind.FEE: (LetterKind.FEE, "收取信息处理费通知书", "《中华人民共和国政府信息公开条例》第四十二条；《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
                     "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。您申请公开政府信息的数量、"
                     "频次明显超过合理范围，依照规定{收费方式}收取信息处理费{收费金额}元。请于{缴费期限}前缴纳；"
                     "逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。缴费期间不计算在答复期限内。"),
    LetterKind.EXCESSIVE_ASK: (LetterKind.EXCESSIVE_ASK, "说明理由告知书", "《中华人民共和国政府信息公开条例》第三十五条",
                               "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）。您申请公开政府信息的"
                               "数量、频次明显超过合理范围（{第三十五条理由}）。请您于{说明期限}前说明理由。理由不合理的，本机关将告知"
                               "不予处理；理由合理但无法在规定期限内答复的，本机关将确定延迟答复的合理期限并告知您。"),
    LetterKind.EXCESSIVE_LATER: (LetterKind.EXCESSIVE_LATER, "延迟答复告知书", "《中华人民共和国政府信息公开条例》第三十五条",
                                 "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}）及您说明的理由。"
                                 "经审查，您的理由合理，但本机关无法在规定期限内答复。本机关确定于{新期限}前作出答复。"),
    REMEDIES: (None, "救济途径", "《中华人民共和国行政复议法》；《中华人民共和国行政诉讼法》第四十六条",
               "如对本答复不服，可以自收到本答复之日起六十日内向{复议机关}申请行政复议，"
               "也可以自收到本答复之日起六个月内依法向{诉讼法院}提起行政诉讼。"),
}

#: Notice kinds that carry the remedies paragraph besides every reply (they end the request or bind the applicant).
WITH_REMEDIES = {LetterKind.REPLY, LetterKind.FEE}

_PLACEHOLDER = re.compile(r"\{([^{}]{1,20})\}")


def check_template_text(text: str, field: str = "body") -> str:
    """The template text if it uses only known placeholders, else an InvalidInput naming the first unknown."""
    for name in _PLACEHOLDER.findall(text or ""):
        if name not in PLACEHOLDERS:
            raise InvalidInput(f"模板中的占位符“{{{name}}}”不存在，可用：" + "、".join(PLACEHOLDERS),
                               en=f"Unknown placeholder {name}", field=field)
    return text


def fill(text: str, values: dict) -> str:
    """Replace {占位符} by its value (unknown ones stay as written)."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text or "")


def template_for(agency, key):
    """(title, basis, body, number_prefix) of `key` for `agency`: the office's own template, else the default."""
    own = LetterTemplate.objects.filter(agency=agency, key=key).first()
    default = DEFAULTS[key]
    if own is not None:
        return own.title, own.basis, own.body, own.number_prefix
    prefix = LetterTemplate.objects.filter(agency=agency, key=REMEDIES).values_list("number_prefix", flat=True).first()
    return default[1], default[2], default[3], prefix or ""


def kind_of(key) -> str:
    return DEFAULTS[key][0]


def _day(d):
    return f"{d:%Y年%m月%d日}".replace("年0", "年").replace("月0", "月") if d else "（日期）"


def values_for(app, **extra) -> dict:
    """The placeholder values of an application (extra ones given by the action)."""
    parent = app.agency.parent
    values = {
        "申请人": app.applicant_name, "机关": app.agency.name, "登记号": app.number,
        "收到日期": _day(app.received_date), "申请内容": app.content, "答复期限": _day(app.due_date),
        "第三十五条理由": app.excessive_reason or "", "复议机关": parent.name if parent else "上一级行政机关",
        "诉讼法院": "有管辖权的人民法院", "信息内容": "", "不予公开部分": "", "负责机关": "",
    }
    for k, v in extra.items():
        values[k] = _day(v) if hasattr(v, "year") else ("" if v is None else str(v))
    return values


def compose(app, key, **extra) -> dict:
    """Title, basis and full body of a letter of `key` for `app` (the remedies paragraph appended)."""
    title, basis, body, _prefix = template_for(app.agency, key)
    values = values_for(app, **extra)
    text = fill(body, values)
    if kind_of(key) in WITH_REMEDIES:
        text += "\n" + fill(template_for(app.agency, REMEDIES)[2], values)
    return {"title": title, "basis": basis, "body": text}


def allocate_number(letter: Letter, day) -> Letter:
    """Give `letter` the next 文号 of its agency's series for the year of `day`.

    Must run in the action's transaction: the series row is locked (SELECT ... FOR UPDATE), so numbers are
    gapless and unique; a rolled-back action gives its number back with everything else."""
    agency = letter.application.agency
    LetterSeries.objects.get_or_create(agency=agency, year=day.year)
    series = LetterSeries.objects.select_for_update().get(agency=agency, year=day.year)
    series.last += 1
    series.save(update_fields=["last"])
    prefix = template_for(agency, letter.key)[3] or template_for(agency, REMEDIES)[3] or f"{agency.name}依申请公开"
    letter.year, letter.serial, letter.issued_date = day.year, series.last, day
    letter.doc_number = f"{prefix}〔{day.year}〕{series.last}号"
    letter.save(update_fields=["year", "serial", "doc_number", "issued_date"])
    return letter


# --- rendering ----------------------------------------------------------------------------------------

def _paragraphs(letter):
    lines = [line.strip() for line in letter.body.splitlines() if line.strip()]
    return lines[0], lines[1:]


def render_html(letter: Letter) -> str:
    salutation, paragraphs = _paragraphs(letter)
    return render_to_string("disclosure/letter.html", {
        "letter": letter, "agency": letter.application.agency, "salutation": salutation, "paragraphs": paragraphs,
        "date": _day(letter.issued_date or timezone.localdate()),
    })


def render_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint loads Pango at import; only the worker needs it

    return HTML(string=render_html(letter)).write_pdf()


def _east_asian(run, name="宋体"):
    from docx.oxml.ns import qn  # noqa: PLC0415 - python-docx is only needed by the worker

    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def render_docx(letter: Letter) -> bytes:
    from docx import Document  # noqa: PLC0415 - python-docx is only needed by the worker
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415
    from docx.shared import Mm, Pt  # noqa: PLC0415

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(26)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    salutation, paragraphs = _paragraphs(letter)

    def para(text, *, size=14, align=None, bold=False, indent=True):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        run = p.add_run(text)
        run.font.size, run.bold = Pt(size), bold
        _east_asian(run)
        return p

    para(letter.application.agency.name, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, indent=False)
    para(letter.title, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, indent=False)
    para(letter.doc_number or "（未编号）", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    para(salutation, indent=False)
    for text in paragraphs:
        para(text)
    para(f"法律依据：{letter.basis}")
    para(letter.application.agency.name, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    para(_day(letter.issued_date or timezone.localdate()), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_files(letter: Letter) -> Letter:
    """Render the PDF and the DOCX of `letter` and store them with it."""
    pdf, docx = render_pdf(letter), render_docx(letter)
    base = (letter.doc_number or f"letter-{letter.pk}").replace("/", "_")
    letter.pdf.save(f"{base}.pdf", ContentFile(pdf), save=False)
    letter.docx.save(f"{base}.docx", ContentFile(docx), save=False)
    letter.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    letter.save(update_fields=["pdf", "docx", "pdf_sha256"])
    return letter


def render_job(job, progress):
    """Worker job "disclosure.letter.render": params {"letters": [ids]}."""
    ids = list(job.params.get("letters", []))
    for n, letter in enumerate(Letter.objects.select_related("application__agency").filter(pk__in=ids), 1):
        render_files(letter)
        progress(int(100 * n / max(len(ids), 1)), letter.doc_number)
    return {"rendered": len(ids)}
