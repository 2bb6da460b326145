/**
 * A server deployment for one load mode: a fresh database on the bench's PostgreSQL,
 * one or two server processes (SCOREDESK_ADAPTER=postgres when two), the matches of
 * the courts, and tokens for every synthetic console and viewer. Users are inserted in
 * one statement and their tokens signed with the deployment's secret (the server's own
 * TokenService), so thousands of viewers do not cost thousands of bcrypt logins and no
 * per-user connection cap is hit: each client is a user of its own, like in a venue.
 */
import bcrypt from 'bcryptjs';
import pg from 'pg';
import { TokenService } from '../../server/auth/tokens.js';
import type { Role } from '../../shared/protocol.js';
import { adminToken, createMatch } from '../../test/faults/harness/api.js';
import type { ControlledPostgres } from '../../test/faults/harness/postgres-control.js';
import { ServerChild, TEST_JWT_SECRET } from '../support/server-child.js';

/** Tokens outlive any bench run. */
const TOKEN_TTL_S = 6 * 3600;

export interface ModeSpec {
  /** Label in tables and the chart. */
  label: string;
  processes: 1 | 2;
  /** Extra server environment (adapter). */
  env: Record<string, string>;
  /** The guide's reference server (server/reference/guide-server.ts): no auth, no API, no cursors. */
  reference?: boolean;
  /** Node flags for the server processes (`--cpu-prof`). */
  nodeArgs?: string[];
  /** Run the server from this checkout instead (an older commit, for before/after figures). */
  cwd?: string;
  /** Through `npm run server`'s launcher (compiled ahead) rather than the tsx loader. */
  compiled?: boolean;
}

export const REFERENCE_ENTRY = 'server/reference/guide-server.ts';

export interface Cluster {
  servers: ServerChild[];
  matchIds: string[];
  /** Court of each match (same order; empty for the reference, which has no courts). */
  courts: string[];
  reference: boolean;
  /** A server URL for client i: clients are spread over the processes round-robin. */
  urlFor(i: number): string;
  tokens(role: Role, count: number): Promise<string[]>;
  close(): Promise<void>;
}

let databaseCounter = 0;

export async function startCluster(pgCluster: ControlledPostgres, mode: ModeSpec, courts: number): Promise<Cluster> {
  const url = await pgCluster.createDatabase(`load_${process.pid}_${++databaseCounter}`);
  const servers: ServerChild[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    for (let i = 0; i < mode.processes; i++)
      servers.push(
        await ServerChild.start({
          databaseUrl: url,
          ...(mode.reference ? { entry: REFERENCE_ENTRY } : {}),
          ...(mode.nodeArgs ? { nodeArgs: mode.nodeArgs } : {}),
          ...(mode.cwd ? { cwd: mode.cwd } : {}),
          ...(mode.compiled ? { compiled: true } : {}),
          env: {
            SCOREDESK_SERVER_ID: `load-${i}`,
            SCOREDESK_LOG_LEVEL: 'warn',
            ...(mode.processes > 1 ? { SCOREDESK_ADAPTER: 'postgres' } : {}),
            ...mode.env,
          },
        }),
      );
    if (mode.reference) {
      const matchIds = Array.from({ length: courts }, (_, c) => `ref-${c + 1}`);
      return {
        servers,
        matchIds,
        courts: [],
        reference: true,
        urlFor: (i) => servers[i % servers.length]!.url,
        tokens: async (_role, count) => new Array<string>(count).fill('the-reference-server-checks-no-token'),
        async close() {
          await Promise.all(servers.map((s) => s.destroy()));
          await pool.end();
        },
      };
    }
    const admin = await adminToken(servers[0]!.url);
    const matchIds: string[] = [];
    const courtNames = Array.from({ length: courts }, (_, c) => `L${c + 1}`);
    for (const court of courtNames)
      matchIds.push(
        (await createMatch(servers[0]!.url, admin, { court, home: `Home ${court}`, away: `Away ${court}` })).id,
      );
    const signer = new TokenService(TEST_JWT_SECRET, TOKEN_TTL_S);
    // Nobody logs in with these users: one cheap hash for all of them.
    const hash = bcrypt.hashSync('unused-load-password', 4);
    let userCounter = 0;
    return {
      servers,
      matchIds,
      courts: courtNames,
      reference: false,
      urlFor: (i) => servers[i % servers.length]!.url,
      async tokens(role, count) {
        const prefix = `load-${role}-${++userCounter}-`;
        const { rows } = await pool.query<{ id: number; username: string }>(
          `INSERT INTO users (username, password_hash, role)
           SELECT $1 || g, $2, $3 FROM generate_series(1, $4::int) g RETURNING id, username`,
          [prefix, hash, role, count],
        );
        return Promise.all(rows.map((r) => signer.sign({ id: r.id, username: r.username, role, courts: [] })));
      },
      async close() {
        await Promise.all(servers.map((s) => s.destroy()));
        await pool.end();
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => s.destroy()));
    await pool.end();
    throw error;
  }
}
