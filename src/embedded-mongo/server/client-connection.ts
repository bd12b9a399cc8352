import type { Socket } from 'node:net';
import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { ConnectionState, Logger, ServerState } from '../commands/command-context.js';
import { isHandshakeCommand, runCommand } from '../commands/run-command.js';
import { MessageParseError, parseMessage, readHeader } from '../wire/message-parser.js';
import { encodeOpMsg, encodeOpReply } from '../wire/reply-encoder.js';
import { MessageReader } from '../wire/message-reader.js';
import { OpCode, OpMsgFlags } from '../wire/protocol.js';

/**
 * Backpressure bounds: a client that pipelines requests without reading the replies stops being read
 * once this many requests wait in its queue, or once this many reply bytes wait in its send buffer.
 * Without them one such client could make the store buffer without limit.
 */
const MAX_QUEUED_REQUESTS = 128;
const MAX_UNSENT_REPLY_BYTES = 8 * 1024 * 1024;

/**
 * One client socket. Messages are handled strictly in arrival order (a client may pipeline), while other
 * connections interleave freely, so their writes share the engine's group commit. Nothing a client sends
 * can throw out of here: bad input ends in an error reply or in closing this socket only.
 */
export class ClientConnection {
  readonly state: ConnectionState;
  private readonly reader = new MessageReader();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly server: ServerState,
    id: number,
    private readonly log: Logger,
    onClose: (conn: ClientConnection) => void,
  ) {
    const remote = socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort ?? 0}` : 'unix-socket';
    this.state = {
      id,
      remoteAddress: remote,
      authenticated: server.scram === undefined,
      user: undefined,
      scram: undefined,
    };
    socket.setNoDelay?.(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {
      // A reset by the peer is normal churn; 'close' follows and cleans up.
    });
    socket.on('drain', () => this.resumeIfRoom());
    socket.on('close', () => {
      this.closed = true;
      onClose(this);
    });
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let messages: Buffer[];
    try {
      messages = this.reader.push(chunk);
    } catch (err) {
      this.log(`connection ${this.state.id}: ${(err as Error).message}; closing it`);
      // Past a bad length the stream cannot be re-synchronised.
      this.destroy();
      return;
    }
    for (const message of messages) {
      this.queued++;
      this.queue = this.queue
        .then(() => this.handle(message))
        .catch((err: unknown) => {
          this.log(
            `connection ${this.state.id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
          );
          this.destroy();
        })
        .finally(() => {
          this.queued--;
          this.resumeIfRoom();
        });
    }
    if (this.queued >= MAX_QUEUED_REQUESTS) this.socket.pause();
  }

  private resumeIfRoom(): void {
    if (this.closed || !this.socket.isPaused()) return;
    if (this.queued < MAX_QUEUED_REQUESTS && this.socket.writableLength < MAX_UNSENT_REPLY_BYTES) {
      this.socket.resume();
    }
  }

  private async handle(buf: Buffer): Promise<void> {
    if (this.closed) return;
    const header = readHeader(buf);
    let parsed;
    try {
      parsed = parseMessage(buf);
    } catch (err) {
      if (err instanceof MessageParseError) {
        this.send(header.opCode === OpCode.QUERY ? 'reply' : 'msg', header.requestId, err.toReply());
        return;
      }
      // An opcode we do not speak (OP_COMPRESSED, legacy CRUD, garbage): MongoDB closes the connection too.
      this.log(`connection ${this.state.id}: ${(err as Error).message}; closing it`);
      this.destroy();
      return;
    }
    if (parsed.kind === 'query') {
      const reply = await this.legacyHandshake(parsed.fullCollectionName, parsed.query);
      this.send('reply', header.requestId, reply);
      return;
    }
    const db: unknown = parsed.command.$db;
    const reply =
      typeof db === 'string' && db.length > 0
        ? await runCommand(this.server, this.state, db, parsed.command, this.log)
        : new MongoCommandError(ErrorCodes.FailedToParse, 'OP_MSG requests require a $db argument').toReply();
    // moreToCome: the client does not want an answer (unacknowledged writes, endSessions at disconnect).
    if (!(parsed.flags & OpMsgFlags.moreToCome)) this.send('msg', header.requestId, reply);
  }

  /** OP_QUERY is accepted only for the driver's first hello/isMaster on `<db>.$cmd`. */
  private async legacyHandshake(fullCollectionName: string, query: Document): Promise<Document> {
    const dot = fullCollectionName.indexOf('.');
    const db = dot > 0 ? fullCollectionName.slice(0, dot) : '';
    const name = Object.keys(query)[0] ?? '';
    if (fullCollectionName.slice(dot + 1) !== '$cmd' || !db || !isHandshakeCommand(name)) {
      return new MongoCommandError(
        ErrorCodes.IllegalOperation,
        `OP_QUERY is no longer supported; only the hello/isMaster handshake may use it (got '${name}' on ${fullCollectionName})`,
      ).toReply();
    }
    return runCommand(this.server, this.state, db, query, this.log);
  }

  private send(kind: 'msg' | 'reply', responseTo: number, reply: Document): void {
    if (this.closed) return;
    let bytes: Buffer;
    try {
      bytes = kind === 'msg' ? encodeOpMsg(responseTo, reply) : encodeOpReply(responseTo, reply);
    } catch (err) {
      const error = new MongoCommandError(
        ErrorCodes.InternalError,
        `cannot encode reply: ${(err as Error).message}`,
      );
      bytes =
        kind === 'msg'
          ? encodeOpMsg(responseTo, error.toReply())
          : encodeOpReply(responseTo, error.toReply());
    }
    this.socket.write(bytes);
    // The client is not reading its replies: stop reading its requests until 'drain'.
    if (this.socket.writableLength >= MAX_UNSENT_REPLY_BYTES) this.socket.pause();
  }
}
