/**
 * What strict parsing refuses in a JSON text that JSON.parse accepted (it does not check syntax itself), in one pass:
 * - a key that appears twice in one object: JSON.parse silently keeps the last, so `{"name":"a","name":"b"}` would
 *   store a value the client may not have meant;
 * - objects and arrays nested deeper than `maxDepth`: no request body needs more than a few levels, and code that
 *   walks a parsed body (validation, NUL checks, rendering) recurses, so thousands of levels overflowed the stack.
 */
export function jsonTextProblem(text: string, maxDepth: number): string | undefined {
  // One entry per open container: the keys seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      while (end < text.length && text.charCodeAt(end) !== QUOTE) {
        if (text.charCodeAt(end) === BACKSLASH) {
          escaped = true;
          end++;
        }
        end++;
      }
      if (expectingKey) {
        const raw = text.slice(i, end + 1);
        const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        const keys = open[open.length - 1] as Set<string>;
        if (keys.has(key)) return `the JSON body has the key "${key}" twice in one object`;
        keys.add(key);
        expectingKey = false;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (open.length === maxDepth) return `the JSON body nests objects and arrays more than ${maxDepth} levels deep`;
      open.push(c === OPEN_BRACE ? new Set() : null);
      expectingKey = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.pop();
      expectingKey = false;
    } else if (c === COMMA) {
      expectingKey = open[open.length - 1] instanceof Set;
    }
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
