import { describe, expect, it } from 'vitest';
import { decodeBytes, looksLikeHtml, normaliseLineEndings } from '../../src/read/decode.js';

const enc = (s: string) => Buffer.from(s, 'utf8');

describe('decodeBytes', () => {
  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeBytes(enc('Caf\u00e9 opens'))).toEqual({ ok: true, text: 'Café opens', encoding: 'utf-8' });
    expect(decodeBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), enc('Café')]))).toEqual({ ok: true, text: 'Café', encoding: 'utf-8-bom' });
  });
  it('reads UTF-16 LE and BE with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Pier “reopens”\r\n', 'utf16le')]);
    expect(decodeBytes(le)).toEqual({ ok: true, text: 'Pier “reopens”\n', encoding: 'utf-16le' });
    const beBody = Buffer.from('Pier', 'utf16le').swap16();
    expect(decodeBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), beBody]))).toEqual({ ok: true, text: 'Pier', encoding: 'utf-16be' });
  });
  it('reads UTF-16 without a BOM when its zero bytes say so; binary with NULs stays binary', () => {
    const text = 'Pier “reopens” after the storm\nThe ferry sails again on Monday.\n';
    expect(decodeBytes(Buffer.from(text, 'utf16le'))).toEqual({ ok: true, text, encoding: 'utf-16le' });
    expect(decodeBytes(Buffer.from(text, 'utf16le').swap16())).toEqual({ ok: true, text, encoding: 'utf-16be' });
    expect(decodeBytes(Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]))).toMatchObject({ ok: false, message: expect.stringMatching(/binary/) });
  });
  it('falls back to Windows-1252 when the bytes are not valid UTF-8 (curly quotes)', () => {
    const bytes = Buffer.from([0x93, 0x48, 0x69, 0x94, 0x20, 0x92, 0x73]); // “Hi” ’s
    expect(decodeBytes(bytes)).toEqual({ ok: true, text: '“Hi” ’s', encoding: 'windows-1252' });
  });
  it("reads a page that is not UTF-8 in the charset it declares (meta charset, http-equiv, XML declaration)", () => {
    const moscow = Buffer.from([0xcc, 0xee, 0xf1, 0xea, 0xe2, 0xe0]); // "Москва" in windows-1251
    const tokyo = Buffer.from([0x93, 0x8c, 0x8b, 0x9e]); // "東京" in Shift_JIS
    const page = (head: string, body: Buffer) => Buffer.concat([Buffer.from(`${head}<title>`), body, Buffer.from('</title>')]);
    expect(decodeBytes(page('<html><head><meta charset="windows-1251">', moscow))).toMatchObject({ ok: true, text: expect.stringContaining('<title>Москва</title>'), encoding: 'windows-1251' });
    expect(decodeBytes(page('<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">', tokyo))).toMatchObject({ ok: true, text: expect.stringContaining('東京'), encoding: 'shift_jis' });
    expect(decodeBytes(page("<?xml version='1.0' encoding='windows-1251'?><html>", moscow))).toMatchObject({ ok: true, text: expect.stringContaining('Москва') });
    // declared but not what the bytes are: valid UTF-8 stays UTF-8; a declared UTF-8 or an unknown label falls back
    expect(decodeBytes(Buffer.from('<meta charset="windows-1251"><title>Café</title>'))).toMatchObject({ encoding: 'utf-8', text: expect.stringContaining('Café') });
    expect(decodeBytes(page('<meta charset="utf-8">', Buffer.from([0x93, 0x48, 0x69, 0x94])))).toMatchObject({ encoding: 'windows-1252', text: expect.stringContaining('“Hi”') });
    expect(decodeBytes(page('<meta charset="no-such-charset">', Buffer.from([0x93, 0x48, 0x69, 0x94])))).toMatchObject({ encoding: 'windows-1252' });
    expect(decodeBytes(page('<meta charset="iso-8859-1">', Buffer.from([0x93, 0x48, 0x69, 0x94])))).toMatchObject({ encoding: 'windows-1252', text: expect.stringContaining('“Hi”') });
  });
  it('normalises CRLF and CR line endings', () => {
    expect(normaliseLineEndings('a\r\nb\rc\nd')).toBe('a\nb\nc\nd');
    const r = decodeBytes(enc('one\r\ntwo\rthree'));
    expect(r.ok && r.text).toBe('one\ntwo\nthree');
  });
  it('refuses empty, whitespace-only and binary input with a clear message', () => {
    expect(decodeBytes(new Uint8Array())).toEqual({ ok: false, message: 'empty file' });
    expect(decodeBytes(enc('  \n\t\n'))).toEqual({ ok: false, message: 'no text (whitespace only)' });
    expect(decodeBytes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toMatchObject({ ok: false, message: expect.stringMatching(/PNG/) });
    expect(decodeBytes(Buffer.from([0x1f, 0x8b, 0x08, 0x00]))).toMatchObject({ ok: false, message: expect.stringMatching(/gzip/) });
    expect(decodeBytes(enc('text\u0000with nul'))).toMatchObject({ ok: false, message: expect.stringMatching(/binary/) });
  });
});

describe('looksLikeHtml', () => {
  it('by extension', () => expect(looksLikeHtml('a/page.HTM', 'plain words')).toBe(true));
  it('by a doctype or html tag', () => {
    expect(looksLikeHtml('page', '  <!DOCTYPE html><html>')).toBe(true);
    expect(looksLikeHtml('page.txt', '<html><body>x</body></html>')).toBe(true);
  });
  it('not for text that mentions a tag', () => {
    expect(looksLikeHtml('a.txt', 'Use the <p> tag for paragraphs, she said.')).toBe(false);
    expect(looksLikeHtml('a.txt', '<b>Breaking</b> a short note')).toBe(false);
  });
});
