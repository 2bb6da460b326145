import net from 'node:net';

/**
 * A free loopback port below 32768: the kernel hands out 32768-60999 for outgoing
 * connections, and a listener there can collide with them (EADDRINUSE).
 */
export async function freeLoopbackPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 10000 + Math.floor(Math.random() * 22000);
    if (await isFree(port)) return port;
  }
  throw new Error('no free loopback port below 32768');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
