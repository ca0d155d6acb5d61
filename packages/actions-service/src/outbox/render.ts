/**
 * A notice's text from its template: `{{var}}` placeholders replaced by the template's vars and the
 * recipient's (userId, department). Values go in as plain text — nothing is interpreted as HTML or
 * markup, and e-mails are sent as text/plain — so a template holding `<img onerror=…>` arrives verbatim.
 * An unknown placeholder stays as written, so a typo is visible rather than silently blank.
 */

export type Vars = Record<string, unknown>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** `text` with each `{{name}}` that `vars` holds replaced by its value as text (null → ''). */
export function render(text: string, vars: Vars): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!Object.hasOwn(vars, name)) return whole;
    const v = vars[name];
    return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

/** A subject line: rendered, on one line (a CR/LF in a value must not start a new header). */
export function renderSubject(text: string, vars: Vars): string {
  return render(text, vars)
    .replace(/[\r\n]+/g, ' ')
    .trim();
}
