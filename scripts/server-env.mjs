/**
 * Environment the server process is started with (scripts/server.mjs sets it, and starts the
 * server again under it when it is missing; the bench's server children set it directly).
 *
 * MALLOC_MMAP_THRESHOLD_ fixes glibc's mmap threshold at its default, 128 KiB. By default glibc
 * raises that threshold to the size of any mmapped block that is freed, so after the first login
 * every argon2 hash (19 MiB, server/auth/passwords.ts) comes from a thread-pool thread's arena
 * and stays in the process's resident memory after it is freed: measured 25 MB of the server's
 * idle memory here. With the threshold fixed each hash's memory is mapped and returned to the
 * system when the hash ends. Other platforms' allocators ignore the variable.
 */
export const SERVER_PROCESS_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * V8 flags the server process runs with (scripts/server.mjs starts it again with them when they
 * are missing; the bench's server children pass them). A server holding thousands of viewers
 * keeps ~100 MB of live heap, and V8's defaults let the heap grow to about 2.5 times that: a
 * young generation of up to 2 x 16 MB, and an old generation that may double before the next
 * full collection. Measured with 5,000 viewers (pipeline bench, fan-out, which starts the
 * reference server through this launcher too): 237 MB resident by default, 181-193 MB with
 * these two, at the same viewer p99 and server CPU (--optimize-for-size: 167 MB, p99 1.1 s).
 * - semi-spaces of 4 MB: the viewers' garbage (frames, acks) dies young at any size;
 * - the old generation collected when it has grown by 50 % rather than by V8's dynamic factor.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=50'];
