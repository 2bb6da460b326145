/** The console core's public surface: the factory and the typed API the screens use. */
export { createConsoleCore, newLocalMatchId, type ConsoleCore, type ConsoleCoreOptions } from './console-core.js';
export * from '../contract/api.js';
export * from '../contract/commands.js';
export { DATABASE_FILE } from './db/database.js';
