/** Feeds, SSE, overlays and the court wall. PLACEHOLDER: the broadcast issue fills this in. */
import { Router } from 'express';
import type { BroadcastDeps } from './deps.js';

export function createBroadcastRouter(_deps: BroadcastDeps): Router {
  return Router();
}
