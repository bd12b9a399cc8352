import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import type { Server } from 'node:http';

/**
 * Extra handles on a server's listening socket, so that a busy server still takes in new connections at
 * the rate they come.
 *
 * Why: since libuv 1.45 (Node 20), a listening handle accepts one connection per turn of the event loop.
 * When a room of phones opens a quiz at once, the loop is busy and a turn lasts 50–150 ms: the server took
 * in 10–20 connections a second while 200 a second arrived, and a phone's first page waited 15–50 s in the
 * kernel's queue before the app ever saw it, while phones already connected were answered in 0.3 s. Each
 * extra handle on the same socket accepts one more connection per turn.
 *
 * How: Node cannot duplicate a socket's descriptor itself, but passing a handle to another process does
 * (SCM_RIGHTS). A short-lived helper process gets the listening handle and sends it straight back, once per
 * extra handle; it never listens on it, so it never takes a connection. Each handle that comes back hands
 * what it accepts to the HTTP server, which keeps owning every connection (timeouts, keep-alive, closing).
 * Unlike SO_REUSEPORT (Node 22.12+), this cannot let a second, forgotten instance share the port.
 */
const ECHO = "process.on('message', (m, h) => process.send(m, h, () => process.disconnect()))";
const HELPER_TIMEOUT_MS = 5000;

interface NativeHandle {
  close(): void;
}

export interface AcceptHandles {
  count: number;
  /**
   * Stops accepting; resolves once every connection they took in has closed. The server's own close()
   * does not wait for those (each net.Server counts only the connections it accepted itself), so a
   * graceful stop waits for both.
   */
  close(): Promise<void>;
}

/** Adds `count` accepting handles to a listening server. */
export async function addAcceptHandles(server: Server, count: number): Promise<AcceptHandles> {
  const handle = (server as unknown as { _handle?: NativeHandle | null })._handle;
  const extra: net.Server[] = [];
  if (handle) for (let i = 0; i < count; i++) extra.push(await echoed(server, handle));
  return {
    count: extra.length,
    close: () =>
      Promise.all(extra.map((e) => new Promise<void>((resolve) => e.close(() => resolve())))).then(
        () => undefined,
      ),
  };
}

/** One round trip through a helper: the same listening socket under a new descriptor, accepting for `server`. */
async function echoed(server: Server, handle: NativeHandle): Promise<net.Server> {
  // A helper per handle: it disconnects after sending, so nothing of it outlives the start.
  const helper = spawn(process.execPath, ['-e', ECHO], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: {},
  });
  const timer = setTimeout(() => helper.kill(), HELPER_TIMEOUT_MS);
  try {
    const reply = new Promise<NativeHandle>((resolve, reject) => {
      helper.once('message', (_m, h) =>
        h ? resolve(h as unknown as NativeHandle) : reject(new Error('no handle came back')),
      );
      helper.once('exit', () => reject(new Error('the helper process exited without answering')));
      helper.once('error', reject);
    });
    // A raw handle (not a net.Server) is passed as is: the helper never starts accepting on it.
    helper.send('listen', handle as never);
    const copy = await reply;
    const acceptor = new net.Server();
    acceptor.on('connection', (socket) => server.emit('connection', socket));
    acceptor.listen(copy);
    await once(acceptor, 'listening');
    return acceptor;
  } finally {
    clearTimeout(timer);
    if (helper.connected) helper.disconnect();
  }
}
