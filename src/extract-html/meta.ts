// Metadata from an HTML page's head and markup: title, byline, date, canonical URL, source, description.
import type { HtmlMeta } from '../types.js';
import { type DNode, collapse, elements, textOf } from './dom.js';

function clean(s: string | undefined | null, max = 500): string | null {
  if (s == null) return null;
  const t = collapse(s).trim();
  if (!t) return null;
  return t.length > max ? t.slice(0, max) : t;
}

/** Everything the metadata needs, gathered in one iterative pass over the document. */
interface Gathered {
  metas: Map<string, string>;
  title: string | null;
  h1: string | null;
  canonical: string | null;
  time: string | null;
  datePublished: string | null;
  ldJson: string[];
  byline: string[];
}

const BYLINE_CLASS = /(^|[\s_-])(byline|byline-name|author-name|author__name|authorname|article-author|post-author|entry-author|story-author|by-author)($|[\s_-])/i;

function gather(root: DNode): Gathered {
  const g: Gathered = { metas: new Map(), title: null, h1: null, canonical: null, time: null, datePublished: null, ldJson: [], byline: [] };
  let relAuthor: string | null = null;
  let propAuthor: string | null = null;
  let classAuthor: string | null = null;
  for (const el of elements(root)) {
    const a = el.attribs;
    switch (el.name) {
      case 'meta': {
        const content = a.content;
        if (content == null) break;
        for (const k of [a.property, a.name, a.itemprop]) {
          if (!k) continue;
          const key = k.toLowerCase();
          if (!g.metas.has(key) && content.trim()) g.metas.set(key, content);
        }
        break;
      }
      case 'title':
        if (g.title === null) g.title = textOf(el);
        break;
      case 'h1':
        if (g.h1 === null) g.h1 = textOf(el);
        break;
      case 'link':
        if (g.canonical === null && /(^|\s)canonical(\s|$)/i.test(a.rel ?? '') && a.href) g.canonical = a.href;
        break;
      case 'time':
        if (g.time === null && a.datetime) g.time = a.datetime;
        break;
      case 'script':
        if ((a.type ?? '').toLowerCase().includes('ld+json')) g.ldJson.push(textOf({ type: 'root', parent: null, children: el.children }));
        break;
    }
    if (g.datePublished === null && (a.itemprop ?? '').toLowerCase() === 'datepublished') g.datePublished = a.datetime ?? a.content ?? null;
    if (relAuthor === null && (a.rel ?? '').toLowerCase() === 'author' && el.name !== 'link') relAuthor = a.content ?? textOf(el);
    if (propAuthor === null && (a.itemprop ?? '').toLowerCase() === 'author') {
      let name: string | null = a.content ?? null;
      if (!name) for (const d of elements(el)) if ((d.attribs.itemprop ?? '').toLowerCase() === 'name') { name = d.attribs.content ?? textOf(d); break; }
      propAuthor = name ?? textOf(el);
    }
    if (classAuthor === null && a.class && BYLINE_CLASS.test(a.class)) {
      const link = [...elements(el)].find((d) => d.name === 'a');
      const whole = textOf(el);
      classAuthor = whole.length > 80 && link ? textOf(link) : whole;
    }
  }
  for (const b of [relAuthor, propAuthor, classAuthor]) if (b) g.byline.push(b);
  return g;
}

function metaContent(g: Gathered, names: string[]): string | null {
  for (const n of names) {
    const v = clean(g.metas.get(n.toLowerCase()));
    if (v) return v;
  }
  return null;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** All JSON-LD objects of the page, flattened through arrays and @graph (iteratively). */
function jsonLd(g: Gathered): Record<string, Json>[] {
  const out: Record<string, Json>[] = [];
  for (const raw of g.ldJson) {
    if (!raw || raw.length > 2_000_000) continue;
    let data: Json;
    try {
      data = JSON.parse(raw.trim().replace(/^<!--|-->$/g, '')) as Json;
    } catch {
      continue;
    }
    const stack: Json[] = [data];
    let guard = 0;
    while (stack.length && guard++ < 10_000) {
      const d = stack.pop();
      if (Array.isArray(d)) stack.push(...d);
      else if (d && typeof d === 'object') {
        out.push(d);
        const g = d['@graph'];
        if (Array.isArray(g)) stack.push(...g);
        const me = d.mainEntity;
        if (me && typeof me === 'object') stack.push(me);
      }
    }
  }
  return out;
}

function ldType(o: Record<string, Json>): string {
  const t = o['@type'];
  return (Array.isArray(t) ? t.join(' ') : typeof t === 'string' ? t : '').toLowerCase();
}

function ldName(v: Json | undefined): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return clean(v);
  if (Array.isArray(v)) {
    const names = v.map(ldName).filter((x): x is string => !!x);
    return names.length ? names.join(', ') : null;
  }
  if (typeof v === 'object') return typeof v.name === 'string' ? clean(v.name) : null;
  return null;
}

