/** Types of overlay-config.js (plain JS so the browser can load it as is). */
export interface OverlayConfig {
  court: string | null;
  courts: string[] | null;
  token: string;
  theme: 'dark' | 'light';
  accent: string;
  position: string;
  scale: number;
  showSets: boolean;
  delaySeconds: number;
  hideStale: boolean;
  unverified: 'show' | 'mark' | 'hide';
  autoplay: boolean;
  perPage: number;
}
export declare const THEMES: string[];
export declare const POSITIONS: string[];
export declare const UNVERIFIED_MODES: string[];
export declare const MAX_DELAY_SECONDS: number;
export declare const DEFAULT_CONFIG: Readonly<OverlayConfig>;
export declare function mergeConfig(base: OverlayConfig, input: Record<string, unknown>): OverlayConfig;
export declare function configFromSearch(search: string): OverlayConfig;
export declare function parseUpdateData(data: unknown): Record<string, unknown>;
