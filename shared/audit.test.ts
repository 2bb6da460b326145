import { describe, expect, it } from 'vitest';
import { assembleAudit, auditCsvCells, type AuditSources } from './audit.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();

function sources(): AuditSources {
  return {
    match: { id: 'm1', sport: 'generic', court: '1', home: 'H', away: 'A', status: 'live' },
    generatedAt: t(99),
    events: [
      {
        cursor: 10,
        seq: 1,
        epoch: 0,
        type: 'MATCH_START',
        payload: {},
        consoleId: A,
        user: 'ann',
        consoleAt: t(0),
        storedAt: t(1),
      },
      {
        cursor: 11,
        seq: 2,
        epoch: 0,
        type: 'SCORE_UPDATE',
        payload: { side: 'home' },
        consoleId: A,
        user: 'ann',
        consoleAt: t(2),
        storedAt: t(3),
      },
      {
        cursor: 15,
        seq: 3,
        epoch: 1,
        type: 'CORRECTION',
        payload: { undoes: 2 },
        consoleId: B,
        user: 'bob',
        consoleAt: t(9),
        storedAt: t(10),
      },
      {
        cursor: 16,
        seq: 4,
        epoch: 1,
        type: 'SCORE_OVERRIDE',
        payload: { reason: 'paper sheet', home: { points: 3 }, away: { points: 1 } },
        consoleId: B,
        user: 'bob',
        consoleAt: t(11),
        storedAt: t(11),
      },
    ],
    cancelledSeqs: [2],
    writerChanges: [
      { storedAt: t(1), change: 'first-push', epoch: 0, consoleId: A, previousConsoleId: null, user: 'ann' },
      { storedAt: t(5), change: 'handover', epoch: 1, consoleId: B, previousConsoleId: A, user: 'director' },
    ],
    fencedPushes: [{ storedAt: t(6), consoleId: A, user: 'ann', epoch: 0, firstSeq: 3, lastSeq: 4, events: 2 }],
    verifications: [{ storedAt: t(12), state: 'disagree', detail: { official: '3-1', verify: '2-1' } }],
  };
}

describe('assembleAudit', () => {
  it('orders by stored time, events by cursor, and says what corrections undid', () => {
    const audit = assembleAudit(sources());
    expect(audit.entries.map((e) => (e.kind === 'event' ? `e${e.seq}` : e.kind))).toEqual([
      'writer-change',
      'e1',
      'e2',
      'writer-change',
      'fenced-push',
      'e3',
      'e4',
      'verification',
    ]);
    const [, , e2, handover, , e3, e4] = audit.entries;
    expect(e2).toMatchObject({ cancelled: true, undoes: null });
    expect(e3).toMatchObject({ undoes: { seq: 2, type: 'SCORE_UPDATE' }, cancelled: false, user: 'bob' });
    expect(e4).toMatchObject({ reason: 'paper sheet' });
    expect(handover).toMatchObject({ change: 'handover', fencedConsoleId: A, user: 'director' });
    expect(audit.entries[0]).toMatchObject({ fencedConsoleId: null });
  });

  it('names an undone event it does not know (outside the trail) with a null type', () => {
    const src = sources();
    src.events = [{ ...src.events[2]!, payload: { undoes: 99 } }];
    const [entry] = assembleAudit({ ...src, writerChanges: [], fencedPushes: [], verifications: [] }).entries;
    expect(entry).toMatchObject({ undoes: { seq: 99, type: null } });
  });

  it('turns every kind into CSV cells', () => {
    const cells = assembleAudit(sources()).entries.map(auditCsvCells);
    expect(cells[2]).toMatchObject({ kind: 'event', seq: '2', cancelled: 'true', user: 'ann', consoleAt: t(2) });
    expect(cells[3]).toMatchObject({ type: 'handover', previousConsoleId: A, detail: `fenced ${A}` });
    expect(cells[4]).toMatchObject({ kind: 'fenced-push', seq: '3-4', detail: '2 events refused: STALE_EPOCH' });
    expect(cells[5]).toMatchObject({ undoesSeq: '2', undoesType: 'SCORE_UPDATE' });
    expect(cells[7]).toMatchObject({ type: 'disagree', detail: '{"official":"3-1","verify":"2-1"}' });
  });
});
