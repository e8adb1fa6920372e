/**
 * A reason someone typed, to be set inside a sentence that ends with its own full stop:
 * trimmed, and without the stop the person may have put (Chinese or not), so that
 * 「原因：门牌号不对。」 never reads 「原因：门牌号不对。。」.
 */
export function clause(text: string): string {
  return text.trim().replace(/[。.！!]+$/, '');
}
