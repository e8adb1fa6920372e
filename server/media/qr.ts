import QRCode from 'qrcode';

/** The QR modules of a text: size × size booleans, row by row. */
export function qrModules(text: string): { size: number; dark: (x: number, y: number) => boolean } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  return { size, dark: (x, y) => data[y * size + x] === 1 };
}

/** A QR code as one SVG path in a box of `box` units at (x, y), quiet zone included. */
export function qrSvgPath(text: string, x: number, y: number, box: number): string {
  const { size, dark } = qrModules(text);
  const unit = box / (size + 8);
  let d = '';
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) if (dark(c, r)) d += `M${(x + (c + 4) * unit).toFixed(2)} ${(y + (r + 4) * unit).toFixed(2)}h${unit.toFixed(2)}v${unit.toFixed(2)}h-${unit.toFixed(2)}z`;
  return `<rect x="${x}" y="${y}" width="${box}" height="${box}" fill="#fff"/><path d="${d}" fill="#000"/>`;
}

/** A QR code as a standalone SVG image (an entry's share link). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}
