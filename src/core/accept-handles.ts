import { spawn, type ChildProcess } from 'node:child_process';
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
const ECHO_HELPER = "process.on('message', (m, h) => process.send(m, h))";
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

/**
 * Adds `count` accepting handles to a listening server, with the server's queue of pending connections
 * (`backlog`: listening again on the socket sets it anew). All or nothing: on failure, those already
 * added are closed and the error is thrown. `helper` is the helper's script (tests give a faulty one).
 */
export async function addAcceptHandles(
  server: Server,
  count: number,
  options: { backlog: number; helper?: string },
): Promise<AcceptHandles> {
  const handle = (server as unknown as { _handle?: NativeHandle | null })._handle;
  const extra: net.Server[] = [];
  const closeAll = () =>
    Promise.all(extra.map((e) => new Promise<void>((resolve) => e.close(() => resolve())))).then(
      () => undefined,
    );
  if (!handle || count <= 0) return { count: 0, close: closeAll };
  const helper = spawn(process.execPath, ['-e', options.helper ?? ECHO_HELPER], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: {},
  });
  const timer = setTimeout(() => helper.kill(), HELPER_TIMEOUT_MS);
  try {
    for (let i = 0; i < count; i++)
      extra.push(await acceptorFor(server, await echoed(helper, handle), options));
    return { count: extra.length, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  } finally {
    clearTimeout(timer);
    if (helper.connected) helper.disconnect();
  }
}

/** The listening handle, back from the helper under a new descriptor. */
function echoed(helper: ChildProcess, handle: NativeHandle): Promise<NativeHandle> {
  return new Promise<NativeHandle>((resolve, reject) => {
    const onMessage = (_m: unknown, h: unknown) => {
      off();
      if (h) resolve(h as NativeHandle);
      else reject(new Error('the helper process sent no handle back'));
    };
    const onExit = () => {
      off();
      reject(new Error('the helper process exited before sending the handle back'));
    };
    const off = () => {
      helper.off('message', onMessage);
      helper.off('exit', onExit);
      helper.off('error', onExit);
    };
    helper.on('message', onMessage);
    helper.once('exit', onExit);
    helper.once('error', onExit);
    // A raw handle (not a net.Server) is passed as is: the helper never starts accepting on it.
    helper.send('listen', handle as never);
  });
}

async function acceptorFor(server: Server, copy: NativeHandle, options: { backlog: number }) {
  // The socket options of Node's HTTP server, so a connection behaves the same whichever handle took it.
  const acceptor = new net.Server({ allowHalfOpen: true, noDelay: true });
  acceptor.on('connection', (socket) => server.emit('connection', socket));
  // An accept error is the server's, as it would be on its own handle.
  acceptor.on('error', (err) => server.emit('error', err));
  try {
    acceptor.listen(copy, options.backlog);
    await once(acceptor, 'listening');
  } catch (err) {
    copy.close();
    throw err;
  }
  return acceptor;
}
