import { createServer, type RequestListener, type Server } from 'node:http';
import { addAcceptHandles } from './accept-handles.js';
import type { Logger } from './logger.js';
import { inTurns } from './request-turns.js';

/** Connections taken in per turn of a busy event loop: the server's own handle and these (accept-handles.ts). */
const EXTRA_ACCEPT_HANDLES = 7;
/**
 * Pending connections the kernel queues for the app. A training room's phones connect at once when a quiz
 * opens; Node's default queue of 511 resets the rest (the quiz burst bench lost a quarter of 2,000 members).
 */
const BACKLOG = 4096;

export interface HttpListener {
  server: Server;
  /**
   * Stops accepting and waits for requests in flight; idle keep-alive connections are closed at once, and
   * the others as soon as their response is done, rather than after the keep-alive timeout.
   */
  close(): Promise<void>;
}

/**
 * The app on a port, as a room of phones needs it: requests started in turns (request-turns.ts), new
 * connections taken in by several handles (accept-handles.ts), a long queue of pending connections and
 * keep-alive longer than a member thinks over a question. The server and the browser tests both listen
 * through here.
 */
export async function listenHttp(
  app: RequestListener,
  address: { port: number; host?: string },
  logger: Pick<Logger, 'warn'>,
): Promise<HttpListener> {
  const server = createServer(inTurns(app));
  // An idle kept-alive connection stays open longer than a member thinks over a question: closed after 5 s
  // (Node's default), a phone's next save could race the close and be reset (the quiz burst bench lost 28
  // of 32,000 saves that way). Shutdown is not held up by them: close() ends idle connections.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ ...address, backlog: BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const acceptors = await addAcceptHandles(server, EXTRA_ACCEPT_HANDLES, { backlog: BACKLOG }).catch(
    (err: unknown) => {
      // Not fatal: the server accepts as before, one connection per turn of its event loop.
      logger.warn(
        { err },
        'could not add accepting handles; new connections may wait while the server is busy',
      );
      return { count: 0, close: () => Promise.resolve() };
    },
  );
  return {
    server,
    async close() {
      const acceptorsClosed = acceptors.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      await Promise.all([closed, acceptorsClosed]);
      clearInterval(sweep);
    },
  };
}
