/**
 * The scene the broadcast end-to-end tests share: a real server (child process) on a
 * fresh PostgreSQL database, an admin, a viewer and a scorer, and two courts in play:
 * A1 (volleyball, names with markup, plus a later scheduled match) and B2 (basketball,
 * a name with a comma and quotes). Each test file builds its own.
 */
import type { MatchSnapshot } from '../../../shared/match.js';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { createMatch, login, userToken } from './api-client.js';
import { ScoringConsole } from './scoring-console.js';
import { CHILD_ADMIN_PASSWORD, RestartableServer } from '../../../test/support/server-process.js';

export const XSS_HOME = '<img src=x onerror="window.__xss=1">';
export const XSS_AWAY = '<script>window.__xss=2</script>';
export const QUOTED = 'Bears, "The" \u00c5s';

export interface BroadcastScene {
  server: RestartableServer;
  admin: string;
  viewer: string;
  scorer: string;
  desk: ScoringConsole;
  volley: MatchSnapshot;
  later: MatchSnapshot;
  basket: MatchSnapshot;
  close(): Promise<void>;
}

export async function buildScene(prefix: string): Promise<BroadcastScene> {
  const db = await createTestDatabase(prefix);
  const server = await RestartableServer.start({ databaseUrl: db.url });
  const admin = await login(server.url, 'admin', CHILD_ADMIN_PASSWORD);
  const viewer = await userToken(server.url, admin, 'graphics', 'viewer');
  const scorer = await userToken(server.url, admin, 'desk1', 'scorer');
  const volley = await createMatch(server.url, admin, {
    sport: 'volleyball',
    court: 'A1',
    home: XSS_HOME,
    away: XSS_AWAY,
  });
  const later = await createMatch(server.url, admin, {
    sport: 'volleyball',
    court: 'A1',
    home: 'Later Home',
    away: 'Later Away',
    scheduledAt: '2030-01-01T10:00:00Z',
  });
  const basket = await createMatch(server.url, admin, {
    sport: 'basketball',
    court: 'B2',
    home: 'Lions',
    away: QUOTED,
  });
  const desk = new ScoringConsole(server.url, scorer);
  await desk.start(volley.id);
  await desk.point(volley.id, 'home', 2);
  await desk.point(volley.id, 'away', 1);
  await desk.start(basket.id);
  await desk.pushOk(basket.id, [{ type: 'SCORE_UPDATE', payload: { side: 'away', points: 3 } }]);
  return {
    server,
    admin,
    viewer,
    scorer,
    desk,
    volley,
    later,
    basket,
    async close() {
      desk.close();
      await server.stop();
      await db.drop();
    },
  };
}
