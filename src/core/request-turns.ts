import type { IncomingMessage, ServerResponse } from 'node:http';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Starts requests in the order they arrived, a few milliseconds' worth per turn of the event loop.
 *
 * Why: the event loop takes in new connections (and reads new requests) once per turn. Handled as they are
 * read, the requests that arrive together all start in the same turn, and the turn lasts as long as all
 * their work: under load, 100 ms and more, during which no phone can connect. Started from a queue, a
 * slice at a time, the loop comes round every few milliseconds: phones that have just connected are taken
 * in at once and queue behind the requests that came before them, instead of waiting outside until the
 * server is idle. When the server is not busy a request waits for nothing but the end of the current turn.
 */
export function inTurns(listener: Listener, sliceMs = 2): Listener {
  const waiting: [IncomingMessage, ServerResponse][] = [];
  let head = 0;
  let scheduled = false;

  const run = (): void => {
    const until = performance.now() + sliceMs;
    try {
      do {
        const [req, res] = waiting[head]!;
        waiting[head++] = undefined as never;
        // A phone that gave up while its request waited is not served: its work would go to no one.
        if (!req.socket.destroyed) listener(req, res);
      } while (head < waiting.length && performance.now() < until);
    } finally {
      // Drop what has started, now and then, rather than shifting the array on every request.
      if (head === waiting.length || head > 1024) {
        waiting.splice(0, head);
        head = 0;
      }
      scheduled = waiting.length > 0;
      if (scheduled) setImmediate(run);
    }
  };

  return (req, res) => {
    waiting.push([req, res]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(run);
    }
  };
}
