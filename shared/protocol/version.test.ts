/** Version ranges: too old, too new and no version are told apart, and clients read them back from a connect_error. */
import { describe, expect, it } from 'vitest';
import {
  describeProtocolRefusal,
  formatProtocolRange,
  protocolRefusalOf,
  protocolRefusalReason,
  SUPPORTED_PROTOCOLS,
  PROTOCOL_VERSION,
} from './version.js';

/** A connect_error as socket.io-client hands it over: message the code, the server's data beside it. */
function connectError(message: string, data?: unknown): Error {
  return Object.assign(new Error(message), { data });
}

describe('protocol versions', () => {
  it('admits the range and names what is outside it', () => {
    const range = { min: 2, max: 4 };
    expect(protocolRefusalReason(2, range)).toBeNull();
    expect(protocolRefusalReason(4, range)).toBeNull();
    expect(protocolRefusalReason(1, range)).toBe('CLIENT_TOO_OLD');
    expect(protocolRefusalReason(5, range)).toBe('CLIENT_TOO_NEW');
    expect(protocolRefusalReason(null, range)).toBe('NO_VERSION');
    expect(protocolRefusalReason(2.5, range)).toBe('NO_VERSION');
    // This build keeps admitting the version it speaks.
    expect(protocolRefusalReason(PROTOCOL_VERSION)).toBeNull();
    expect(formatProtocolRange(range)).toBe('2 to 4');
    expect(formatProtocolRange({ min: 1, max: 1 })).toBe('1');
  });

  it('reads a version refusal from a connect_error, and nothing else', () => {
    const data = {
      code: 'PROTOCOL',
      message: 'protocol 1 is not supported',
      reason: 'CLIENT_TOO_OLD',
      supported: { min: 2, max: 3 },
    };
    expect(protocolRefusalOf(connectError('PROTOCOL', data))).toEqual(data);
    expect(protocolRefusalOf(connectError('UNAUTHORIZED', { code: 'UNAUTHORIZED', message: 'x' }))).toBeNull();
    expect(protocolRefusalOf(connectError('xhr poll error'))).toBeNull();
    expect(protocolRefusalOf('PROTOCOL')).toBeNull();
    // A server from before version ranges sent {code, message} only: it spoke 1, so the client is newer.
    expect(
      protocolRefusalOf(connectError('PROTOCOL', { code: 'PROTOCOL', message: 'protocol 2 is not supported' })),
    ).toEqual({
      code: 'PROTOCOL',
      message: 'protocol 2 is not supported',
      reason: 'CLIENT_TOO_NEW',
      supported: { min: 1, max: 1 },
    });
  });

  it('says who must update', () => {
    const console = { name: 'this console', version: 1 };
    expect(describeProtocolRefusal({ reason: 'CLIENT_TOO_OLD', supported: { min: 2, max: 3 } }, console)).toBe(
      'this console speaks protocol 1; the server only 2 to 3: update this console',
    );
    expect(describeProtocolRefusal({ reason: 'CLIENT_TOO_NEW', supported: { min: 0, max: 0 } }, console)).toBe(
      'this console speaks protocol 1; the server only 0: update the server',
    );
    expect(describeProtocolRefusal({ reason: 'NO_VERSION', supported: SUPPORTED_PROTOCOLS })).toMatch(
      /no protocol version/,
    );
  });
});
