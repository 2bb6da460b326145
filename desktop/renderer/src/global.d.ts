import type { ConsoleApi } from '../../contract/api.js';

declare global {
  interface Window {
    /** Present in Electron (desktop/preload); absent in a browser using the web console host. */
    scoredesk?: ConsoleApi;
  }
}

export {};
