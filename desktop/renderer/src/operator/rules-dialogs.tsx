/**
 * Dialogs for the v1.1 rules: a foul with the player's number (basketball player fouls
 * and foul-out), and a score override with its reason (a match restarted from a paper
 * sheet). The rules refuse what is impossible; the toast shows why.
 */
import { useState, type FormEvent } from 'react';
import type { Side } from '../../../../shared/events.js';
import type { MatchSnapshot } from '../../../../shared/match.js';
import { isSetSport, setWord } from '../../../../shared/display/index.js';
import type { ConsoleCommandArgs } from '../../../contract/commands.js';
import { DialogButtons, Modal } from './dialogs.js';

export function FoulDialog({
  side,
  snapshot,
  onConfirm,
  onCancel,
}: {
  side: Side;
  snapshot: MatchSnapshot;
  onConfirm: (args: ConsoleCommandArgs<'addEvent'>) => void;
  onCancel: () => void;
}) {
  const [player, setPlayer] = useState('');
  const out = snapshot.tally[side].disqualified ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onConfirm({ kind: 'foul', side, ...(player.trim() ? { player: player.trim() } : {}) });
  };
  return (
    <Modal title={`Foul: ${snapshot[side].name}`} onCancel={onCancel} testId="foul-dialog">
      <form onSubmit={submit}>
        <label>
          Player (number; empty: a team foul only)
          <input name="player" value={player} maxLength={200} onChange={(e) => setPlayer(e.target.value)} />
        </label>
        {out.length ? <p className="hint">Fouled out: {out.map((p) => `#${p}`).join(', ')}</p> : null}
        <DialogButtons onCancel={onCancel} submit="Record" />
      </form>
    </Modal>
  );
}

/** "6-4 3-6" or "6-4, 7-6(7-5)" into sets; null when unreadable. */
export function parseSets(
  text: string,
): { home: number; away: number; tiebreak?: { home: number; away: number } }[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const out: { home: number; away: number; tiebreak?: { home: number; away: number } }[] = [];
  for (const part of parts) {
    const m = /^(\d+)-(\d+)(?:\((\d+)-(\d+)\))?$/.exec(part);
    if (!m) return null;
    const set: { home: number; away: number; tiebreak?: { home: number; away: number } } = {
      home: Number(m[1]),
      away: Number(m[2]),
    };
    if (m[3] !== undefined) set.tiebreak = { home: Number(m[3]), away: Number(m[4]) };
    out.push(set);
  }
  return out;
}

/** A number for each side ("games-home", "games-away"), labelled with the sides' names. */
function SideNumbers({
  name,
  legend,
  snapshot,
  values,
  onChange,
}: {
  name: string;
  legend: string;
  snapshot: MatchSnapshot;
  values: Record<Side, string>;
  onChange: (values: Record<Side, string>) => void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {(['home', 'away'] as const).map((side) => (
        <input
          key={side}
          name={`${name}-${side}`}
          aria-label={`${name} ${snapshot[side].name}`}
          inputMode="numeric"
          value={values[side]}
          onChange={(e) => onChange({ ...values, [side]: e.target.value })}
        />
      ))}
    </fieldset>
  );
}

export function OverrideDialog({
  snapshot,
  onConfirm,
  onCancel,
}: {
  snapshot: MatchSnapshot;
  onConfirm: (args: ConsoleCommandArgs<'overrideScore'>) => void;
  onCancel: () => void;
}) {
  const tennis = snapshot.sport === 'tennis';
  const setSport = isSetSport(snapshot.sport);
  const [reason, setReason] = useState('');
  const [sets, setSets] = useState(
    snapshot.sets
      .map((s) => `${s.home}-${s.away}${s.tiebreak ? `(${s.tiebreak.home}-${s.tiebreak.away})` : ''}`)
      .join(' '),
  );
  const [points, setPoints] = useState({ home: '0', away: '0' });
  const [games, setGames] = useState({
    home: String(snapshot.games?.home ?? 0),
    away: String(snapshot.games?.away ?? 0),
  });
  const [serving, setServing] = useState<Side | ''>(snapshot.serving ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsedSets = parseSets(sets);
    if (!reason.trim()) return setProblem('A reason is needed: it goes into the event log.');
    if (parsedSets === null) return setProblem('Sets: write them as 6-4 3-6 (tie-break points in brackets: 7-6(7-5)).');
    const side = (s: Side) => ({
      points: Number(points[s]) || 0,
      ...(tennis ? { games: Number(games[s]) || 0 } : {}),
    });
    onConfirm({
      reason: reason.trim(),
      ...(setSport ? { sets: parsedSets } : {}),
      home: side('home'),
      away: side('away'),
      ...(serving ? { serving } : {}),
    });
  };
  const pointsLabel = tennis
    ? 'Points in the game (0, 1, 2, 3 = 40)'
    : setSport
      ? 'Points in this set'
      : 'Total points';
  return (
    <Modal title="Set the score" onCancel={onCancel} testId="override-dialog">
      <form onSubmit={submit}>
        <label>
          Reason
          <input name="reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
        </label>
        {setSport ? (
          <label>
            Finished {setWord(snapshot.sport).toLowerCase()}s
            <input name="sets" value={sets} onChange={(e) => setSets(e.target.value)} placeholder="6-4 3-6" />
          </label>
        ) : null}
        {tennis ? (
          <SideNumbers name="games" legend="Games in this set" snapshot={snapshot} values={games} onChange={setGames} />
        ) : null}
        <SideNumbers name="points" legend={pointsLabel} snapshot={snapshot} values={points} onChange={setPoints} />
        {snapshot.serving !== null ? (
          <label>
            Serving next
            <select name="serving" value={serving} onChange={(e) => setServing(e.target.value as Side | '')}>
              <option value="home">{snapshot.home.name}</option>
              <option value="away">{snapshot.away.name}</option>
            </select>
          </label>
        ) : null}
        {problem ? (
          <p className="problem" role="alert">
            {problem}
          </p>
        ) : null}
        <DialogButtons onCancel={onCancel} submit="Set score" />
      </form>
    </Modal>
  );
}

