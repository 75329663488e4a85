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

const ASCII_PIECES = /[a-z0-9]+|[^\sa-z0-9]/g;
const PIECES = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;
const ASCII_WORD = /^[a-z0-9]+$/;
const WORD = /^[\p{L}\p{N}\p{M}]+$/u;
/** The words and punctuation characters of folded text, in order. */
export function pieces(folded: string): string[] {
  return folded.match(PRINTABLE_ASCII.test(folded) ? ASCII_PIECES : PIECES) ?? [];
}

/** Whether a piece is a word (letters and digits) rather than a punctuation character. */
export function isWord(piece: string): boolean {
  return ASCII_WORD.test(piece) || WORD.test(piece);
}

/** The searchable form of one value: its pieces joined by spaces (empty when it has none). */
export function searchForm(value: string): string {
  return pieces(fold(value)).join(' ');
}
