import { describe, expect, it } from 'vitest';
import { cleanText } from '../../src/clean/index.js';
import {
  repairEntities,
  repairInvisible,
  repairLine,
  repairMojibake,
  repairPunctuationSpacing,
  repairSentenceSpace,
  repairStrayGuillemets,
  repairWhitespace,
  type LineRepair,
} from '../../src/clean/repairs.js';

/** Encode text as UTF-8 and decode those bytes as Windows-1252, the way a careless reader does. */
function mojibake(s: string): string {
  return new TextDecoder('windows-1252').decode(new TextEncoder().encode(s));
}

describe('mojibake', () => {
  it('repairs UTF-8 read as Windows-1252', () => {
    expect(repairMojibake('donâ€™t')).toBe('don’t');
    expect(repairMojibake('cafÃ©')).toBe('café');
    const line = 'The mayor’s “plan” costs €40 — a naïve estimate, he said…';
    expect(repairMojibake(mojibake(line))).toBe(line);
  });
  it('leaves a spaced ellipsis and a brand name with "!" as they are', () => {
    expect(repairLine('would hire 200 engineers . . . but only if')).toBe('would hire 200 engineers . . . but only if');
    expect(repairLine('the listing on Yahoo!Finance showed a rise')).toBe('the listing on Yahoo!Finance showed a rise');
    expect(repairLine('It ended in Qatar.The talks resume')).toBe('It ended in Qatar. The talks resume');
  });
  it('repairs a right double quote whose third byte a scraper dropped ("â€" alone)', () => {
    expect(repairMojibake('He said â€œnoâ€ to the plan.')).toBe('He said “no” to the plan.');
    expect(repairMojibake('â€œIt is over,â€')).toBe('“It is over,”');
  });
  it('repairs a line that mixes damaged and correct characters', () => {
    expect(repairMojibake('Itâ€™s fine, it’s fine')).toBe('It’s fine, it’s fine');
  });
  it('never touches correct text', () => {
    for (const ok of ['café crème', 'Ångström and Øresund', 'São Paulo à la carte', 'don’t “quote” me — please', 'Größe 3½ × 4¼', 'Â is a letter too', 'Ã']) {
      expect(repairMojibake(ok)).toBe(ok);
    }
  });
  it('leaves correct French alone where a letter, a no-break space and a quote look like one mis-decoded character', () => {
    // "é" + U+00A0 + "»" are the bytes of "頻" read as Windows-1252; "É" + "”" those of "ɔ"
    for (const ok of ['un trafic « désorganisé\u00A0» depuis lundi', 'pour le « café\u00A0», dit-il', '“CAFÉ” was the only word', 'l’« été\u00A0» et l’« hiver\u00A0»']) {
      expect(repairMojibake(ok)).toBe(ok);
    }
  });
  it('repairs other scripts read as Windows-1252, where the line shows that script', () => {
    for (const line of ['Привет, мир', 'Ελλάδα και Κύπρος', '中文新闻 报道', 'Grüße aus Köln 😀']) expect(repairMojibake(mojibake(line))).toBe(line);
    // one character of another script in a Latin line is repaired when the line has that script elsewhere
    expect(repairMojibake(`Москва (${mojibake('М')}oscow)`)).toBe('Москва (Мoscow)');
  });
});

describe('HTML entities', () => {
  it('decodes named and numeric entities', () => {
    expect(repairEntities('Salt &amp; pepper')).toBe('Salt & pepper');
    expect(repairEntities('it&#8217;s &#x201C;ok&#x201D;')).toBe('it’s “ok”');
    expect(repairEntities('a&nbsp;b')).toBe('a\u00A0b');
    expect(repairEntities('double &amp;#8217; escaped')).toBe('double ’ escaped');
    expect(repairEntities('&#150; dash')).toBe('– dash');
  });
  it('leaves ampersands that are not entities', () => {
    for (const ok of ['AT&T and R&D', 'Q&A session', 'Tom & Jerry', 'a &unknown; thing', '&#0;']) expect(repairEntities(ok)).toBe(ok);
  });
});

describe('invisible characters', () => {
  it('removes zero-width characters, soft hyphens, BOM and bidi marks; NBSP becomes a space', () => {
    expect(repairInvisible('\uFEFFzero\u200Bwidth\u00ADsoft\u200E\u202Amark\u202C')).toBe('zerowidthsoftmark');
    expect(repairInvisible('ten\u00A0miles\u2009away')).toBe('ten miles away');
    expect(repairInvisible('word\u200D next')).toBe('word next');
  });
  it('keeps joiners that belong to emoji or scripts', () => {
    const family = '👩\u200D👧';
    expect(repairInvisible(family)).toBe(family);
    const persian = 'می\u200Cخواهم';
    expect(repairInvisible(persian)).toBe(persian);
  });
});

describe('Unicode NFC and whitespace', () => {
  it('composes decomposed letters', () => {
    expect(repairLine('Cafe\u0301 society')).toBe('Café society');
  });
  it('collapses runs of spaces and tabs and trims', () => {
    expect(repairWhitespace('  two\t\tspaces   here  ')).toBe('two spaces here');
    expect(repairWhitespace('already fine')).toBe('already fine');
  });
});

