/** Reads a Server-Sent Events response with fetch, for tests: every event, in order. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export interface SseReader {
  status: number;
  events: SseEvent[];
  comments: string[];
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const reader: SseReader = { status: res.status, events: [], comments: [], close: () => controller.abort() };
  if (!res.ok || !res.body) return reader;
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) reader.comments.push(line.slice(1).trim());
            else if (line.startsWith('event:')) event.event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            else if (line.startsWith('id:')) event.id = line.slice(3).trim();
          }
          if (data.length > 0) reader.events.push({ ...event, data: data.join('\n') });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return reader;
}

/**
 * Complete events of a captured SSE body (curl's stdout), as a third-party client sees them:
 * blocks up to the last blank line, events without data left out.
 */
export function parseSseText(text: string): SseEvent[] {
  const out: SseEvent[] = [];
  for (const block of text.split('\n\n').slice(0, -1)) {
    const event: SseEvent = { event: 'message', data: '' };
    for (const line of block.split('\n')) {
      if (line.startsWith('id:')) event.id = line.slice(3).trim();
      else if (line.startsWith('event:')) event.event = line.slice(6).trim();
      else if (line.startsWith('data:')) event.data += line.slice(5).trim();
    }
    if (event.data) out.push(event);
  }
  return out;
}
