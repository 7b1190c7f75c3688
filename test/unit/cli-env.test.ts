// What the environment decides about colour and the progress bar (the terminal tests show it on a real screen).
import { describe, expect, it } from 'vitest';
import { colourLevel } from '../../src/cli/colour.js';
import { isCi, progressEnabled } from '../../src/cli/progress.js';

const tty = { write: () => true, isTTY: true };
const pipe = { write: () => true, isTTY: false };

describe('colourLevel', () => {
  it('colours a terminal, not a pipe, a TERM=dumb terminal, NO_COLOR or --no-color; FORCE_COLOR forces', () => {
    expect(colourLevel(tty, {}, undefined)).toBe(1);
    expect(colourLevel(pipe, {}, undefined)).toBe(0);
    expect(colourLevel(tty, { TERM: 'dumb' }, undefined)).toBe(0);
    expect(colourLevel(tty, { NO_COLOR: '1' }, undefined)).toBe(0);
    expect(colourLevel(tty, { NO_COLOR: '' }, undefined)).toBe(1); // an empty NO_COLOR does not count (no-color.org)
    expect(colourLevel(tty, {}, false)).toBe(0);
    expect(colourLevel(pipe, { FORCE_COLOR: '1' }, undefined)).toBe(1);
    expect(colourLevel(pipe, { FORCE_COLOR: '3', TERM: 'dumb' }, undefined)).toBe(3);
    expect(colourLevel(tty, { FORCE_COLOR: '0' }, undefined)).toBe(0);
  });
});

describe('progressEnabled', () => {
  it('CI=true or CI=1 turns the bar off; CI=false, CI=0 and an empty CI do not', () => {
    for (const ci of ['true', '1', 'yes', 'TRUE']) expect(isCi({ CI: ci }), ci).toBe(true);
    for (const ci of ['false', '0', '', ' FALSE ', undefined]) expect(isCi({ CI: ci }), String(ci)).toBe(false);
    expect(progressEnabled(tty, {}, false)).toBe(true);
    expect(progressEnabled(tty, { CI: 'false' }, false)).toBe(true);
    expect(progressEnabled(tty, { CI: 'true' }, false)).toBe(false);
    expect(progressEnabled(tty, { TERM: 'dumb' }, false)).toBe(false);
    expect(progressEnabled(tty, {}, true)).toBe(false);
    expect(progressEnabled(pipe, {}, false)).toBe(false);
  });
});
