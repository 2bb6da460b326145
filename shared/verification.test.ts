import { describe, expect, it } from 'vitest';
import {
  alertOf,
  nextDueIn,
  publicVerification,
  stepTrack,
  VERIFY_ALERT_MS,
  VERIFY_DISAGREE_MS,
  type VerifyTrack,
} from './verification.js';

const T = Date.UTC(2026, 11, 1, 12);

describe('the verification track', () => {
  it('shows a short disagreement nowhere, alerts after the alert time and flips after the disagree time', () => {
    let track: VerifyTrack = stepTrack(null, true, T);
    expect(publicVerification(track)).toEqual({ state: 'agree', since: new Date(T).toISOString() });
    track = stepTrack(track, false, T + 1000);
    expect(track.phase).toBe('mismatch');
    expect(publicVerification(track).state).toBe('agree');
    expect(alertOf(track)).toBeNull();
    expect(nextDueIn(track, T + 1000)).toBe(VERIFY_ALERT_MS);
    track = stepTrack(track, false, T + 1000 + VERIFY_ALERT_MS - 1);
    expect(track.phase).toBe('mismatch');
    track = stepTrack(track, false, T + 1000 + VERIFY_ALERT_MS);
    expect(track.phase).toBe('alert');
    expect(alertOf(track)).toEqual({ since: new Date(T + 1000).toISOString() });
    expect(publicVerification(track).state).toBe('agree');
    track = stepTrack(track, false, T + 1000 + VERIFY_DISAGREE_MS);
    expect(publicVerification(track)).toEqual({ state: 'disagree', since: new Date(T + 1000).toISOString() });
    expect(nextDueIn(track, T + 9000)).toBeNull();
    track = stepTrack(track, true, T + 20_000);
    expect(publicVerification(track)).toEqual({ state: 'agree', since: new Date(T + 20_000).toISOString() });
    expect(alertOf(track)).toBeNull();
  });

  it('keeps the agree time through a mismatch that ends before the disagree time', () => {
    let track = stepTrack(null, true, T);
    track = stepTrack(track, false, T + 100);
    track = stepTrack(track, false, T + 100 + VERIFY_ALERT_MS);
    track = stepTrack(track, true, T + 3000);
    expect(track).toEqual({ phase: 'agree', since: T });
  });
});