const SEPARATORS = /\s+[|\-–—·•»«/]\s+/;

/** Trim a " | Site" / " - Site" suffix (or prefix) from a <title>, using the site name or the h1. */
export function trimTitle(title: string, siteName: string | null, h1: string | null): string {
  const t = title.trim();
  const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  if (h1 && norm(t) === norm(h1)) return h1;
  const parts = t.split(SEPARATORS).map((p) => p.trim()).filter(Boolean);
  if (parts.length < 2) return t;
  if (siteName) {
    const sn = norm(siteName);
    const kept = parts.filter((p) => {
      const np = norm(p);
      return !(np === sn || (sn.length > 2 && (np.includes(sn) || sn.includes(np)) && np.length <= sn.length + 4));
    });
    if (kept.length && kept.length < parts.length) return joinParts(t, kept);
  }
  if (h1) {
    const nh = norm(h1);
    const match = parts.filter((p) => {
      const np = norm(p);
      return np.length > 0 && (nh.includes(np) || np.includes(nh));
    });
    if (match.length) return match.sort((a, b) => b.length - a.length)[0];
  }
  // Generic: a short trailing part (a site or section name) after the headline.
  const m = /^(.*\S)\s+[|\-–—·•»]\s+([^|\-–—·•»]{1,40})$/.exec(t);
  if (m && m[2].trim().split(/\s+/).length <= 4 && m[1].split(/\s+/).length >= 4) return m[1].trim();
  return t;
}

/** Re-join kept parts with the separators they had in the original title. */
function joinParts(original: string, kept: string[]): string {
  if (kept.length === 1) return kept[0];
  const first = original.indexOf(kept[0]);
  const last = kept[kept.length - 1];
  const end = original.lastIndexOf(last);
  return first !== -1 && end !== -1 && end >= first ? original.slice(first, end + last.length).trim() : kept.join(' - ');
}

function normalizeDate(s: string | null): string | null {
  if (!s) return null;
  const t = s.trim();
  if (!t || t.length > 80) return null;
  return t;
}

export function extractMeta(root: DNode): HtmlMeta {
  const g = gather(root);
  const ld = jsonLd(g);
  const article =
    ld.find((o) => /article|posting|report|blog/.test(ldType(o))) ?? ld.find((o) => 'headline' in o || 'datePublished' in o) ?? null;

  const h1 = clean(g.h1);
  const siteName =
    metaContent(g, ['og:site_name', 'application-name']) ??
    (article ? ldName(article.publisher) : null) ??
    ldName(ld.find((o) => /organization|website/.test(ldType(o)))?.name ?? null);

  let title = metaContent(g, ['og:title', 'twitter:title']) ?? (article ? ldName(article.headline) : null) ?? h1;
  const docTitle = clean(g.title);
  if (!title && docTitle) title = docTitle;
  if (title) title = trimTitle(title, siteName, h1);

  let byline =
    metaContent(g, ['author', 'article:author', 'byl', 'dc.creator', 'sailthru.author', 'parsely-author']) ??
    (article ? ldName(article.author) : null);
  if (byline && /^https?:\/\//.test(byline)) byline = null;
  if (!byline) for (const b of g.byline) {
    const c = clean(b, 200);
    if (c && c.length <= 100 && /\p{L}/u.test(c)) { byline = c; break; }
  }
  if (byline) byline = byline.replace(/^(written\s+)?by\s+/i, '').trim() || null;

  const date = normalizeDate(
    metaContent(g, ['article:published_time', 'datePublished', 'og:published_time', 'pubdate', 'publishdate', 'date', 'dc.date', 'parsely-pub-date', 'sailthru.date']) ??
      g.datePublished ??
      (article && typeof article.datePublished === 'string' ? article.datePublished : null) ??
      g.time,
  );

  const url =
    clean(g.canonical, 2000) ?? metaContent(g, ['og:url', 'twitter:url']) ?? (article && typeof article.url === 'string' ? clean(article.url, 2000) : null);

  const description = metaContent(g, ['description', 'og:description', 'twitter:description']) ?? (article ? ldName(article.description) : null);

  return { title: title ?? null, byline: byline ?? null, date, url, source: siteName ?? null, description };
}
