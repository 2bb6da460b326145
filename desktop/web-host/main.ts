/**
 * npm run console:web: the operator's screen in a browser, for machines without Electron.
 * Runs the console core in this process (SQLite in SCOREDESK_CONSOLE_DATA_DIR), builds the
 * renderer if needed, serves it with the console API over local Socket.io, prints its URL.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import pino from 'pino';
import { createConsoleCore } from '../core/index.js';
import { loadHostConfig } from './config.js';
import { startConsoleHost } from './host.js';
import { ensureRendererBuild } from './renderer-build.js';

const log = pino({ name: 'console-host', redact: { paths: ['pin', '*.pin', 'password', '*.password'], remove: true } });

async function main(): Promise<void> {
  const config = loadHostConfig(process.env);
  const renderer = await ensureRendererBuild({ force: config.rebuild });
  if (renderer.built) log.info({ dir: renderer.dir }, 'built the operator screen');

  const core = await createConsoleCore({
    dataDir: config.dataDir,
    serverUrl: config.serverUrl,
    credentials: config.credentials,
    appVersion: packageVersion(),
  });
  const host = await startConsoleHost({
    core,
    rendererDir: renderer.dir,
    host: config.host,
    port: config.port,
    pin: config.pin,
    log,
  });

  log.info(
    { url: host.url, dataDir: config.dataDir, serverUrl: config.serverUrl, lan: config.pin !== null },
    'console host ready',
  );
  // The URL goes to stdout as a plain line too: people (and scripts) look for it.
  process.stdout.write(`Scoredesk console: ${host.url}\n`);
  if (config.pin) {
    for (const address of lanAddresses()) process.stdout.write(`On this network: http://${address}:${host.port}/\n`);
  }
  if (config.pin && config.pinGenerated) {
    // Printed once, on the terminal only, never logged: the operator types it on the device.
    process.stdout.write(`LAN mode: console PIN ${config.pin} (set SCOREDESK_CONSOLE_PIN to choose your own)\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'console host stopping');
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The app version reported in presence: the package's, as the Electron build's app.getVersion() is. */
function packageVersion(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/** IPv4 addresses other devices can reach this host on (LAN mode). */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, 'console host failed to start');
  process.exit(1);
});
