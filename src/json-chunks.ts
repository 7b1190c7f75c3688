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
      for (let i = 0; i < v.length; i++) {
        // undefined and functions become null inside arrays, as JSON.stringify does
        const el = v[i] === undefined || typeof v[i] === 'function' ? null : v[i];
        yield '    ' + indent(JSON.stringify(el, null, 2), '    ') + (i < v.length - 1 ? ',\n' : '\n');
      }
      yield '  ]';
    } else {
      yield indent(JSON.stringify(v, null, 2), '  ');
    }
    yield last ? '\n' : ',\n';
  }
  yield '}';
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
