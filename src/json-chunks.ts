// JSON.stringify(value, null, 2), in pieces: the report and the manifest of a large corpus are hundreds of
// megabytes as one string. Each top-level array element is serialised on its own, so memory holds one
// element's text at a time; the bytes are exactly those of JSON.stringify(value, null, 2).

/** Pieces of JSON.stringify(value, null, 2) for a plain object whose large parts are top-level arrays. */
export function* jsonChunks(value: Record<string, unknown>): Generator<string> {
  const keys = Object.keys(value).filter((k) => value[k] !== undefined && typeof value[k] !== 'function');
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const v = value[key];
    const last = k === keys.length - 1;
    yield `  ${JSON.stringify(key)}: `;
    if (Array.isArray(v) && v.length > 0) {
      yield '[\n';
      // As many elements a call as keep a batch's text near BATCH_CHARS (starting from one, doubling): many small ones (the call is amortised),
      // few large ones (an article with thousands of removed lines), so memory holds little more than one element.
      let batch = 1;
      for (let i = 0; i < v.length; ) {
        const n = Math.min(batch, v.length - i);
        // A batch nested two levels deep comes out with its elements at the indentation they have here, commas
        // between them (and undefined and functions as null, as JSON.stringify does in arrays): the wrapper's two
        // brackets are cut off. No second pass over the text to indent it.
        const text = JSON.stringify([v.slice(i, i + n)], null, 2);
        i += n;
        // (the separator on its own: appended, it would make the batch a string that must be copied flat again)
        yield text.slice(NESTED_OPEN.length, text.length - NESTED_CLOSE.length);
        yield i < v.length ? ',\n' : '\n';
        if (text.length > BATCH_CHARS) batch = Math.max(1, batch >> 1);
        else if (text.length < BATCH_CHARS / 4) batch = Math.min(BATCH, batch * 2);
      }
      yield '  ]';
    } else {
      yield indent(JSON.stringify(v, null, 2), '  ');
    }
    yield last ? '\n' : ',\n';
  }
  yield '}';
}

/** At most this many array elements are serialised per call: enough to amortise the call. */
const BATCH = 256;
/** A batch's text aims at about this many characters (1 MB): memory stays flat whatever the elements hold. */
const BATCH_CHARS = 1 << 20;
const NESTED_OPEN = '[\n  [\n';
const NESTED_CLOSE = '\n  ]\n]';

/**
 * One element of a top-level array as jsonChunks writes it: JSON.stringify(value, null, 2) at the indentation of an
 * element two levels deep, with no comma or newline after it.
 */
export function nestedElement(value: unknown): string {
  const text = JSON.stringify([[value]], null, 2);
  return text.slice(NESTED_OPEN.length, text.length - NESTED_CLOSE.length);
}

/** JSON.stringify(value, null, 2) as the value of a top-level key (its lines after the first indented once). */
export function topLevelValue(value: unknown): string {
  return indent(JSON.stringify(value, null, 2), '  ');
}

function indent(text: string, pad: string): string {
  return text.includes('\n') ? text.replace(/\n/g, '\n' + pad) : text;
}

/** Groups small pieces into chunks of about `size` characters (fewer write calls). */
export function* batched(pieces: Iterable<string>, size = 1 << 16): Generator<string> {
  let buf: string[] = [];
  let len = 0;
  for (const p of pieces) {
    buf.push(p);
    len += p.length;
    if (len >= size) {
      yield buf.join('');
      buf = [];
      len = 0;
    }
  }
  if (buf.length) yield buf.join('');
}

/**
 * The pieces (text, encoded as UTF-8, or bytes) as chunks of about `size` bytes, copied one after another into one
 * buffer: a 10 MB manifest pieced from 6,852 copied entries and the text between them goes out in about 40 writes,
 * not one or two for each entry. Each chunk is a view of that buffer, valid until the next one is asked for; a piece
 * larger than the buffer comes on its own.
 */
export function* byteChunks(pieces: Iterable<string | Uint8Array>, size = 1 << 18): Generator<Uint8Array> {
  const buf = Buffer.allocUnsafe(size);
  let filled = 0;
  for (const p of pieces) {
    // a UTF-8 byte count of at most 3 per UTF-16 unit
    const most = typeof p === 'string' ? p.length * 3 : p.length;
    if (filled > 0 && filled + most > size) {
      yield buf.subarray(0, filled);
      filled = 0;
    }
    if (most > size) yield typeof p === 'string' ? Buffer.from(p) : p;
    else if (typeof p === 'string') filled += buf.write(p, filled);
    else {
      buf.set(p, filled);
      filled += p.length;
    }
  }
  if (filled > 0) yield buf.subarray(0, filled);
}
