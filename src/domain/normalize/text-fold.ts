/** The one folded form of text (case and accents removed) that search, duplicate keys and imports compare. */
export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// Letters NFKD does not decompose into a base letter plus accents.
const LETTER_FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŀ: 'l' };
const UNFOLDED_LETTERS = /[ßæœøłđðþıħŀ]/g;
const CONTROLS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Lower case without accents; control characters become spaces. */
export function fold(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{Mn}+/gu, '')
    .toLowerCase()
    .replace(UNFOLDED_LETTERS, (c) => LETTER_FOLDS[c])
    .replace(CONTROLS, ' ');
}
