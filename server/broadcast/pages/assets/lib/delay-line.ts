/**
 * Shows updates N seconds after they arrived, to line up with a delayed broadcast.
 * Each update is rendered in arrival order; 0 renders at once. The renderer gets the
 * time the view stands for (arrival time), so a running clock is shown as it was then.
 */
export interface DelayLine<V> {
  setDelaySeconds(seconds: number): void;
  readonly delayMs: number;
  push(view: V): void;
  clear(): void;
}

export function createDelayLine<V>(render: (view: V) => void): DelayLine<V> {
  let delayMs = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  return {
    setDelaySeconds(seconds) {
      delayMs = Math.max(0, seconds * 1000);
    },
    get delayMs() {
      return delayMs;
    },
    push(view) {
      if (delayMs === 0) {
        render(view);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        render(view);
      }, delayMs);
      timers.add(timer);
    },
    clear() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
