/**
 * The console's requests to the server and the server's notices, each parsed with the
 * protocol's schema (shared/protocol.ts CONSOLE_REQUESTS, CONSOLE_NOTICES) before anything on
 * this console trusts it. A malformed ack is a refusal with code PROTOCOL naming the field,
 * reported on the link (logged, shown in the sync state); nothing of it is stored. No answer
 * in time throws, as emitWithAck does: each caller decides what silence means.
 */
import type { z } from 'zod';
import { CONSOLE_NOTICES, CONSOLE_REQUESTS, malformedReply, receive } from '../../../shared/protocol.js';
import type { Link } from './sync-host.js';

type Requests = typeof CONSOLE_REQUESTS;
type Notices = typeof CONSOLE_NOTICES;
export type RequestName = keyof Requests;

/**
 * The socket as it really is before parsing: what it receives is unknown. (Its typed view
 * would call an ack its declared type before anything checked it.)
 */
interface Unchecked {
  emitWithAck(event: string, msg: unknown): Promise<unknown>;
  on(event: string, listener: (msg: unknown) => void): unknown;
}

/** `event` with its registered ack schema. */
export async function request<E extends RequestName>(
  link: Link,
  event: E,
  msg: z.input<Requests[E]['request']>,
  timeoutMs: number,
): Promise<z.infer<Requests[E]['ack']>> {
  // Parsed with that very schema (send): the value is of its type.
  return (await send(link, event, msg, timeoutMs, CONSOLE_REQUESTS[event].ack)) as z.infer<Requests[E]['ack']>;
}

/** `event` answered with another ack shape than the registered one (a verify push: no cursor). */
export async function requestWith<E extends RequestName, S extends z.ZodType>(
  link: Link,
  event: E,
  msg: z.input<Requests[E]['request']>,
  timeoutMs: number,
  ack: S,
): Promise<z.infer<S>> {
  return (await send(link, event, msg, timeoutMs, ack)) as z.infer<S>;
}

/**
 * The ack parsed with `ack`, or the malformed-reply refusal: every ack schema has the
 * failure branch (ack() in shared/protocol/down.ts), so a Fail is a value of each.
 */
async function send(link: Link, event: string, msg: unknown, timeoutMs: number, ack: z.ZodType): Promise<unknown> {
  const socket = link.socket.timeout(timeoutMs) as unknown as Unchecked;
  const received = receive(ack, await socket.emitWithAck(event, msg), `${event} ack`);
  if (received.ok) return received.value;
  link.badReply(received.message);
  return malformedReply(received.message);
}

/** Listens to a server notice; a malformed one is reported on the link and never handled. */
export function onNotice<E extends keyof Notices>(
  link: Link,
  event: E,
  handler: (msg: z.infer<Notices[E]>) => void,
): void {
  const schema: z.ZodType = CONSOLE_NOTICES[event];
  (link.socket as unknown as Unchecked).on(event, (raw) => {
    const received = receive(schema, raw, event);
    // Parsed with the notice's own schema: the value is of its type.
    if (received.ok) handler(received.value as z.infer<Notices[E]>);
    else link.badReply(received.message);
  });
}
