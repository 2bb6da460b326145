/** Types of delay-line.js (plain JS so the browser can load it as is). */
export interface DelayLine<V> {
  setDelaySeconds(seconds: number): void;
  readonly delayMs: number;
  push(view: V): void;
  clear(): void;
}
export declare function createDelayLine<V>(render: (view: V) => void): DelayLine<V>;
