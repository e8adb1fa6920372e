/** Mainland mobile number: 11 digits, 1 then 3–9. */
export const PHONE_RE = /^1[3-9]\d{9}$/;
export const PHONE_MESSAGE = '手机号应为 11 位中国大陆手机号，如 13800138000。';

/** Fold what people type around a number (spaces, dashes, +86, full-width digits) to 11 digits. */
export function normalizePhone(input: string): string {
  let s = input.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  s = s.replace(/[\s\-()（）]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  return s;
}

export function isPhone(input: string): boolean {
  return PHONE_RE.test(input);
}

/** 13800138000 → 138****8000: enough for the family to know which phone, not enough to call it. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