/** Whether the screen offers the serve choices now: before the start, or before a set's first point. */
export function serveChoicesOpen(snapshot: MatchSnapshot): boolean {
  if (!isSetSport(snapshot.sport)) return false;
  if (snapshot.status === 'scheduled') return true;
  if (snapshot.status !== 'live' && snapshot.status !== 'paused') return false;
  const fresh =
    snapshot.home.score + snapshot.away.score === 0 &&
    (!snapshot.points || (snapshot.points.home === '0' && snapshot.points.away === '0'));
  return fresh && (Boolean(snapshot.home.players?.length === 2) || snapshot.sport === 'volleyball');
}

/**
 * The toss and the pairs' choices (MATCH_START before the start, PERIOD_START before a set):
 * who serves first, and in doubles which partner serves and which receives.
 */
export function ServeChoicesDialog({
  snapshot,
  onConfirm,
  onCancel,
}: {
  snapshot: MatchSnapshot;
  onConfirm: (
    command: 'start' | 'periodStart',
    args: ConsoleCommandArgs<'start'> | ConsoleCommandArgs<'periodStart'>,
  ) => void;
  onCancel: () => void;
}) {
  const starting = snapshot.status === 'scheduled';
  // Only the start and volleyball's deciding-set toss choose the side; otherwise the rules do.
  const sideChoice = starting || snapshot.sport === 'volleyball';
  const [server, setServer] = useState<Side>(snapshot.serving ?? 'home');
  const receiver: Side = server === 'home' ? 'away' : 'home';
  const [serverPlayer, setServerPlayer] = useState('');
  const [receiverPlayer, setReceiverPlayer] = useState('');
  const doubles = snapshot.home.players?.length === 2 && snapshot.away.players?.length === 2;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const args = {
      ...(sideChoice ? { firstServer: server } : {}),
      ...(doubles && serverPlayer ? { firstServerPlayer: serverPlayer } : {}),
      ...(doubles && receiverPlayer ? { firstReceiverPlayer: receiverPlayer } : {}),
    };
    onConfirm(starting ? 'start' : 'periodStart', args);
  };
  return (
    <Modal
      title={starting ? 'Start: toss and choices' : 'Choices for this set'}
      onCancel={onCancel}
      testId="serve-dialog"
    >
      <form onSubmit={submit}>
        {sideChoice ? (
          <label>
            Serves first
            <select name="firstServer" value={server} onChange={(e) => setServer(e.target.value as Side)}>
              <option value="home">{snapshot.home.name}</option>
              <option value="away">{snapshot.away.name}</option>
            </select>
          </label>
        ) : null}
        {doubles ? (
          <>
            <label>
              Server ({snapshot[server].name})
              <select name="firstServerPlayer" value={serverPlayer} onChange={(e) => setServerPlayer(e.target.value)}>
                <option value="">first listed</option>
                {snapshot[server].players!.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Receiver ({snapshot[receiver].name})
              <select
                name="firstReceiverPlayer"
                value={receiverPlayer}
                onChange={(e) => setReceiverPlayer(e.target.value)}
              >
                <option value="">by the rules / first listed</option>
                {snapshot[receiver].players!.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : null}
        <DialogButtons onCancel={onCancel} submit={starting ? 'Start match' : 'Record'} />
      </form>
    </Modal>
  );
}
