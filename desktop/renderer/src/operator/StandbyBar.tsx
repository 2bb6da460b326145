/**
 * Hot standby (issue 16): while this console mirrors a match read-only, a STANDBY bar with
 * the one key that takes it over (a fenced match:claim through the core's claimMatch).
 */
import { useEffect, useEffectEvent } from 'react';
import type { ConsoleInfo } from '../../../contract/api.js';
import type { Runner } from '../api/use-console.js';

/** The takeover shortcut (desktop/core/constants.ts TAKEOVER_KEY names it for the core's messages). */
export const TAKEOVER_LABEL = 'Ctrl+Shift+T';

function isTakeoverKey(event: KeyboardEvent): boolean {
  return event.ctrlKey && event.shiftKey && !event.altKey && event.key.toLowerCase() === 't';
}

export function StandbyBar({ info, run }: { info: ConsoleInfo; run: Runner }) {
  const standby = info.role === 'standby' && info.matchId !== null;
  const claim = () => {
    if (info.matchId) void run('claimMatch', { matchId: info.matchId });
  };
  // The key listener is set up once per standby and always claims the match shown now.
  const takeOver = useEffectEvent(claim);
  useEffect(() => {
    if (!standby) return;
    const onKey = (event: KeyboardEvent) => {
      if (!isTakeoverKey(event)) return;
      event.preventDefault();
      if (!event.repeat) takeOver();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [standby]);
  if (!standby) return null;
  return (
    <div className="standby-bar" data-testid="standby" role="status">
      <span className="sync-pill tone-busy">STANDBY</span>{' '}
      {info.primaryOnline === false ? (
        <strong className="primary-offline" data-testid="primary-offline">
          Primary offline: take over now.
        </strong>
      ) : (
        <>Mirroring the primary console, read-only.</>
      )}
      <button type="button" data-testid="take-over" onClick={claim}>
        Take over ({TAKEOVER_LABEL})
      </button>
    </div>
  );
}
