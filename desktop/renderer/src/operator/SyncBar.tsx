/**
 * The live match tracker: always-visible connection state, events waiting to sync, time since
 * the server last confirmed (ticking), a banner when fenced or refused, and catch-up progress.
 */
import type { ConsoleInfo, SyncState, SyncStatus } from '../../../contract/api.js';
import { formatSince } from '../format/clock.js';
import { useNow } from '../api/use-console.js';

/** Once a second is enough for "12 s ago". */
const SINCE_TICK_MS = 1000;

const STATE_LABELS: Record<SyncState, string> = {
  offline: 'Offline',
  connecting: 'Connecting…',
  'catching-up': 'Catching up',
  live: 'Live',
  fenced: 'Fenced: read-only',
  refused: 'Refused by server',
  incompatible: 'Update needed',
};

function stateTone(state: SyncState): 'ok' | 'busy' | 'bad' | 'idle' {
  switch (state) {
    case 'live':
      return 'ok';
    case 'connecting':
    case 'catching-up':
      return 'busy';
    case 'fenced':
    case 'refused':
    case 'incompatible':
      return 'bad';
    case 'offline':
      return 'idle';
  }
}

export function SyncBar({ sync, info, hostLink }: { sync: SyncStatus; info: ConsoleInfo; hostLink: string | null }) {
  const now = useNow(SINCE_TICK_MS);
  const tone = stateTone(sync.state);
  return (
    <header className="sync-bar" aria-label="Connection">
      <span className={`sync-pill tone-${tone}`} data-testid="sync-state" data-state={sync.state} role="status">
        {STATE_LABELS[sync.state]}
      </span>
      <span className={`pending ${sync.pending > 0 ? 'has-pending' : ''}`}>
        <strong data-testid="pending-count">{sync.pending}</strong> waiting to sync
        {sync.pendingTotal !== sync.pending ? <> ({sync.pendingTotal} on this console)</> : null}
      </span>
      <span className="confirmed">
        Server confirmed <strong data-testid="last-confirmed">{formatSince(sync.lastConfirmedAt, now)}</strong>
      </span>
      <span className="server-url">{sync.serverUrl ?? 'no server set'}</span>
      <span className="court">Court {info.court ?? '—'}</span>
      {info.stream === 'verify' ? (
        <span className="sync-pill tone-busy" data-testid="verifier-mode" title="Cross-check only: never the score">
          VERIFYING
        </span>
      ) : null}
      {hostLink ? <span className="host-link">{hostLink}</span> : null}
      {sync.progress ? <CatchUpProgress done={sync.progress.done} total={sync.progress.total} /> : null}
    </header>
  );
}

function CatchUpProgress({ done, total }: { done: number; total: number }) {
  return (
    <span className="catch-up" data-testid="catch-up">
      Sending backlog {done}/{total}
      <progress max={Math.max(total, 1)} value={Math.min(done, total)} />
    </span>
  );
}

/** Fenced by a handover, no protocol in common, or a refusal with the server's reason. */
export function ProblemBanner({ sync, info }: { sync: SyncStatus; info: ConsoleInfo }) {
  const problem = sync.problem;
  if (sync.state === 'incompatible') {
    return (
      <div className="banner banner-bad" role="alert" data-testid="problem-banner">
        This console and the server speak no common protocol version: {problem?.message}. Scoring goes on here and is
        kept; nothing is sent until one side is updated.
      </div>
    );
  }
  if (sync.state === 'fenced' || (info.matchId && !info.writable)) {
    return (
      <div className="banner banner-bad" role="alert" data-testid="problem-banner">
        This match was handed over to another console. This console is read-only; its unsent events are kept for review.
        {problem ? (
          <span className="reason">
            {' '}
            ({problem.code}: {problem.message})
          </span>
        ) : null}
      </div>
    );
  }
  if (!problem) return null;
  const tone = problem.code === 'NETWORK' ? 'banner-warn' : 'banner-bad';
  return (
    <div className={`banner ${tone}`} role="alert" data-testid="problem-banner">
      {problem.code === 'NETWORK' ? 'Server unreachable: ' : `Server refused (${problem.code}): `}
      {problem.message}
    </div>
  );
}
