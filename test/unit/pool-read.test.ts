import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { openRegularFile, readInPool } from '../../src/pool-read.js';
import { tempDir } from '../helpers/cli.js';

describe('readInPool', () => {
  it('reads a file of many pieces, some at once, all but a range left out, and what there is of a file that shrank', async () => {
    const file = path.join(tempDir(), 'big.bin');
    // 13 MB and a bit: four pieces and part of a fifth, a byte pattern that shows any piece out of place
    const bytes = Buffer.alloc(13 * (1 << 20) + 12345);
    for (let i = 0; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE(i, i);
    fs.writeFileSync(file, bytes);
    const fd = fs.openSync(file, 'r');
    try {
      const whole = await readInPool(fd, bytes.length);
      expect(whole.equals(bytes)).toBe(true);
      const region: [number, number] = [3 * (1 << 20) + 7, 9 * (1 << 20) + 1];
      const around = await readInPool(fd, bytes.length, [[0, region[0]], [region[1], bytes.length]]);
      expect(around.length).toBe(bytes.length);
      expect(around.subarray(0, region[0]).equals(bytes.subarray(0, region[0]))).toBe(true);
      expect(around.subarray(region[1]).equals(bytes.subarray(region[1]))).toBe(true);
      // a size larger than the file (it was cut short after it was looked at): the bytes it still has
      const short = await readInPool(fd, bytes.length + 9 * (1 << 20));
      expect(short.equals(bytes)).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });});

describe('openRegularFile', () => {
  it('opens a regular file with the stat of the version opened, and nothing else: a folder or a FIFO is not opened', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.json');
    fs.writeFileSync(file, '{}');
    const opened = openRegularFile(file)!;
    try {
      expect(opened.stat.size).toBe(2);
      expect(opened.stat.ino).toBe(fs.statSync(file).ino);
      expect(fs.readFileSync(opened.fd, 'utf8')).toBe('{}');
    } finally {
      fs.closeSync(opened.fd);
    }
    expect(openRegularFile(dir)).toBeNull();
    // a FIFO opened for reading would wait for a writer for ever: looked at first, never opened
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    expect(openRegularFile(path.join(dir, 'pipe'))).toBeNull();
    expect(() => openRegularFile(path.join(dir, 'missing'))).toThrow(/ENOENT/);
  });
});
