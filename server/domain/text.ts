/**
 * A reason someone typed, to be set inside a sentence that ends with its own full stop:
 * trimmed, and without the stop the person may have put (Chinese or not), so that
 * 「原因：门牌号不对。」 never reads 「原因：门牌号不对。。」.
 */
export function clause(text: string): string {
  return text.trim().replace(/[。.！!]+$/, '');
}

// Direction marks and isolates, zero-width space, word joiner, byte-order mark, line and paragraph
// separators. The zero-width joiners (U+200C, U+200D) stay: emoji families are made with them.
const HIDDEN = '\\u007f-\\u009f\\u061c\\u200b\\u200e\\u200f\\u2028-\\u202e\\u2060\\u2066-\\u2069\\ufeff';
const HIDDEN_IN_LINE = new RegExp(`[\\u0000-\\u001f${HIDDEN}]`);
const HIDDEN_IN_PARAGRAPH = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f${HIDDEN}]`);

/**
 * Characters a person cannot see but a page obeys: control codes (a line break too, in a
 * one-line field) and the marks that reorder text right to left, with which 陈家庭院 can be
 * made to read backwards on a public page. Tabs and line breaks are fine in a paragraph.
 */
export function hiddenCharacter(text: string, multiline: boolean): boolean {
  return (multiline ? HIDDEN_IN_PARAGRAPH : HIDDEN_IN_LINE).test(text);
}

export const HIDDEN_CHARACTER_PROBLEM = '不能包含看不见的控制字符（如换行、文字方向符号）。请重新输入。';
