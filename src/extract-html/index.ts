// HTML extraction stage: the main article text and the page metadata (cheerio, htmlparser2 backend).
// The slim entry: the same htmlparser2 parse we ask for below, without parse5 and the fetch client (undici), which
// took most of the start-up time of every process and worker.
import * as cheerio from 'cheerio/slim';
import type { HtmlExtraction } from '../types.js';
import { limitDepth } from './depth.js';
import type { DNode } from './dom.js';
import { extractContent } from './content.js';
import { extractMeta } from './meta.js';

export { limitDepth } from './depth.js';
export { trimTitle } from './meta.js';

const EMPTY_META = { title: null, byline: null, date: null, url: null, source: null, description: null };

/**
 * Extract the article from an HTML page: `text` holds the body (paragraphs separated by blank lines,
 * list items on their own lines, subheadings kept, headline not included); `meta` the page metadata.
 * Never throws: malformed or hostile input gives empty fields.
 */
export function extractHtml(html: string): HtmlExtraction {
  if (typeof html !== 'string' || !html) return { text: '', meta: { ...EMPTY_META } };
  try {
    const $ = cheerio.load(limitDepth(html), { xml: { xmlMode: false, decodeEntities: true } });
    const root = $.root()[0] as unknown as DNode;
    let meta;
    try {
      meta = extractMeta(root);
    } catch {
      meta = { ...EMPTY_META };
    }
    const text = extractContent(root, { title: meta.title, description: meta.description, hasByline: meta.byline !== null });
    return { text, meta };
  } catch {
    return { text: '', meta: { ...EMPTY_META } };
  }
}
