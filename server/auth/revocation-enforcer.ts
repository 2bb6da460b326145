/**
 * Ends what a revoked token or a deleted/disabled user still holds open on this process:
 * its sockets on every namespace (session:end {code: UNAUTHORIZED}, then disconnect) and
 * its SSE streams (the response ends). Every process runs one, fed by its AuthGate, so a
 * revocation reaches the sockets and streams of every process.
 */
import type { RequestHandler, Response } from 'express';
import type { Namespace } from 'socket.io';
import type { AuthUser } from '../broadcast/deps.js';
import type { Logger } from '../logger.js';
import type { SocketData } from '../sockets/handshake.js';
import type { AuthChange, AuthGate } from './auth-gate.js';

function matches(user: AuthUser | undefined, change: AuthChange): boolean {
  if (!user) return false;
  switch (change.kind) {
    case 'token':
      return user.tokenId === change.jti;
    case 'user':
      return !user.subject && user.id === change.id;
  }
}

function reason(change: AuthChange): string {
  switch (change.kind) {
    case 'token':
      return 'token revoked; log in again';
    case 'user':
      return 'user deleted or disabled';
  }
}

/** Open SSE streams of this process, by the user whose token opened them. */
export class StreamRegistry {
  private readonly open = new Map<Response, AuthUser>();

  /** Express middleware in front of the stream handler (after requireRole). */
  readonly track: RequestHandler = (_req, res, next) => {
    const user = res.locals.user as AuthUser | undefined;
    if (user) {
      this.open.set(res, user);
      res.on('close', () => this.open.delete(res));
    }
    next();
  };

  /** Open streams per token id (the court wall's connection counts). */
  countByToken(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const user of this.open.values())
      if (user.tokenId) counts.set(user.tokenId, (counts.get(user.tokenId) ?? 0) + 1);
    return counts;
  }

  close(change: AuthChange): number {
    let closed = 0;
    for (const [res, user] of this.open) {
      if (!matches(user, change)) continue;
      this.open.delete(res);
      closed++;
      // The stream's own 'close' handler stops its subscriptions.
      res.end();
      res.socket?.destroy();
    }
    return closed;
  }
}

export function enforceRevocations(
  gate: AuthGate,
  namespaces: () => Namespace<any, any, any, SocketData>[],
  streams: StreamRegistry,
  logger: Logger,
): () => void {
  return gate.onChange((change) => {
    let sockets = 0;
    for (const nsp of namespaces())
      for (const socket of nsp.sockets.values()) {
        if (!matches(socket.data.user, change)) continue;
        sockets++;
        socket.emit('session:end', { code: 'UNAUTHORIZED', message: reason(change) });
        socket.disconnect(true);
      }
    const closed = streams.close(change);
    if (sockets || closed) logger.info({ change, sockets, streams: closed }, 'auth: sessions ended (revoked)');
  });
}
