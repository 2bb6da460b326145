/**
 * Worked examples of every sport for the display model (shared/display): real folds through
 * the sport rules (test/support/domain-scorer.ts's Scorer), each with the moment it is shown and
 * the texts a scoreboard must show then. shared/display/scoreboard.test.ts checks the model
 * against `expected`; test/display/surfaces.test.tsx renders each through every surface.
 */
import type { MatchMeta, MatchSnapshot } from '../../shared/match.js';
import { Scorer, testMeta } from './domain-scorer.js';

export interface DisplayExample {
  name: string;
  snapshot: MatchSnapshot;
  /** Server time the example is shown at. */
  nowMs: number;
  /** The texts every surface must show (scoreboardView's fields). */
  expected: {
    statusText: string;
    periodLabel: string;
    home: string;
    away: string;
    clock: string | null;
    pointLabel?: string;
    gameLabel?: string;
    setsLine?: string;
    calls?: string[];
    resultText?: string;
  };
}

const MINUTE_MS = 60_000;
const QUARTER_MS = 10 * MINUTE_MS;
/** The last minute's first tenth: the console and the overlays once disagreed here (59.9 vs 01:00). */
const LAST_MINUTE_EDGE_MS = 59_999;

const endPeriod = { type: 'PERIOD_END', payload: {} } as const;
const nextPeriod = { type: 'PERIOD_START', payload: {} } as const;

function lastAt(s: Scorer): number {
  return Date.parse(s.snap.updatedAt!);
}

function named(meta: MatchMeta, home: string, away: string): MatchMeta {
  return { ...meta, home: { ...meta.home, name: home }, away: { ...meta.away, name: away } };
}

/** Basketball in Q3, clock running with 59,999 ms left; #7 of home has 5 fouls (fouled out), away 4 team fouls. */
function basketballThirdQuarter(): DisplayExample {
  const s = new Scorer(named(testMeta('basketball'), 'Lions', 'Bears')).start();
  s.point('home', 3).point('away', 2);
  s.send(endPeriod).send(nextPeriod).send(endPeriod).send(nextPeriod);
  for (let i = 0; i < 5; i++) s.send({ type: 'EVENT_ADDED', payload: { kind: 'foul', side: 'home', player: '7' } });
  for (let i = 0; i < 4; i++) s.send({ type: 'EVENT_ADDED', payload: { kind: 'foul', side: 'away' } });
  s.send({ type: 'CLOCK_START', payload: { remainingMs: QUARTER_MS } });
  return {
    name: 'basketball Q3, 59,999 ms left',
    snapshot: s.snap,
    nowMs: lastAt(s) + QUARTER_MS - LAST_MINUTE_EDGE_MS,
    expected: {
      statusText: 'Live',
      periodLabel: 'Q3',
      home: '3',
      away: '2',
      clock: '59.9',
      setsLine: '3-2 0-0',
      calls: [
        'Time-outs left: Lions 3 · Bears 3',
        'Penalty (team fouls): Lions, Bears',
        'Fouls Lions: #7 5 fouled out',
      ],
    },
  };
}

/** Basketball level after Q4, in the first overtime, clock stopped at 5:00. */
function basketballOvertime(): DisplayExample {
  const s = new Scorer(named(testMeta('basketball'), 'Lions', 'Bears')).start();
  s.point('home', 2).point('away', 2);
  for (let q = 0; q < 4; q++) s.send(endPeriod).send(nextPeriod);
  return {
    name: 'basketball overtime',
    snapshot: s.snap,
    nowMs: lastAt(s) + 5_000,
    expected: {
      statusText: 'Live',
      periodLabel: 'OT1',
      home: '2',
      away: '2',
      clock: '5:00',
      setsLine: '2-2 0-0 0-0 0-0',
      calls: ['Time-outs left: Lions 1 · Bears 1'],
    },
  };
}

/** Generic with 20-minute periods: period 2, clock running, 61,999 ms left. */
function genericSecondPeriod(): DisplayExample {
  const s = new Scorer(named(testMeta('generic', { periodLengthMs: 20 * MINUTE_MS }), 'Reds', 'Blues')).start();
  s.point('home', 3).point('away');
  s.send(endPeriod).send(nextPeriod).point('away', 2);
  s.send({ type: 'CLOCK_START', payload: { remainingMs: 20 * MINUTE_MS } });
  return {
    name: 'generic P2, clock running',
    snapshot: s.snap,
    nowMs: lastAt(s) + 20 * MINUTE_MS - 61_999,
    expected: {
      statusText: 'Live',
      periodLabel: 'P2',
      home: '3',
      away: '3',
      clock: '1:01',
      setsLine: '3-1',
      calls: [],
    },
  };
}

