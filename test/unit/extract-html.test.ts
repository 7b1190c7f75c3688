// Unit tests of the HTML extraction stage on small hand-written pages (no benchmark text).
import { describe, it, expect } from 'vitest';
import { extractHtml, limitDepth, trimTitle } from '../../src/extract-html/index.js';

const para = (i: number) =>
  `Paragraph ${i} of the story explains, in some detail, what the council decided on Tuesday, why the vote was close, and what residents of the district can expect to see over the coming months.`;

function page(opts: { head?: string; article?: string; extra?: string } = {}): string {
  const body = opts.article ?? [1, 2, 3, 4, 5].map((i) => `<p>${para(i)}</p>`).join('\n');
  return `<!doctype html><html><head><title>Council approves budget | Daily Gazette</title>
<meta property="og:site_name" content="Daily Gazette">${opts.head ?? ''}</head>
<body>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Council approves budget</h1>
<div class="byline">By <a rel="author" href="/staff/jane">Jane Roe</a></div>
<div class="article-body">${body}</div>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Another story about the council and the mayor</a></li><li><a href="/b">Yet another story about something else entirely</a></li></ul></aside>
${opts.extra ?? ''}
<section id="comments" class="comments-area"><h3>12 Comments</h3><p>First comment, I completely disagree with the council, this is a waste of money and everybody knows it.</p></section>
</main>
<footer class="site-footer"><p>© 2024 Daily Gazette. All rights reserved. Contact us, advertise with us, privacy policy, terms of use.</p></footer>
<script>var x = "<p>not text</p>";</script>
</body></html>`;
}

describe('extractHtml: main text', () => {
  it('keeps the article paragraphs, separated by blank lines, and drops chrome', () => {
    const { text } = extractHtml(page());
    const paras = text.split('\n\n');
    expect(paras).toEqual([1, 2, 3, 4, 5].map(para));
    for (const junk of ['Home', 'Share on Facebook', 'Related stories', 'First comment', 'All rights reserved', 'not text', 'Jane Roe']) {
      expect(text).not.toContain(junk);
    }
  });

  it('does not put the headline in the text', () => {
    expect(extractHtml(page()).text).not.toContain('Council approves budget');
  });

  it('keeps subheadings as paragraphs, list items as lines and block quotes', () => {
    const article = [
      `<p>${para(1)}</p>`,
      '<h2>What happens next</h2>',
      `<p>${para(2)}</p>`,
      '<ul><li>New bus lanes on the main road</li><li>Longer library opening hours</li><li>A second recycling centre</li></ul>',
      `<blockquote><p>We listened to every single resident, and this budget, we believe, reflects what they asked for.</p></blockquote>`,
      `<p>${para(3)}</p>`,
    ].join('');
    const { text } = extractHtml(page({ article }));
    expect(text).toContain('\n\nWhat happens next\n\n');
    expect(text).toContain('New bus lanes on the main road\nLonger library opening hours\nA second recycling centre');
    expect(text).toContain('We listened to every single resident');
  });

  it('drops a newsletter box and an advertisement label inside the article', () => {
    const article = `<p>${para(1)}</p><div class="newsletter-signup"><p>Sign up for our daily newsletter and never miss a story.</p><form><input type="email"><button>Subscribe</button></form></div><p>Advertisement</p><p>${para(2)}</p>`;
    const { text } = extractHtml(page({ article }));
    expect(text).not.toMatch(/newsletter|Subscribe|Advertisement/);
    expect(text).toContain(para(2));
  });

  it('handles text separated by <br> in a div without <p>', () => {
    const article = [1, 2, 3].map(para).join('<br><br>');
    const { text } = extractHtml(page({ article }));
    expect(text.split('\n\n')).toEqual([1, 2, 3].map(para));
  });

  it('finds the article without semantic markup', () => {
    const html = `<html><body><div id="top"><a href="/">Home</a> | <a href="/x">World</a></div><div id="wrap"><div class="c1">${[1, 2, 3, 4]
      .map((i) => `<p>${para(i)}</p>`)
      .join('')}</div><div class="c2"><a href="/1">Link one</a><a href="/2">Link two</a></div></div></body></html>`;
    expect(extractHtml(html).text.split('\n\n')).toEqual([1, 2, 3, 4].map(para));
  });
});

