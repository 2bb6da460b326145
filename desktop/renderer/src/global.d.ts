import type { ConsoleApi } from '../../core/console-api.js';

declare global {
  interface Window {
    /** Present in Electron (desktop/preload); absent in a browser using the web console host. */
    scoredesk?: ConsoleApi;
  }
}

export {};
