/**
 * Public surface of the match domain: pure, deterministic, no I/O.
 * The server, the console core and the overlays compute match state only through this.
 */
export type { FoldableEvent, RuleVerdict, SportRules } from './types.js';
export { foldMatch } from './fold.js';
export { MatchReducer } from './reducer.js';
export { BASKETBALL_TEAM_FOUL_LIMIT } from './state.js';
export { rulesFor } from './sports/index.js';
export { timeoutsLeftAt } from './sports/basketball.js';
