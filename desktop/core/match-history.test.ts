import { describe, expect, it } from 'vitest';
import type { MatchEvent } from '../../shared/events.js';
import { redoStack, undoTarget } from './match-history.js';

const at = '2026-11-28T10:00:00.000Z';
const point = (seq: number): MatchEvent => ({ seq, type: 'SCORE_UPDATE', payload: { side: 'home' }, at });
const fix = (seq: number, undoes: number): MatchEvent => ({ seq, type: 'CORRECTION', payload: { undoes }, at });
const none = new Set<number>();

describe('undo and redo', () => {
  it('undo targets the newest effective non-correction event', () => {
    const events = [point(1), point(2), fix(3, 2)];
    expect(undoTarget(events, new Set([2]), none)).toBe(1);
    expect(undoTarget([point(1), point(2)], none, none)).toBe(2);
    expect(undoTarget([point(1)], new Set([1]), none)).toBeNull();
    expect(undoTarget([point(1), point(2)], none, new Set([2]))).toBe(1);
  });

  it('redo stack grows with undos, shrinks with redos, and is cleared by a new point', () => {
    const undos = [point(1), point(2), fix(3, 2), fix(4, 1)];
    expect(redoStack(undos, new Set([1, 2]))).toEqual([3, 4]);
    const redone = [...undos, fix(5, 4)];
    expect(redoStack(redone, new Set([2, 4]))).toEqual([3]);
    const moved = [...redone, point(6)];
    expect(redoStack(moved, new Set([2, 4]))).toEqual([]);
  });

  it('undo after redo cancels the re-applied event again, and that can be redone', () => {
    // 1 point, 2 undo(1), 3 redo(2) -> point 1 back, 4 undo(1) again
    const events = [point(1), fix(2, 1), fix(3, 2), fix(4, 1)];
    expect(redoStack(events, new Set([2, 1]))).toEqual([4]);
  });
});
