/**
 * How the overlays put the display model's texts (shared/display scoreboardView) together
 * where a page joins several: no sport facts and no formatting of their own. Pure, so the
 * cross-surface test (test/display/surfaces.test.tsx) renders through it.
 */
import type { ScoreboardView } from '../../../../../shared/display/index.js';

/** The scorebug's info line: status, period and clock, `Live · Q3 · 59.9`, `Final · Set 3`. */
export function scorebugInfo(view: ScoreboardView): string {
  return [view.statusText, view.periodLabel, view.clock?.text ?? ''].filter(Boolean).join(INFO_SEPARATOR);
}

export const INFO_SEPARATOR = ' · ';
