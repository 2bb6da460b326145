import { describe, expect, it } from 'vitest';
import {
  alertOf,
  nextDueIn,
  publicVerification,
  resumedTrack,
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

describe('resuming the track after a restart', () => {
  const iso = (ms: number) => new Date(ms).toISOString();

  it('gives back the public verification and alert it was stored as', () => {
    const tracks: VerifyTrack[] = [
      { phase: 'agree', since: T },
      { phase: 'alert', since: T + 4000, agreeSince: T },
      { phase: 'disagree', since: T + 4000 },
    ];
    for (const track of tracks) {
      const resumed = resumedTrack(publicVerification(track), alertOf(track));
      expect(resumed).toEqual(track);
    }
    expect(resumedTrack(null, null)).toBeNull();
    expect(resumedTrack(undefined, undefined)).toBeNull();
  });

  it('keeps the start of a disagreement: an alert stored before the restart flips once the disagree time is up', () => {
    const resumed = resumedTrack({ state: 'agree', since: iso(T) }, { since: iso(T + 1000) });
    const later = stepTrack(resumed, false, T + 1000 + VERIFY_DISAGREE_MS);
    expect(publicVerification(later)).toEqual({ state: 'disagree', since: iso(T + 1000) });
    // Agreeing again right after the restart returns to the agree time stored.
    expect(stepTrack(resumed, true, T + 2000)).toEqual({ phase: 'agree', since: T });
  });
});
