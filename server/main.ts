/** `npm run server`: the server as a process (server/serve.ts), with no test hooks. */
import { serveProcess } from './serve.js';

serveProcess();
