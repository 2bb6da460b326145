/**
 * Setup file of the `unit` project (vitest.config.ts): a unit test runs pure code, so
 * opening a connection, listening on a port or starting a process fails it at once with
 * the reason, instead of a unit run quietly needing PostgreSQL or the network.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

function refuse(what: string): never {
  throw new Error(
    `unit tests use no ${what}: this test belongs to the integration project ` +
      `(name it *.integration.test.ts or list it in INTEGRATION in vitest.config.ts)`,
  );
}

net.Socket.prototype.connect = function connect() {
  refuse('network (a socket connect)');
};
net.Server.prototype.listen = function listen() {
  refuse('network (a listening server)');
};
for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'] as const) {
  (childProcess as Record<string, unknown>)[name] = () => refuse(`child process (${name})`);
}
// ESM `import { spawn } from 'node:child_process'` sees the replacement too.
syncBuiltinESMExports();

// No database either: PostgreSQL helpers read this (test/support/postgres.ts).
delete process.env.SCOREDESK_TEST_DATABASE_URL;
