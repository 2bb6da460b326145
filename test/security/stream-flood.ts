/**
 * The attacker of the stream tests, as a process of its own (so its thousand clients do
 * not share the test's event loop, where the honest console measures its acks):
 * `node --import tsx test/security/stream-flood.ts <url> <token,token,...> <count>` opens
 * `count` concurrent `GET /api/stream?token=` (tokens in turn), prints one JSON line
 * with every answer `{status, code, retryAfter}` once all have answered, and holds the
 * served streams open until stdin closes.
 */
export {};

const [url, tokenList, countText] = process.argv.slice(2);
const tokens = tokenList!.split(',');
const count = Number(countText);
const held: Response[] = [];

const answers = await Promise.all(
  Array.from({ length: count }, async (_, i) => {
    const res = await fetch(`${url}/api/stream?token=${tokens[i % tokens.length]}`);
    if (res.status === 200) {
      held.push(res); // referenced: an unreferenced Response is collected and its stream cancelled
      return { status: 200, code: null, retryAfter: null };
    }
    const body = (await res.json()) as { error: { code: string } };
    return { status: res.status, code: body.error.code, retryAfter: res.headers.get('retry-after') };
  }),
);
process.stdout.write(`${JSON.stringify(answers)}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
