/** Types for server-env.mjs (imported by the bench's server children). */
export declare const SERVER_PROCESS_ENV: Readonly<Record<string, string>>;