describe('punctuation spacing', () => {
  it('removes stray spaces before commas and periods and doubled stops', () => {
    expect(repairPunctuationSpacing('the mayor , who spoke')).toBe('the mayor, who spoke');
    expect(repairPunctuationSpacing('it ended in the valley .')).toBe('it ended in the valley.');
    expect(repairPunctuationSpacing('the flood receded. .')).toBe('the flood receded.');
    expect(repairPunctuationSpacing('got home safely. , the statement said')).toBe('got home safely, the statement said');
    expect(repairPunctuationSpacing('left the U.S. , then Canada')).toBe('left the U.S., then Canada');
  });
  it('leaves correct punctuation, ellipses and decimals alone', () => {
    for (const ok of ['He paused ... then spoke.', 'A rate of .5 percent', 'Wait. . . what?', 'Fine, thanks.', 'See the .NET runtime']) {
      expect(repairPunctuationSpacing(ok)).toBe(ok);
    }
  });
});

describe('stray guillemets', () => {
  it('attaches an orphan closing guillemet to the word before it (the quote mark is kept)', () => {
    expect(repairStrayGuillemets('Stop the war now! » shouted a protester.')).toBe('Stop the war now!» shouted a protester.');
    expect(repairStrayGuillemets('He said « Enough of this.')).toBe('He said «Enough of this.');
  });
  it('keeps balanced French-spaced quotes', () => {
    const ok = 'Il a dit « non » hier.';
    expect(repairStrayGuillemets(ok)).toBe(ok);
    expect(repairStrayGuillemets('«Oui», dit-il.')).toBe('«Oui», dit-il.');
  });
});

describe('missing space after a sentence end', () => {
  it('inserts the space', () => {
    expect(repairSentenceSpace('talks in Oslo.The minister left')).toBe('talks in Oslo. The minister left');
    expect(repairSentenceSpace('Why now?Nobody knew.')).toBe('Why now? Nobody knew.');
    expect(repairSentenceSpace('he said.”The crowd cheered')).toBe('he said.” The crowd cheered');
    expect(repairSentenceSpace('in 2023.Prices rose')).toBe('in 2023. Prices rose');
  });
  it('never splits abbreviations, numbers, names, URLs, e-mails or files', () => {
    for (const ok of [
      'The U.S. and the C.I.A. agreed.',
      'Use e.g. a map.',
      'A rate of 3.5 percent',
      'Built with Node.js and ASP.NET today',
      'Visit www.Example.com/News.Today for more',
      'Write to press.Office@example.org now',
      'Open Report.Final.pdf first',
      'Mr.Smith arrived',
    ]) {
      expect(repairSentenceSpace(ok)).toBe(ok);
    }
  });
});

describe('repairLine records', () => {
  it('records each repair with a short from/to snippet', () => {
    const recs: LineRepair[] = [];
    const out = repairLine('Itâ€™s  done , really.Next', recs);
    expect(out).toBe('It’s done, really. Next');
    expect(recs.map((r) => r.repair)).toEqual(['mojibake', 'whitespace', 'punctuation-spacing', 'sentence-space']);
    expect(recs[0]).toEqual({ repair: 'mojibake', from: 'Itâ€™s  done , really', to: 'It’s  done , really' });
  });
  it('records nothing on clean text', () => {
    const recs: LineRepair[] = [];
    expect(repairLine('A plain, correct sentence.', recs)).toBe('A plain, correct sentence.');
    expect(recs).toEqual([]);
  });
});

describe('hard-wrapped lines', () => {
  const wrapped = [
    'River Town Opens Its New Bridge',
    '',
    'Officials in the river town said on Tuesday that the new bridge',
    'would open in spring, after four years of delays caused by funding',
    'disputes and two floods that washed away the temporary crossing.',
    '',
    'The mayor, who has promised the bridge since her first campaign,',
    'said the ribbon would be cut by the oldest resident of the town,',
    'a retired ferry pilot who carried commuters across for decades.',
    '',
    'Construction crews are still working on the approach roads, the',
    'engineers said, and some lanes will stay closed until the summer.',
    '',
    'Background',
    '',
    '- a list item that stays apart',
    '- another list item',
  ].join('\n');

  it('joins wrapped lines into paragraphs and records the joins', () => {
    const doc = cleanText('w.txt', wrapped, 'text');
    expect(doc.meta.title).toBe('River Town Opens Its New Bridge');
    expect(doc.paragraphs).toEqual([
      'Officials in the river town said on Tuesday that the new bridge would open in spring, after four years of delays caused by funding disputes and two floods that washed away the temporary crossing.',
      'The mayor, who has promised the bridge since her first campaign, said the ribbon would be cut by the oldest resident of the town, a retired ferry pilot who carried commuters across for decades.',
      'Construction crews are still working on the approach roads, the engineers said, and some lanes will stay closed until the summer.',
      'Background',
      '- a list item that stays apart',
      '- another list item',
    ]);
    expect(doc.repairs.filter((r) => r.repair === 'hard-wrap').map((r) => r.line)).toEqual([4, 5, 8, 9, 12]);
  });

  it('does not join one-paragraph-per-line text', () => {
    const lines = [
      'River Town Opens Its New Bridge',
      'Officials in the river town said on Tuesday that the new bridge would open in spring, after four years of delays.',
      'The mayor said the ribbon would be cut by the oldest resident.',
      'Short line.',
      'Construction crews are still working on the approach roads, the engineers said, and some lanes will stay closed until the summer.',
    ];
    const doc = cleanText('p.txt', lines.join('\n'), 'text');
    expect(doc.paragraphs).toEqual(lines.slice(1));
    expect(doc.repairs).toEqual([]);
  });
});
