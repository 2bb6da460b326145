/**
 * Protocol versions. Every handshake states the version its client speaks (`auth.protocol`);
 * the server admits the versions in SUPPORTED_PROTOCOLS and refuses any other at connect with
 * a `connect_error` whose message is `PROTOCOL` (the contract's code) and whose data names
 * why (`reason`) and what the server speaks (`supported: {min, max}`). A client shows the
 * refusal and waits for an update instead of retrying: no retry can change a version.
 *
 * History (a new version is due for anything a client of the previous one would misread:
 * a field renamed, dropped or retyped, a new event type or error code, a changed meaning;
 * new optional fields and new events a client may ignore stay in the same version):
 *   1  the published contract v1 and its 1.1 additions (docs/protocol.md).
 */
import { z } from 'zod';

/** The version this build speaks, and the newest it admits. */
export const PROTOCOL_VERSION = 1;
/**
 * The oldest version this server still admits. Raise it only when the server no longer
 * answers that version's clients as they expect (a dropped field, a changed meaning).
 */
export const MIN_SUPPORTED_PROTOCOL = 1;
/** The protocol versions this build's server admits. */
export const SUPPORTED_PROTOCOLS = { min: MIN_SUPPORTED_PROTOCOL, max: PROTOCOL_VERSION } as const;

const version = z.number().int().min(0);
export const protocolRangeSchema = z.object({ min: version, max: version });
export type ProtocolRange = z.infer<typeof protocolRangeSchema>;

/**
 * Why a handshake's version is refused: older than the server's oldest (the client needs an
 * update), newer than its newest (the server needs one), or no version at all (missing, or
 * not a whole number).
 */
export const PROTOCOL_REFUSALS = ['CLIENT_TOO_OLD', 'CLIENT_TOO_NEW', 'NO_VERSION'] as const;
export type ProtocolRefusalReason = (typeof PROTOCOL_REFUSALS)[number];

/** Where `version` stands against `range`: null when admitted. */
export function protocolRefusalReason(
  version: number | null,
  range: ProtocolRange = SUPPORTED_PROTOCOLS,
): ProtocolRefusalReason | null {
  if (version === null || !Number.isSafeInteger(version)) return 'NO_VERSION';
  if (version < range.min) return 'CLIENT_TOO_OLD';
  if (version > range.max) return 'CLIENT_TOO_NEW';
  return null;
}

/** "1", or "1 to 3". */
export function formatProtocolRange(range: ProtocolRange): string {
  return range.min === range.max ? `${range.min}` : `${range.min} to ${range.max}`;
}

/** The `data` of a PROTOCOL connect_error (message: `PROTOCOL`). */
export const protocolRefusalSchema = z.object({
  code: z.literal('PROTOCOL'),
  message: z.string(),
  reason: z.enum(PROTOCOL_REFUSALS),
  supported: protocolRangeSchema,
});
export type ProtocolRefusal = z.infer<typeof protocolRefusalSchema>;

/**
 * Servers from before version ranges admitted protocol 1 only and sent `{code, message}`
 * alone: one of them refusing a client that states a version means the client is newer.
 */
const PRE_RANGE_SERVER: ProtocolRange = { min: 1, max: 1 };

/**
 * For clients (console, overlays, court wall, partners): the version refusal in a
 * socket.io-client `connect_error`, or null when the error is anything else (then retrying
 * may help; a version refusal it never does).
 */
export function protocolRefusalOf(error: unknown): ProtocolRefusal | null {
  if (!(error instanceof Error) || error.message !== 'PROTOCOL') return null;
  const data: unknown = (error as Error & { data?: unknown }).data;
  const parsed = protocolRefusalSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const message = (data as { message?: unknown } | undefined)?.message;
  return {
    code: 'PROTOCOL',
    message: typeof message === 'string' ? message : 'protocol version refused',
    reason: 'CLIENT_TOO_NEW',
    supported: PRE_RANGE_SERVER,
  };
}

/** What to show the operator instead of retrying, e.g. "…speaks protocol 1; the server only 2 to 3: update this console". */
export function describeProtocolRefusal(
  refusal: Pick<ProtocolRefusal, 'reason' | 'supported'>,
  client: { name: string; version: number } = { name: 'this client', version: PROTOCOL_VERSION },
): string {
  const server = formatProtocolRange(refusal.supported);
  switch (refusal.reason) {
    case 'CLIENT_TOO_OLD':
      return `${client.name} speaks protocol ${client.version}; the server only ${server}: update ${client.name}`;
    case 'CLIENT_TOO_NEW':
      return `${client.name} speaks protocol ${client.version}; the server only ${server}: update the server`;
    case 'NO_VERSION':
      return `${client.name} sent no protocol version; the server speaks ${server}`;
    default: {
      const never: never = refusal.reason;
      throw new Error(`unknown protocol refusal ${String(never)}`);
    }
  }
}
