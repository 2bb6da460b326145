/**
 * Moved to test/support/server.ts (test support lives under test/). This re-export only
 * keeps tests written before the move compiling; import test/support/server.js instead.
 */
export * from '../../test/support/server.js';