/** Generic without a clock, not started: no clock, no period. */
function genericScheduled(): DisplayExample {
  const s = new Scorer(named(testMeta('generic'), 'Reds', 'Blues'));
  return {
    name: 'generic scheduled',
    snapshot: s.snap,
    nowMs: Date.parse('2026-05-01T10:00:00.000Z'),
    expected: {
      statusText: 'Not started',
      periodLabel: '',
      home: '0',
      away: '0',
      clock: null,
      setsLine: '',
      calls: [],
    },
  };
}

/** Volleyball 25-20, then 24-20 in set 2: set point home. */
function volleyballSetPoint(): DisplayExample {
  const s = new Scorer(named(testMeta('volleyball'), 'Serbia', 'Spain')).start();
  s.run('home', 5).run('away', 20).run('home', 20);
  s.run('home', 4).run('away', 20).run('home', 20);
  return {
    name: 'volleyball set point in set 2',
    snapshot: s.snap,
    nowMs: lastAt(s) + 1_000,
    expected: {
      statusText: 'Live',
      periodLabel: 'Set 2',
      home: '24',
      away: '20',
      clock: null,
      pointLabel: 'Set point Serbia',
      setsLine: '25-20',
      calls: ['Time-outs left: Serbia 2 · Spain 2'],
    },
  };
}

/** Volleyball: the first set just won, the 3-minute interval 65 s in. */
function volleyballBetweenSets(): DisplayExample {
  const s = new Scorer(named(testMeta('volleyball'), 'Serbia', 'Spain')).start();
  s.run('away', 20).run('home', 25);
  return {
    name: 'volleyball between sets',
    snapshot: s.snap,
    nowMs: lastAt(s) + 65_000,
    expected: {
      statusText: 'Live',
      periodLabel: 'Set 2',
      home: '0',
      away: '0',
      clock: null,
      setsLine: '25-20',
      calls: ['Interval between sets 1:55', 'Change ends', 'Time-outs left: Serbia 2 · Spain 2'],
    },
  };
}

/** Badminton doubles 11-0: the mid-game interval, Kim serving from the left court to Sun. */
function badmintonInterval(): DisplayExample {
  const meta = testMeta('badminton', { doubles: true });
  meta.home = { name: 'Korea', players: ['Kim', 'Lee'] };
  meta.away = { name: 'Japan', players: ['Ota', 'Sun'] };
  const s = new Scorer(meta).start().run('home', 11);
  return {
    name: 'badminton doubles 11-0, interval',
    snapshot: s.snap,
    nowMs: lastAt(s) + 59_001,
    expected: {
      statusText: 'Live',
      periodLabel: 'Game 1',
      home: '11',
      away: '0',
      clock: null,
      setsLine: '',
      calls: ['Interval 0:01', 'Kim serves from the left court to Sun'],
    },
  };
}

/** Badminton 20-15 in game 2 after 21-10: match point home. */
function badmintonMatchPoint(): DisplayExample {
  const s = new Scorer(named(testMeta('badminton'), 'Axelsen', 'Lee')).start();
  s.run('away', 10).run('home', 21).run('away', 15).run('home', 20);
  return {
    name: 'badminton match point',
    snapshot: s.snap,
    nowMs: lastAt(s) + 1_000,
    expected: {
      statusText: 'Live',
      periodLabel: 'Game 2',
      home: '20',
      away: '15',
      clock: null,
      pointLabel: 'Match point Axelsen',
      setsLine: '21-10',
      calls: ['Axelsen serves from the right court'],
    },
  };
}

/** Table tennis 10-10 in game 1: no game point (two clear). */
function tableTennisDeuce(): DisplayExample {
  const s = new Scorer(named(testMeta('table-tennis'), 'Ma', 'Fan')).start().level(10);
  return {
    name: 'table tennis 10-10',
    snapshot: s.snap,
    nowMs: lastAt(s) + 1_000,
    expected: {
      statusText: 'Live',
      periodLabel: 'Game 1',
      home: '10',
      away: '10',
      clock: null,
      setsLine: '',
      calls: [],
    },
  };
}

