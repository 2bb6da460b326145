/**
 * The process-wide rejection handler in a real Node process: a promise rejected where
 * nothing awaits it is logged as a pino line and the process keeps running (Node's
 * default would exit with code 1).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

it('logs an unhandled rejection and keeps the process running', async () => {
  const script = [
    "import { createLogger } from './server/logger.ts';",
    "import { logUnhandledRejections } from './server/process-guards.ts';",
    "logUnhandledRejections(createLogger('info', 'guard-test'));",
    "void Promise.reject(new Error('hostile input'));",
    "setTimeout(() => { console.log(JSON.stringify({ msg: 'still alive' })); process.exit(0); }, 200);",
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg: string; err?: string; level?: number });
  expect(lines.find((l) => l.msg === 'unhandled rejection (kept running)')).toMatchObject({
    err: 'hostile input',
    level: 50,
  });
  expect(lines[lines.length - 1]!.msg).toBe('still alive');
  expect(code).toBe(0);
});
