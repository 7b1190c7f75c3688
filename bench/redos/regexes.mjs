// Every regular expression written in the source of the line-level stages (src/clean, src/extract-html,
// src/read): regex literals and `new RegExp("…")` with a constant pattern, found with the TypeScript parser.
// Used by bench/redos/run.mjs and test/reliability/redos.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REGEX_DIRS = ['src/clean', 'src/extract-html', 'src/read', 'src/write', 'src/config'];

function constantString(node, consts) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isIdentifier(node) && consts.has(node.text)) return consts.get(node.text);
  if (ts.isTemplateExpression(node)) {
    let s = node.head.text;
    for (const span of node.templateSpans) {
      const v = constantString(span.expression, consts);
      if (v === null) return null;
      s += v + span.literal.text;
    }
    return s;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const a = constantString(node.left, consts);
    const b = constantString(node.right, consts);
    return a === null || b === null ? null : a + b;
  }
  if (ts.isParenthesizedExpression(node)) return constantString(node.expression, consts);
  // ['a', 'b'].join('|') over string literals
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'join' && ts.isArrayLiteralExpression(node.expression.expression)) {
    const parts = node.expression.expression.elements.map((e) => constantString(e, consts));
    const sep = node.arguments[0] ? constantString(node.arguments[0], consts) : ',';
    return parts.some((p) => p === null) || sep === null ? null : parts.join(sep);
  }
  return null;
}

/** [{ file, line, source, flags, dynamic }] for every regex in the given folders. */
export function findRegexes(dirs = REGEX_DIRS) {
  const out = [];
  for (const dir of dirs) {
    const abs = path.join(REPO, dir);
    if (!fs.existsSync(abs)) continue;
    for (const name of fs.readdirSync(abs).sort()) {
      if (!name.endsWith('.ts')) continue;
      const file = path.join(dir, name);
      const text = fs.readFileSync(path.join(REPO, file), 'utf8');
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const consts = new Map();
      const visit = (node) => {
        if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
          const v = constantString(node.initializer, consts);
          if (v !== null) consts.set(node.name.text, v);
        }
        const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
          const lit = node.getText();
          const end = lit.lastIndexOf('/');
          out.push({ file, line, source: lit.slice(1, end), flags: lit.slice(end + 1), dynamic: false });
        } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp' && node.arguments?.length) {
          const src = constantString(node.arguments[0], consts);
          const flags = node.arguments[1] ? constantString(node.arguments[1], consts) : '';
          if (src === null) out.push({ file, line, source: null, flags: flags ?? '', dynamic: true, text: node.getText() });
          else out.push({ file, line, source: src, flags: flags ?? '', dynamic: false });
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const all = findRegexes();
  for (const r of all) console.log(`${r.file}:${r.line} ${r.dynamic ? 'DYNAMIC ' + r.text : '/' + r.source + '/' + r.flags}`);
  console.log(all.length, 'regexes');
}
