"""The revision diff: HTML stripped, paragraphs compared, changed paragraphs compared per character."""
from workflow.diffs import html_to_text, metadata_diff, text_diff


def test_html_is_stripped_to_one_line_per_block():
    assert html_to_text("<p>第一段&nbsp;<strong>加粗</strong></p><ul><li>甲</li><li>乙</li></ul>一<br>二") == \
        "第一段\xa0加粗\n• 甲\n• 乙\n一\n二"


def test_changed_characters_are_marked_inside_a_paragraph():
    diff = text_diff("<p>现将工作要点予以印发。</p><p>请遵照执行。</p>",
                     "<p>现将工作要点印发给你们。</p><p>请遵照执行。</p>")
    assert diff["changed"]
    assert "<del>予以</del>" in diff["html"] and "<ins>给你们</ins>" in diff["html"]
    assert "<p>请遵照执行。</p>" in diff["html"]
    assert (diff["inserted"], diff["deleted"]) == (3, 2)


def test_added_and_removed_paragraphs():
    diff = text_diff("<p>甲</p><p>乙</p>", "<p>甲</p><p>丙丁</p><p>乙</p>")
    assert "<p><ins>丙丁</ins></p>" in diff["html"] and diff["inserted"] == 2 and diff["deleted"] == 0
    diff = text_diff("<p>甲</p><p>乙</p>", "<p>甲</p>")
    assert "<p><del>乙</del></p>" in diff["html"] and diff["deleted"] == 1


def test_markup_only_changes_are_not_text_changes_and_text_is_escaped():
    assert not text_diff("<p>正文</p>", "<p><strong>正文</strong></p>")["changed"]
    diff = text_diff("<p>a</p>", "<p>a &lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert "<script>" not in diff["html"] and "&lt;script&gt;" in diff["html"]


def test_metadata_diff_lists_changed_fields_with_labels():
    rows = metadata_diff({"title": "旧", "doc_number": "1号"}, {"title": "新", "doc_number": "1号"})
    assert rows == [{"field": "title", "label": "名称", "old": "旧", "new": "新"}]


def test_plain_text_bodies_and_tables_keep_their_structure_in_the_diff():
    # A body stored as plain lines (before the editor) is one paragraph a line, not one run-on block.
    assert html_to_text("第一段\n第二段") == "第一段\n第二段"
    assert html_to_text("<table><tr><td>姓名</td><td>金额</td></tr></table>") == "姓名 | 金额 |"
    diff = text_diff("第一段\n第二段", "第一段\n第二段改")
    assert "<p>第一段</p>" in diff["html"] and "<ins>改</ins>" in diff["html"]
