/** Types for server-env.mjs (imported by the bench's server children). */
export declare const SERVER_PROCESS_ENV: Readonly<Record<string, string>>;
/** V8 flags of the server process (server-env.mjs). */
export declare const SERVER_NODE_FLAGS: string[];
