// Run the real built CLI as a child process, or in-process through run(argv, io).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI } from './paths.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; input?: string | Buffer; env?: Record<string, string>; timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
    input: opts.input,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'clean-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Every entry under a folder with its bytes, for byte-identical comparisons. Symlinks are recorded
 * by their target (not followed), FIFOs and other special files by their kind (never opened).
 */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, rel: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const abs = path.join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(abs);
      if (st.isSymbolicLink()) out.set(r, Buffer.from(`-> ${fs.readlinkSync(abs)}`));
      else if (st.isDirectory()) walk(abs, r);
      else if (st.isFile()) out.set(r, fs.readFileSync(abs));
      else out.set(r, Buffer.from(`special mode ${st.mode}`));
    }
  };
  walk(dir, '');
  return out;
}
