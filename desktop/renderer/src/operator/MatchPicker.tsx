/** Pick this court's match from the server's schedule, or create one by hand (works offline). */
import { useState, type FormEvent } from 'react';
import type { Sport } from '../../../../shared/events.js';
import type { BadmintonScoring, FinalSetFormat } from '../../../../shared/match.js';

/**
 * The sports, listed here rather than imported from shared/events.ts: that module builds zod
 * schemas at load, which would put all of zod into the screen's bundle for one list.
 */
const SPORT_CHOICES = [
  'badminton',
  'volleyball',
  'table-tennis',
  'tennis',
  'basketball',
  'generic',
] as const satisfies readonly Sport[];
/** Compile-time check that no sport is missing from the list. */
const everySportListed: Exclude<Sport, (typeof SPORT_CHOICES)[number]> extends never ? true : false = true;
void everySportListed;
import type { ConsoleView } from '../../../contract/api.js';
import type { Runner } from '../api/use-console.js';

/** The format option each sport offers (contract v1.1), under the option's own name. */
const FORMAT_CHOICES: Partial<Record<Sport, readonly string[]>> = {
  tennis: ['tiebreak7', 'tiebreak10', 'advantage', 'matchTiebreak10'] satisfies FinalSetFormat[],
  badminton: ['3x21', '5x11'] satisfies BadmintonScoring[],
  volleyball: ['indoor', 'beach'],
};
const DOUBLES_SPORTS: ReadonlySet<Sport> = new Set(['badminton', 'table-tennis', 'tennis']);

function formatOption(sport: Sport, format: string): Record<string, string> {
  if (!format) return {};
  if (sport === 'tennis') return { finalSet: format };
  if (sport === 'badminton') return { scoring: format };
  if (sport === 'volleyball') return { variant: format };
  return {};
}

export function MatchPicker({ view, run, onDone }: { view: ConsoleView; run: Runner; onDone: () => void }) {
  const [sport, setSport] = useState<Sport>('badminton');
  const [home, setHome] = useState('');
  const [away, setAway] = useState('');
  const [court, setCourt] = useState(view.info.court ?? '');
  const [bestOf, setBestOf] = useState('');
  const [format, setFormat] = useState('');
  const [noAd, setNoAd] = useState(false);
  const [doubles, setDoubles] = useState(false);
  const [players, setPlayers] = useState({ home: ['', ''], away: ['', ''] });
  const [error, setError] = useState<string | null>(null);

  const open = async (matchId: string, how: 'open' | 'takeOver' | 'verify' | 'standby') => {
    const command =
      how === 'takeOver'
        ? 'claimMatch'
        : how === 'verify'
          ? 'verifyMatch'
          : how === 'standby'
            ? 'standbyMatch'
            : 'openMatch';
    const result = await run(command, { matchId });
    if (result.ok) onDone();
    else setError(result.message);
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    // The core creates the match offline-first and opens it.
    const pairs = doubles && DOUBLES_SPORTS.has(sport);
    const options = {
      ...(bestOf ? { bestOf: Number(bestOf) } : {}),
      ...formatOption(sport, format),
      ...(sport === 'tennis' && noAd ? { noAd: true } : {}),
      ...(pairs ? { doubles: true } : {}),
    };
    const team = (name: string, side: 'home' | 'away') =>
      pairs ? { name, players: players[side].map((p) => p.trim()) } : { name };
    const result = await run('createMatch', {
      sport,
      court: court.trim(),
      home: team(home, 'home'),
      away: team(away, 'away'),
      ...(Object.keys(options).length ? { options } : {}),
    });
    if (result.ok) onDone();
    else setError(result.message);
  };

  return (
    <section className="match-picker" aria-label="Matches">
      <h2>
        Schedule {view.info.court ? `for court ${view.info.court}` : ''}
        <button type="button" className="small" onClick={() => void run('refreshSchedule', {})}>
          Refresh
        </button>
      </h2>
      {view.schedule.length === 0 ? (
        <p className="hint">No matches known yet. Set the server in Settings, or create one below.</p>
      ) : null}
      <ul className="schedule" data-testid="schedule">
        {view.schedule.map(({ meta, snapshot, localOnly }) => (
          <li key={meta.id} className={meta.id === view.info.matchId ? 'current' : ''}>
            <span className="sport">{meta.sport}</span>
            <span className="teams">
              {meta.home.name} – {meta.away.name}
            </span>
            <span className="court">Court {meta.court}</span>
            <span className="state">
              {snapshot.status} {snapshot.home.score}–{snapshot.away.score}
              {localOnly ? ' (this console only)' : ''}
            </span>
            <button type="button" onClick={() => void open(meta.id, 'open')} data-open={meta.id}>
              Open
            </button>
            {!localOnly ? (
              <button
                type="button"
                className="small"
                onClick={() => void open(meta.id, 'takeOver')}
                title="Handover to this console"
              >
                Take over
              </button>
            ) : null}
            {!localOnly ? (
              <button
                type="button"
                className="small"
                onClick={() => void open(meta.id, 'verify')}
                data-verify={meta.id}
                title="Score this match on your own as a second scorer: the server compares it with the official score"
              >
                Verify
              </button>
            ) : null}
            {!localOnly ? (
              <button
                type="button"
                className="small"
                onClick={() => void open(meta.id, 'standby')}
                data-standby={meta.id}
                title="Mirror this match read-only as the hot standby; take it over with one key"
              >
                Standby
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <h2>New match</h2>
      <form className="create-match" onSubmit={(event) => void create(event)}>
        <label>
          Sport
          <select name="sport" value={sport} onChange={(e) => setSport(e.target.value as Sport)}>
            {SPORT_CHOICES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Home
          <input name="home" value={home} onChange={(e) => setHome(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Away
          <input name="away" value={away} onChange={(e) => setAway(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Court
          <input name="court" value={court} onChange={(e) => setCourt(e.target.value)} required maxLength={64} />
        </label>
        <label>
          Best of
          <select name="bestOf" value={bestOf} onChange={(e) => setBestOf(e.target.value)}>
            <option value="">sport default</option>
            {[1, 3, 5, 7].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {FORMAT_CHOICES[sport] ? (
          <label>
            Format
            <select name="format" value={format} onChange={(e) => setFormat(e.target.value)}>
              <option value="">sport default</option>
              {FORMAT_CHOICES[sport]!.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {sport === 'tennis' ? (
          <label>
            <input type="checkbox" name="noAd" checked={noAd} onChange={(e) => setNoAd(e.target.checked)} /> No-ad
          </label>
        ) : null}
        {DOUBLES_SPORTS.has(sport) ? (
          <label>
            <input type="checkbox" name="doubles" checked={doubles} onChange={(e) => setDoubles(e.target.checked)} />{' '}
            Doubles
          </label>
        ) : null}
        {doubles && DOUBLES_SPORTS.has(sport)
          ? (['home', 'away'] as const).map((side) =>
              [0, 1].map((i) => (
                <label key={`${side}${i}`}>
                  {side === 'home' ? 'Home' : 'Away'} player {i + 1}
                  <input
                    name={`${side}-player-${i + 1}`}
                    value={players[side][i]}
                    required
                    maxLength={200}
                    onChange={(e) => {
                      const next = { ...players, [side]: players[side].slice() };
                      next[side][i] = e.target.value;
                      setPlayers(next);
                    }}
                  />
                </label>
              )),
            )
          : null}
        <button type="submit" data-primary>
          Create and open
        </button>
      </form>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
