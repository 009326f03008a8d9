"""axe-core (vendored from the npm package axe-core, tests/browser/axe.min.js, MPL-2.0: see axe.LICENSE)
injected into pages by Playwright; serious and critical violations fail the browser tests."""
from pathlib import Path

AXE = Path(__file__).with_name("axe.min.js")
AXE_VERSION = "4.14.1"
BLOCKING = ("serious", "critical")
PHONE = {"width": 390, "height": 844}


def axe_violations(page) -> list[dict]:
    """Run axe (WCAG 2.0/2.1 A and AA rules) on the page as it is; return serious/critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
                                                                         'wcag21aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' +
                                                                        (n.failureSummary || '').slice(0, 200))}));
    }""")
    return [v for v in result if v["impact"] in BLOCKING]


def describe(url, violations) -> str:
    lines = [f"{url}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        lines.extend(f"      {n}" for n in v["nodes"])
    return "\n".join(lines)


def too_wide(page) -> list[str]:
    """The innermost elements that stick out to the right of the viewport (to say what to fix)."""
    return page.evaluate("""() => {
        const w = window.innerWidth, out = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            const inner = [...el.children].some(c => c.getBoundingClientRect().right > w + 1);
            if (r.right > w + 1 && r.width > 0 && !inner) {
                const c = el.className;
                const cls = typeof c === 'string' && c ? '.' + c.split(' ').join('.') : '';
                out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ' right=' + Math.round(r.right));
            }
        }
        return out.slice(0, 6);
    }""")
