// Part of `npm run build`: writes dist/background-df.bin, the built-in vocabulary (data/background-df.json) as a table
// of term hashes that a run reads without parsing the JSON or hashing its terms (src/fingerprint/vocab.ts).
import fs from 'node:fs';
import { encodeVocabTable } from '../dist/fingerprint/vocab.js';

const json = fs.readFileSync(new URL('../data/background-df.json', import.meta.url));
const target = new URL('../dist/background-df.bin', import.meta.url);
const temp = new URL(`../dist/background-df.bin.${process.pid}.tmp`, import.meta.url);
fs.writeFileSync(temp, encodeVocabTable(json));
fs.renameSync(temp, target);
