// CCP4 programs wrap their logs in a little HTML (`<html>`, `<pre>`, `<B><FONT ...>`, `<a href>`, and the
// `<!--SUMMARY_BEGIN-->` / `<!--SUMMARY_END-->` comments). Only these known tags are removed from text
// blocks: `<I>` is not italics in a CCP4 log but the mean intensity, and table headers such as `<I**2>`
// are kept exactly as written.
const TAGS =
  'html|head|body|pre|hr|br|p|b|font|a|span|div|center|em|strong|tt|code|h[1-6]|table|tr|td|th|ul|ol|li|title';
const TAG_RE = new RegExp(`</?(?:${TAGS})(?:\\s[^>]*)?/?>`, 'gi');
const COMMENT_RE = /<!--.*?-->/g;
const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
};

export const SUMMARY_BEGIN = '<!--SUMMARY_BEGIN-->';
export const SUMMARY_END = '<!--SUMMARY_END-->';

/** The text of a log line without CCP4's HTML markup (known tags, comments, the five basic entities). */
export function stripMarkup(line: string): string {
  if (!line.includes('<') && !line.includes('&')) return line;
  return line
    .replace(COMMENT_RE, '')
    .replace(TAG_RE, '')
    .replace(/&(?:lt|gt|amp|quot|#39);/g, (e) => ENTITIES[e]);
}
