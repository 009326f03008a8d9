"""Driving the body editor (django-prose-editor, ProseMirror) from Playwright: paste HTML as the clipboard would."""

PASTE = """(args) => {
  const [selector, html] = args;
  const editable = [...document.querySelectorAll('.ProseMirror[contenteditable="true"]')]
    .find((el) => el.offsetParent !== null);
  editable.focus();
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', html.replace(/<[^>]+>/g, ''));
  editable.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def paste_html(page, html, textarea="#id_body", replace=True):
    """Paste `html` into the editor that replaced `textarea` (select all first when `replace`)."""
    editable = page.locator('.ProseMirror[contenteditable="true"] >> visible=true').first
    editable.wait_for()
    editable.click()
    if replace:
        page.keyboard.press("Control+A")
    page.evaluate(PASTE, [textarea, html])