/** Table tennis 11-9: the game won, the interval between games and change of ends. */
function tableTennisGameWon(): DisplayExample {
  const s = new Scorer(named(testMeta('table-tennis'), 'Ma', 'Fan')).start().level(9).run('home', 2);
  return {
    name: 'table tennis game won',
    snapshot: s.snap,
    nowMs: lastAt(s),
    expected: {
      statusText: 'Live',
      periodLabel: 'Game 2',
      home: '0',
      away: '0',
      clock: null,
      setsLine: '11-9',
      calls: ['Interval between games 1:00', 'Change ends'],
    },
  };
}

/** Tennis 40-40 in the first game: deuce. */
function tennisDeuce(): DisplayExample {
  const s = new Scorer(named(testMeta('tennis'), 'Sinner', 'Alcaraz')).start().level(3);
  return {
    name: 'tennis deuce',
    snapshot: s.snap,
    nowMs: lastAt(s),
    expected: {
      statusText: 'Live',
      periodLabel: 'Set 1',
      home: '40',
      away: '40',
      clock: null,
      gameLabel: 'Deuce',
      setsLine: '',
      calls: [],
    },
  };
}

/** Tennis advantage away after deuce. */
function tennisAdvantage(): DisplayExample {
  const s = new Scorer(named(testMeta('tennis'), 'Sinner', 'Alcaraz')).start().level(3).point('away');
  return {
    name: 'tennis advantage',
    snapshot: s.snap,
    nowMs: lastAt(s),
    expected: {
      statusText: 'Live',
      periodLabel: 'Set 1',
      home: '40',
      away: 'AD',
      clock: null,
      gameLabel: 'Advantage Alcaraz',
      setsLine: '',
      calls: [],
    },
  };
}

/** Tennis no-ad at 40-40: the deciding point. */
function tennisDecidingPoint(): DisplayExample {
  const s = new Scorer(named(testMeta('tennis', { noAd: true }), 'Sinner', 'Alcaraz')).start().level(3);
  return {
    name: 'tennis no-ad deciding point',
    snapshot: s.snap,
    nowMs: lastAt(s),
    expected: {
      statusText: 'Live',
      periodLabel: 'Set 1',
      home: '40',
      away: '40',
      clock: null,
      gameLabel: 'Deciding point',
      setsLine: '',
      calls: [],
    },
  };
}

/** Tennis: a set won 7-6 on a 7-5 tie-break, then 6-5 in the tie-break of set 2: match point home. */
function tennisTiebreakMatchPoint(): DisplayExample {
  const s = new Scorer(named(testMeta('tennis'), 'Sinner', 'Alcaraz')).start();
  const toSixAll = () => {
    for (let game = 0; game < 6; game++) s.run('home', 4).run('away', 4);
  };
  toSixAll();
  s.level(5).run('home', 2); // the tie-break 7-5: set 7-6(5)
  toSixAll();
  s.level(5).point('home');
  return {
    name: 'tennis tie-break, match point',
    snapshot: s.snap,
    nowMs: lastAt(s),
    expected: {
      statusText: 'Live',
      periodLabel: 'Set 2',
      home: '6',
      away: '5',
      clock: null,
      pointLabel: 'Match point Sinner',
      gameLabel: 'Tie-break',
      setsLine: '7-6(5)',
    },
  };
}

/** Volleyball beach, won 2-0: final, winner named, no calls. */
function volleyballFinished(): DisplayExample {
  const s = new Scorer(named(testMeta('volleyball', { variant: 'beach' }), 'Brazil', 'Latvia')).start();
  s.run('home', 21).run('away', 10).run('home', 21);
  return {
    name: 'beach volleyball final',
    snapshot: s.snap,
    nowMs: lastAt(s) + 1_000,
    expected: {
      statusText: 'Final',
      resultText: 'Winner: Brazil',
      periodLabel: 'Set 2',
      home: '0',
      away: '0',
      clock: null,
      setsLine: '21-0 21-10',
      calls: [],
    },
  };
}

export function displayExamples(): DisplayExample[] {
  return [
    basketballThirdQuarter(),
    basketballOvertime(),
    genericSecondPeriod(),
    genericScheduled(),
    volleyballSetPoint(),
    volleyballBetweenSets(),
    badmintonInterval(),
    badmintonMatchPoint(),
    tableTennisDeuce(),
    tableTennisGameWon(),
    tennisDeuce(),
    tennisAdvantage(),
    tennisDecidingPoint(),
    tennisTiebreakMatchPoint(),
    volleyballFinished(),
  ];
}
