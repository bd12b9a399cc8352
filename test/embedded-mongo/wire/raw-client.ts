/** A bare wire-protocol client over a real socket, for sending what no driver would send. */
import net from 'node:net';
import { BSON, type Document } from 'bson';

export const OP_MSG = 2013;
export const OP_QUERY = 2004;

/** Where a socket-mode URI (mongodb://<encoded path>/?...) points. */
export function socketPathOf(uri: string): string {
  const host = /^mongodb:\/\/([^/]+)\//.exec(uri)?.[1];
  if (!host) throw new Error(`not a socket URI: ${uri}`);
  return decodeURIComponent(host);
}

export function header(length: number, requestId: number, opCode: number): Buffer {
  const buf = Buffer.alloc(16);
  buf.writeInt32LE(length, 0);
  buf.writeInt32LE(requestId, 4);
  buf.writeInt32LE(0, 8);
  buf.writeInt32LE(opCode, 12);
  return buf;
}

export interface OpMsgOptions {
  flags?: number;
  sequences?: Record<string, Document[]>;
}

export function opMsg(requestId: number, body: Document, options: OpMsgOptions = {}): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  for (const [name, docs] of Object.entries(options.sequences ?? {})) {
    const payload = Buffer.concat([
      Buffer.from(`${name}\0`),
      ...docs.map((d) => Buffer.from(BSON.serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.flags ?? 0, 0);
  const rest = Buffer.concat([flags, ...parts]);
  return Buffer.concat([header(16 + rest.length, requestId, OP_MSG), rest]);
}

export function opQuery(requestId: number, ns: string, query: Document): Buffer {
  const rest = Buffer.concat([
    Buffer.alloc(4), // flags
    Buffer.from(`${ns}\0`),
    Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), // skip 0, return -1
    Buffer.from(BSON.serialize(query)),
  ]);
  return Buffer.concat([header(16 + rest.length, requestId, OP_QUERY), rest]);
}

export interface Reply {
  opCode: number;
  responseTo: number;
  doc: Document;
}

function parseReply(buf: Buffer): Reply {
  const opCode = buf.readInt32LE(12);
  const responseTo = buf.readInt32LE(8);
  // OP_MSG: flags(4) kind(1) doc; OP_REPLY: flags(4) cursorId(8) startingFrom(4) numberReturned(4) doc
  const docStart = opCode === OP_MSG ? 21 : 36;
  // Longs stay Long so int64 cursor ids survive the round trip exactly.
  return { opCode, responseTo, doc: BSON.deserialize(buf.subarray(docStart), { promoteLongs: false }) };
}

export class RawClient {
  /** Received bytes not yet cut into replies, kept as chunks: copying them on every chunk is quadratic. */
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiters: ((reply: Reply) => void)[] = [];
  private replies: Reply[] = [];
  readonly closed: Promise<void>;
  isClosed = false;
  private nextId = 1;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.isClosed = true;
        resolve();
      }),
    );
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.buffered < 4) return;
      if (this.chunks[0]!.length < 4) this.chunks = [Buffer.concat(this.chunks)];
      const length = this.chunks[0]!.readInt32LE(0);
      if (this.buffered < length) return;
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      const reply = parseReply(all.subarray(0, length));
      this.chunks = all.length > length ? [all.subarray(length)] : [];
      this.buffered -= length;
      const waiter = this.waiters.shift();
      if (waiter) waiter(reply);
      else this.replies.push(reply);
    }
  }

  static connect(target: string | number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = typeof target === 'number' ? net.connect(target, '127.0.0.1') : net.connect(target);
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /**
   * The next reply, or a rejection when the server closes the connection first. It waits for one of
   * those two events and for no clock: how long a loaded machine takes is bounded by the test's own
   * timeout, not guessed here.
   */
  nextReply(): Promise<Reply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      let settled = false;
      this.waiters.push((reply) => {
        settled = true;
        resolve(reply);
      });
      void this.closed.then(() => {
        if (!settled) reject(new Error('connection closed before the reply'));
      });
    });
  }

  async command(db: string, cmd: Document, options: OpMsgOptions = {}): Promise<Document> {
    const id = this.nextId++;
    this.send(opMsg(id, { ...cmd, $db: db }, options));
    const reply = await this.nextReply();
    if (reply.responseTo !== id) throw new Error(`reply to ${reply.responseTo}, expected ${id}`);
    return reply.doc;
  }

  close(): Promise<void> {
    this.socket.end();
    return this.closed;
  }
}
