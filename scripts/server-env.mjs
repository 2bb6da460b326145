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
