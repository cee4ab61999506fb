// Small DOM helpers shared by the screens. Text is only ever set as text (never as HTML), so
// nothing the core or a checklist returns can inject markup.

/** `document.getElementById`. */
export const $ = (id) => document.getElementById(id);

/** Creates an element with attributes and children (strings become text nodes; null, undefined
 * and false attributes or children are left out). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** The file chosen in `input`, which is then emptied so that the same file can be chosen again
 * and no file name lingers in the form. */
export function takeFile(input) {
  const file = input.files?.[0];
  input.value = '';
  return file;
}

/** A language's name in that language ("slovenčina (sk)"), for language pickers. */
export function languageName(code) {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}