describe('extractHtml: metadata', () => {
  it('reads title, byline, date, url, source and description', () => {
    const head = `<meta property="og:title" content="Council approves budget - Daily Gazette">
<meta name="author" content="Jane Roe"><meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://example.org/news/budget"><meta name="description" content="The council voted 7-6.">`;
    const { meta } = extractHtml(page({ head }));
    expect(meta).toEqual({
      title: 'Council approves budget',
      byline: 'Jane Roe',
      date: '2024-03-05T10:00:00Z',
      url: 'https://example.org/news/budget',
      source: 'Daily Gazette',
      description: 'The council voted 7-6.',
    });
  });

  it('falls back to <title> trimmed, [rel=author], <time datetime> and JSON-LD', () => {
    const html = `<html><head><title>Storm closes schools | The Courier</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","datePublished":"2024-01-02","publisher":{"@type":"Organization","name":"The Courier"}}]}</script>
</head><body><article><h1>Storm closes schools</h1><a rel="author" href="/a">Sam Poe</a><time datetime="2024-01-03">Jan 3</time>${[1, 2, 3]
      .map((i) => `<p>${para(i)}</p>`)
      .join('')}</article></body></html>`;
    const { meta } = extractHtml(html);
    expect(meta.title).toBe('Storm closes schools');
    expect(meta.byline).toBe('Sam Poe');
    expect(meta.date).toBe('2024-01-02');
    expect(meta.source).toBe('The Courier');
    expect(meta.url).toBeNull();
  });

  it('trims site suffixes generically', () => {
    expect(trimTitle('Storm closes schools | The Courier', 'The Courier', null)).toBe('Storm closes schools');
    expect(trimTitle('The Courier - Storm closes schools', 'The Courier', null)).toBe('Storm closes schools');
    expect(trimTitle('Storm closes schools – News – Courier', null, 'Storm closes schools')).toBe('Storm closes schools');
    expect(trimTitle('Left - right: a history of the split', null, null)).toBe('Left - right: a history of the split');
  });
});

describe('extractHtml: robustness', () => {
  it('survives 100,000 levels of nesting quickly', () => {
    const n = 100_000;
    const html = '<html><body>' + '<div>'.repeat(n) + `<p>${para(1)}</p>` + '</div>'.repeat(n) + '</body></html>';
    const t = performance.now();
    const r = extractHtml(html);
    expect(performance.now() - t).toBeLessThan(5000);
    expect(r.text).toContain('Paragraph 1 of the story');
  });

  it('survives deep unclosed inline tags', () => {
    const html = '<html><body>' + '<span><b>'.repeat(50_000) + para(1) + '</body></html>';
    const r = extractHtml(html);
    expect(r.text).toContain('Paragraph 1');
  });

  it('returns empty text for pages with only scripts, empty input and non-HTML', () => {
    expect(extractHtml('<html><head><script>' + 'var a=1;'.repeat(10000) + '</script></head><body><script>document.write("x")</script></body></html>').text).toBe('');
    expect(extractHtml('')).toEqual({ text: '', meta: { title: null, byline: null, date: null, url: null, source: null, description: null } });
    expect(() => extractHtml('\u0000\u0001 binary \uFFFD <<<>>> </p></div>')).not.toThrow();
  });

  it('handles malformed markup and huge attributes', () => {
    const huge = 'x'.repeat(5_000_000);
    const html = `<html><body><div data-x="${huge}"><p>${para(1)}<p>${para(2)}<div><p>${para(3)}</span></b></i></div><table><tr><td>cell</table>`;
    const t = performance.now();
    const r = extractHtml(html);
    expect(performance.now() - t).toBeLessThan(5000);
    expect(r.text).toContain(para(1));
    expect(r.text).toContain(para(3));
  });

  it('limitDepth leaves normal pages untouched and caps deep ones', () => {
    const normal = page();
    expect(limitDepth(normal)).toBe(normal);
    const deep = '<div>'.repeat(1000) + 'x' + '</div>'.repeat(1000);
    const capped = limitDepth(deep, 100);
    expect((capped.match(/<div>/g) ?? []).length).toBe(100);
    expect((capped.match(/<\/div>/g) ?? []).length).toBe(100);
    expect(capped).toContain('x');
  });
});

describe('limitDepth on hostile markup (no V8 regexp fallback in this process)', () => {
  it('a run of "<a" with no ">" after a deep page is linear, not catastrophic', () => {
    const start = performance.now();
    const out = limitDepth('<div>'.repeat(500) + '<a'.repeat(100_000), 400);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(out.endsWith('<a')).toBe(true);
  });
  it('still drops tags nested deeper than the limit', () => {
    const html = '<div class="x">'.repeat(600) + '<p>deep text</p>' + '</div>'.repeat(600);
    const out = limitDepth(html, 400);
    expect((out.match(/<div/g) ?? []).length).toBe(400);
    expect(out).toContain('<p>deep text</p>');
  });
});
