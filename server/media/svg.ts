/** Text for SVG markup: the five characters with meaning there, as character references. */
export const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The Chinese fonts SVG pictures ask for, in order (the server's PDFs embed Noto CJK). */
export const FONT = `'Noto Sans CJK SC','Noto Sans SC','WenQuanYi Micro Hei','Source Han Sans SC',sans-serif`;
