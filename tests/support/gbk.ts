/**
 * Text as Excel in China saves a CSV: GBK bytes. Node can decode GBK but not encode it, so the
 * table is read off the decoder: every two-byte sequence and the character it stands for.
 */
let table: Map<string, number[]> | null = null;

export function encodeGbk(text: string): Uint8Array {
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder('gbk', { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        try {
          const ch = decoder.decode(new Uint8Array([lead, trail]));
          if (!table.has(ch)) table.set(ch, [lead, trail]);
        } catch {
          // not a character
        }
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0));
    else {
      const pair = table.get(ch);
      if (!pair) throw new Error(`no GBK for ${ch}`);
      bytes.push(...pair);
    }
  }
  return new Uint8Array(bytes);
}
