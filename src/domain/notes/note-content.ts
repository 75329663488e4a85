import sanitizeHtml from 'sanitize-html';

/** Pipedrive's own limit on a note's HTML is not documented; this keeps one note from filling a page of rows. */
export const MAX_NOTE_CONTENT = 100_000;

/*
 * The formatting a note editor produces (paragraphs, emphasis, lists, links, headings, quotes, tables, images)
 * and nothing that runs: scripts, styles, frames, forms, event handler attributes and javascript:/data: URLs are
 * removed. Text inside a removed element stays, except inside script, style and the like (sanitize-html's
 * nonTextTags), whose text is code rather than content.
 */
const OPTIONS: sanitizeHtml.IOptions = {
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
};

/** A note's HTML made harmless to render: stored this way, so every reader (API, webhooks, flow) gets it defused. */
export function sanitizeNoteContent(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
