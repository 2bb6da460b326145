/**
 * The screen's adapter over a real Socket.io host on loopback: the view fetched on connect
 * reaches the screen unless a push overtook it (then the push, the newer view, stays).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, expect, it, vi } from 'vitest';
import type { ConsoleView } from '../../../contract/api.js';
import { BRIDGE_CHANNELS, type HostClientToServer, type HostServerToClient } from '../../../contract/channels.js';
import { createSocketConsoleApi, type SocketConsoleApi } from './socket-console-api.js';

/** Views told apart by their match's seq; the adapter only relays them. */
const viewAt = (seq: number) => ({ snapshot: { seq } }) as unknown as ConsoleView;
const seqOf = (view: ConsoleView | undefined) => view?.snapshot?.seq;

let host: Server<HostClientToServer, HostServerToClient> | null = null;
let api: SocketConsoleApi | null = null;

afterEach(async () => {
  api?.close();
  await new Promise<void>((resolve) => (host ? void host.close(() => resolve()) : resolve()));
  host = api = null;
});

/** A host that answers every fetch with `answer`; before the first answer it pushes `pushFirst` if given. */
async function startHost(answer: ConsoleView, pushFirst: ConsoleView | null): Promise<string> {
  const server = http.createServer();
  host = new Server(server);
  let pushed = false;
  host.on('connection', (socket) => {
    socket.on(BRIDGE_CHANNELS.view, (ack) => {
      if (pushFirst && !pushed) socket.emit(BRIDGE_CHANNELS.viewPush, pushFirst);
      pushed = true;
      ack(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it('shows the view fetched on connect', async () => {
  const url = await startHost(viewAt(5), null);
  api = createSocketConsoleApi({ url });
  const seen: ConsoleView[] = [];
  api.subscribe((view) => seen.push(view));
  await vi.waitFor(() => expect(seen.map(seqOf)).toEqual([5]));
});

it('keeps a push that overtook the connect-time answer (the answer may be older)', async () => {
  const url = await startHost(viewAt(5), viewAt(6));
  api = createSocketConsoleApi({ url });
  const seen: ConsoleView[] = [];
  api.subscribe((view) => seen.push(view));
  await vi.waitFor(() => expect(seen.map(seqOf)).toContain(6));
  // The answer was sent after the push on the same ordered link: by the time a later view
  // round trip returns, it has arrived, and it must not have replaced the pushed view.
  expect(seqOf(await api.view())).toBe(5);
  expect(seen.map(seqOf)).toEqual([6]);
});
