import { expect } from 'chai';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { addAcceptHandles } from '../../src/core/accept-handles.js';
import { inTurns } from '../../src/core/request-turns.js';

/** Keeps the event loop busy, as a loaded server's request handling does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** How many connections a server takes in during one turn of its event loop, when `clients` are waiting. */
async function takenInOneTurn(extraHandles: number, clients: number): Promise<number> {
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const extra = await addAcceptHandles(server, extraHandles, { backlog: 511 });
  const sockets: net.Socket[] = [];
  try {
    let accepted = 0;
    server.on('connection', () => (accepted += 1));
    const { port } = server.address() as AddressInfo;
    // From the check phase of one turn: connect (at the end of this turn; the kernel completes the
    // handshakes at once), and count in the check phase of the next turn, right after its one poll for I/O.
    const inOneTurn = await new Promise<number>((resolve) =>
      setImmediate(() => {
        for (let i = 0; i < clients; i++) sockets.push(net.connect(port, '127.0.0.1').on('error', () => {}));
        setImmediate(() => resolve(accepted));
      }),
    );
    return inOneTurn;
  } finally {
    for (const s of sockets) s.destroy();
    const extraClosed = extra.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await extraClosed;
  }
}

describe('a busy server takes in new connections and starts requests fairly', () => {
  it('takes in one connection per handle in a turn of its event loop: a plain server one, with seven more handles eight', async () => {
    expect(await takenInOneTurn(0, 8)).to.equal(1);
    expect(await takenInOneTurn(7, 8)).to.equal(8);
  });

  it('connections taken in by the extra handles are served by the server, kept alive, and closed with it', async () => {
    const server = http.createServer((_req, res) => res.end('served'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const extra = await addAcceptHandles(server, 3, { backlog: 511 });
    expect(extra.count).to.equal(3);
    let connections = 0;
    server.on('connection', () => (connections += 1));
    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<string>((resolve, reject) =>
        http
          .get({ port, host: '127.0.0.1', agent }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve(body));
          })
          .on('error', reject),
      );
    expect([await get(), await get(), await get()]).to.deep.equal(['served', 'served', 'served']);
    expect(connections).to.equal(1);
    const extraClosed = extra.close();
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    agent.destroy();
    await Promise.all([serverClosed, extraClosed]);
    // Nothing listens on the port any more, under any of the handles.
    const refused = await new Promise<string>((resolve) =>
      net
        .connect(port, '127.0.0.1')
        .on('connect', function (this: net.Socket) {
          this.destroy();
          resolve('connected');
        })
        .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error')),
    );
    expect(refused).to.equal('ECONNREFUSED');
  });

  it('starts requests in the order they arrived, only a slice of them per turn when each one is slow', async () => {
    const started: number[] = [];
    const listener = inTurns((req) => {
      started.push(Number(req.url));
      busy(1);
    }, 2);
    for (let i = 0; i < 20; i++)
      listener(
        { url: String(i), socket: { destroyed: false } } as unknown as IncomingMessage,
        {} as ServerResponse,
      );
    expect(started, 'nothing starts before the turn ends').to.deep.equal([]);
    // A check-phase callback queued now runs after the first slice, in the same turn.
    const afterFirstTurn = await new Promise<number>((resolve) =>
      setImmediate(() => resolve(started.length)),
    );
    expect(afterFirstTurn).to.be.within(1, 4);
    while (started.length < 20) await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.deep.equal(Array.from({ length: 20 }, (_, i) => i));
  });
  it('keeps the queue of pending connections it is given (listening again on the socket would reset it)', async function () {
    let ss: string;
    try {
      execFileSync('ss', ['-V']);
    } catch {
      this.skip();
    }
    const server = http.createServer();
    await new Promise<void>((resolve) =>
      server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
    );
    const extra = await addAcceptHandles(server, 2, { backlog: 4096 });
    try {
      const { port } = server.address() as AddressInfo;
      ss = execFileSync('ss', ['-ltnH', `sport = :${port}`]).toString();
      // For a listening socket, ss shows the queue's size in its third column (Send-Q).
      expect(ss.trim().split(/\s+/)[2]).to.equal('4096');
    } finally {
      await Promise.all([extra.close(), new Promise<void>((resolve) => server.close(() => resolve()))]);
    }
  });

  it('all or nothing: when the helper fails part way, the handles already added are closed and the error thrown', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const descriptors = () => readdirSync('/proc/self/fd').length;
    const before = descriptors();
    const answersOnce = "process.once('message', (m, h) => process.send(m, h, () => process.exit(0)))";
    let error: Error | undefined;
    await addAcceptHandles(server, 3, { backlog: 511, helper: answersOnce }).catch(
      (err: Error) => (error = err),
    );
    expect(error?.message).to.match(/helper process exited/);
    expect(descriptors()).to.equal(before);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('does not start a request whose connection closed while it waited', async () => {
    const started: string[] = [];
    const listener = inTurns((req) => started.push(String(req.url)));
    listener(
      { url: 'gone', socket: { destroyed: true } } as unknown as IncomingMessage,
      {} as ServerResponse,
    );
    listener(
      { url: 'here', socket: { destroyed: false } } as unknown as IncomingMessage,
      {} as ServerResponse,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.deep.equal(['here']);
  });
});
