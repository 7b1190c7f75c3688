// Binds the CLI to the real process: streams, stdin, signals, and a quiet end when stdout closes early.
import { run, type CliIO } from './run.js';
import { removePendingTempFiles } from '../write/index.js';

async function readAllStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function main(): void {
  // `clean … | head -1` closes our stdout: stop quietly, as Unix tools do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const onSignal = (code: number) => () => {
    removePendingTempFiles();
    process.exit(code);
  };
  process.on('SIGINT', onSignal(130));
  process.on('SIGTERM', onSignal(143));

  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: readAllStdin,
    cwd: process.cwd(),
    env: process.env,
  };
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      removePendingTempFiles();
      process.stderr.write(`clean: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
