/**
 * The match's event log, newest first. Corrections never delete: a cancelled event is struck
 * through and stays; any past event can be corrected from here.
 */
import { memo } from 'react';
import type { LogEntry, SetAsideEntry } from '../../../contract/api.js';
import type { MatchSnapshot } from '../../../../shared/match.js';
import { describeEvent } from '../format/describe-event.js';

/** Enough history for a set or two on screen; the full log stays in SQLite. */
const VISIBLE_LOG_ENTRIES = 200;

interface RowProps {
  entry: LogEntry;
  home: string;
  away: string;
  writable: boolean;
  onCorrect: (seq: number) => void;
}

/**
 * Every push carries the whole log as new objects: compare what a row shows, so a keypress
 * re-renders the new row and the changed ones, not the two hundred before them.
 */
function sameRow(a: RowProps, b: RowProps): boolean {
  return (
    a.entry.event.seq === b.entry.event.seq &&
    a.entry.event.at === b.entry.event.at &&
    a.entry.cancelled === b.entry.cancelled &&
    a.entry.ignored === b.entry.ignored &&
    a.entry.confirmed === b.entry.confirmed &&
    a.entry.stored?.cursor === b.entry.stored?.cursor &&
    a.home === b.home &&
    a.away === b.away &&
    a.writable === b.writable &&
    a.onCorrect === b.onCorrect
  );
}

const LogRow = memo(function LogRow({ entry, home, away, writable, onCorrect }: RowProps) {
  const { event } = entry;
  const classes = [
    entry.cancelled ? 'cancelled' : '',
    entry.ignored ? 'ignored' : '',
    entry.confirmed ? 'confirmed' : 'pending',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li className={classes} data-seq={event.seq} data-type={event.type}>
      <span className="seq">#{event.seq}</span>
      <span className="what">{describeEvent(event, { home, away })}</span>
      <time dateTime={event.at}>{new Date(event.at).toLocaleTimeString()}</time>
      <span
        className="sync-mark"
        title={entry.confirmed ? `stored, cursor ${entry.stored?.cursor ?? '?'}` : 'waiting to sync'}
      >
        {entry.confirmed ? '✓' : '…'}
      </span>
      {entry.ignored ? <span className="note">ignored by the rules</span> : null}
      {!entry.cancelled && event.type !== 'CORRECTION' ? (
        <button type="button" className="correct" disabled={!writable} onClick={() => onCorrect(event.seq)}>
          Correct
        </button>
      ) : null}
    </li>
  );
}, sameRow);

export function EventLog({
  log,
  logOmitted,
  setAside,
  snapshot,
  writable,
  onCorrect,
}: {
  log: LogEntry[];
  logOmitted: number;
  setAside: SetAsideEntry[];
  snapshot: MatchSnapshot;
  writable: boolean;
  onCorrect: (seq: number) => void;
}) {
  const names = { home: snapshot.home.name, away: snapshot.away.name };
  const entries = log.slice(-VISIBLE_LOG_ENTRIES).reverse();
  return (
    <section className="event-log" aria-label="Event log">
      <h2>Events ({log.length + logOmitted})</h2>
      {setAside.length > 0 ? <SetAsideList entries={setAside} names={names} /> : null}
      <ol data-testid="event-log">
        {entries.map((entry) => (
          <LogRow
            key={entry.event.seq}
            entry={entry}
            home={snapshot.home.name}
            away={snapshot.away.name}
            writable={writable}
            onCorrect={onCorrect}
          />
        ))}
      </ol>
      {logOmitted > 0 || log.length > entries.length ? (
        <p className="hint">
          {logOmitted + log.length - entries.length} older events are kept on this console and not shown.
        </p>
      ) : null}
    </section>
  );
}

/** Events a handover overtook before they were sent: never sent, kept for the director to review. */
function SetAsideList({ entries, names }: { entries: SetAsideEntry[]; names: { home: string; away: string } }) {
  return (
    <div className="set-aside" data-testid="set-aside">
      <h3>Not sent: overtaken by a handover ({entries.length})</h3>
      <ol>
        {entries.map((entry) => (
          <li key={`${entry.epoch}-${entry.event.seq}-${entry.setAsideAt}`}>
            <span className="seq">#{entry.event.seq}</span>
            <span className="what">{describeEvent(entry.event, names)}</span>
            <span className="note">{entry.reason}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
