// Paths as they are printed in line-oriented output (error lines, --check lines): one line each, whatever
// the file is called. JSON output keeps the real names.

/** The path with control characters written as escapes ("new\nline.txt" → "new\\nline.txt"). */
export function printablePath(p: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(p) ? p.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)) : p;
}
