import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';

/** Pipedrive's own limit on a note's HTML is not documented; this keeps one note from filling a page of rows. */
export const MAX_NOTE_CONTENT = 100_000;

/*
 * The formatting a note editor produces (paragraphs, emphasis, lists, links, headings, quotes, tables, images)
 * and nothing that runs: scripts, styles, frames, forms, event handler attributes and javascript:/data: URLs are
 * removed. Text inside a removed element stays, except inside script, style and the like (sanitize-html's
 * nonTextTags), whose text is code rather than content.
 */
const options = (sanitizeHtml: typeof SanitizeHtml): SanitizeHtml.IOptions => ({
  allowedTags: [
    'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'sub', 'sup', 'blockquote', 'pre', 'code',
    'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img',
  ],
  allowedAttributes: { a: ['href', 'title', 'target', 'rel'], img: ['src', 'alt', 'title', 'width', 'height'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  // A link that opens a new tab cannot reach back into the page that opened it.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
});

// Loaded with the first note written: the library and its parser cost about 55 ms of every start otherwise.
let sanitizer: ((html: string) => string) | undefined;
function loadSanitizer(): (html: string) => string {
  const sanitizeHtml = createRequire(import.meta.url)('sanitize-html') as typeof SanitizeHtml;
  const settings = options(sanitizeHtml);
  return (html) => sanitizeHtml(html, settings);
}

/** A note's HTML made harmless to render: stored this way, so every reader (API, webhooks, flow) gets it defused. */
export function sanitizeNoteContent(html: string): string {
  sanitizer ??= loadSanitizer();
  return sanitizer(html);
}
