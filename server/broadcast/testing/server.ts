/**
 * The real server for the broadcast end-to-end tests: a child process
 * (test/support/server-process.ts) that can be killed and started again on the same
 * port, database and signing secret, so tokens and pages stay valid across the restart.
 */
import { CHILD_ADMIN_PASSWORD, spawnServer, type ServerProcess } from '../../../test/support/server-process.js';

export const ADMIN_PASSWORD = CHILD_ADMIN_PASSWORD;

export class BroadcastTestServer {
  private constructor(
    private process: ServerProcess | null,
    readonly port: number,
    private readonly options: { databaseUrl: string; env?: Record<string, string>; jwtSecret: string },
  ) {}

  static async start(options: { databaseUrl: string; env?: Record<string, string> }): Promise<BroadcastTestServer> {
    // Log level stays 'info': spawnServer waits for the "listening" line.
    const child = await spawnServer(options);
    const server = new BroadcastTestServer(child, child.port, { ...options, jwtSecret: child.jwtSecret });
    server.watch(child);
    return server;
  }

  /** A process that dies by itself (a crash) no longer counts as running. */
  private watch(child: ServerProcess): void {
    void child.exited.then(() => {
      if (this.process === child) this.process = null;
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process !== null;
  }

  get logs(): string[] {
    return this.process?.logs ?? [];
  }

  /** SIGKILL: no flush, no goodbye, like a crash or a pulled plug. */
  async kill9(): Promise<void> {
    const child = this.process;
    this.process = null;
    await child?.kill('SIGKILL');
  }

  /** Start again on the same port with the same database and secret. */
  async restart(): Promise<void> {
    if (this.process) throw new Error('server still running');
    const child = await spawnServer({
      databaseUrl: this.options.databaseUrl,
      port: this.port,
      jwtSecret: this.options.jwtSecret,
      env: this.options.env,
    });
    this.process = child;
    this.watch(child);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    await child?.stop();
  }
}
