/**
 * TEST ENTRY: the server process exactly as `npm run server` runs it (server/serve.ts), with
 * the crash point its parent test asked for (crash-hooks.ts) passed in as fault hooks.
 * Started by server-process.ts for `crash: { point, after }`; never used in production.
 */
import { serveProcess } from '../../server/serve.js';
import { crashFromEnv, crashHooks } from './crash-hooks.js';

const crash = crashFromEnv(process.env);
serveProcess(crash ? { faultHooks: crashHooks(crash) } : {});
