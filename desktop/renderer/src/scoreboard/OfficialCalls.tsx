/**
 * What the officials must act on now (contract v1.1): the calls of the display model
 * (shared/display/calls.ts), one line each. The rules decide them in shared/domain and the
 * display model words them; this only lays them out. Used by the operator's screen and the
 * spectator board.
 */
import type { OfficialCall } from '../../../../shared/display/index.js';

/** The test id and class of each call's line (e2e tests find them by id). */
function lineOf(call: OfficialCall): { testId: string; className: string } {
  switch (call.kind) {
    case 'interval':
      return { testId: 'call-interval', className: `interval ${call.over ? 'over' : ''}` };
    case 'change-ends':
      return { testId: 'call-change-ends', className: 'change-ends' };
    case 'serve':
      return { testId: 'call-serve', className: 'serve' };
    case 'timeouts':
      return { testId: 'call-timeouts-left', className: 'timeouts-left' };
    case 'penalty':
      return { testId: 'call-penalty', className: 'penalty' };
    case 'fouls':
      return { testId: `call-fouls-${call.side}`, className: `player-fouls ${call.fouledOut ? 'fouled-out' : ''}` };
  }
}

function CallText({ call }: { call: OfficialCall }) {
  if (call.kind !== 'interval') return <>{call.text}</>;
  // The same text as call.text, with the countdown in its own element.
  return (
    <>
      {call.label} <span data-testid="interval-countdown">{call.countdown}</span>
      {call.over ? ' (time: play)' : null}
    </>
  );
}

export function OfficialCalls({ calls, variant }: { calls: OfficialCall[]; variant: 'operator' | 'spectator' }) {
  return (
    <section className={`official-calls calls-${variant}`} aria-label="Calls">
      {calls.map((call) => {
        const { testId, className } = lineOf(call);
        const urgent = call.kind === 'interval' || call.kind === 'change-ends';
        return (
          <div key={testId} className={`call ${className}`} data-testid={testId} role={urgent ? 'status' : undefined}>
            <CallText call={call} />
          </div>
        );
      })}
    </section>
  );
}
