import type { Document } from 'bson';
import { decodeDocument } from '../bson/decode-document.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { crc32c } from './crc32c.js';
import { HEADER_SIZE, OpCode, OpMsgFlags, type MessageHeader } from './protocol.js';

/**
 * Parsing one wire message as MessageReader cut it: OP_MSG (sections, document sequences, the CRC-32C
 * trailer) and OP_QUERY, which only the first handshake may use.
 */

export type ParsedMessage =
  | { kind: 'msg'; header: MessageHeader; flags: number; command: Document }
  | { kind: 'query'; header: MessageHeader; fullCollectionName: string; query: Document };

/** The message is framed correctly but its body is unusable; the peer gets an error reply. */
export class MessageParseError extends MongoCommandError {}

/** A well-framed message whose opcode we do not speak (e.g. OP_COMPRESSED, OP_INSERT): close the connection. */
export class UnsupportedOpCodeError extends Error {
  override name = 'UnsupportedOpCodeError';
}

export function readHeader(buf: Buffer): MessageHeader {
  return {
    messageLength: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

function badValue(message: string): MessageParseError {
  return new MessageParseError(ErrorCodes.BadValue, message);
}

function readDocument(buf: Buffer, offset: number, end: number): { doc: Document; next: number } {
  if (offset + 5 > end) throw badValue('truncated BSON document in message');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw badValue('BSON document size exceeds the message');
  let doc: Document;
  try {
    doc = decodeDocument(buf.subarray(offset, offset + size));
  } catch (err) {
    throw new MessageParseError(ErrorCodes.InvalidBSON, `invalid BSON in message: ${(err as Error).message}`);
  }
  return { doc, next: offset + size };
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw badValue('unterminated C string in message');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

function parseOpMsg(buf: Buffer, header: MessageHeader): ParsedMessage {
  if (buf.length < HEADER_SIZE + 5) throw badValue('OP_MSG too short');
  const flags = buf.readUInt32LE(HEADER_SIZE);
  const known = OpMsgFlags.checksumPresent | OpMsgFlags.moreToCome;
  // Bits 0-15 are "required": a flag we do not understand there must not be ignored.
  if ((flags & 0xffff & ~known) !== 0) throw badValue(`unsupported OP_MSG flag bits ${flags.toString(16)}`);
  let end = buf.length;
  if (flags & OpMsgFlags.checksumPresent) {
    end -= 4;
    if (end < HEADER_SIZE + 5) throw badValue('OP_MSG too short for its checksum');
    if (crc32c(buf, 0, end) !== buf.readUInt32LE(end)) {
      throw new MessageParseError(ErrorCodes.FailedToParse, 'OP_MSG checksum does not match');
    }
  }
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: [string, Document[]][] = [];
  while (offset < end) {
    const kind = buf[offset++];
    if (kind === 0) {
      if (body) throw badValue('OP_MSG has more than one body section');
      const { doc, next } = readDocument(buf, offset, end);
      body = doc;
      offset = next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw badValue('truncated document sequence');
      const size = buf.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw badValue('document sequence size exceeds the message');
      const name = readCString(buf, offset + 4, seqEnd);
      const docs: Document[] = [];
      let at = name.next;
      while (at < seqEnd) {
        const { doc, next } = readDocument(buf, at, seqEnd);
        docs.push(doc);
        at = next;
      }
      sequences.push([name.value, docs]);
      offset = seqEnd;
    } else {
      throw badValue(`unknown OP_MSG section kind ${String(kind)}`);
    }
  }
  if (!body) throw badValue('OP_MSG has no body section');
  for (const [name, docs] of sequences) {
    if (name in body) throw badValue(`duplicate field '${name}' in OP_MSG body and document sequence`);
    body[name] = docs;
  }
  return { kind: 'msg', header, flags, command: body };
}

function parseOpQuery(buf: Buffer, header: MessageHeader): ParsedMessage {
  const end = buf.length;
  let offset = HEADER_SIZE + 4; // skip flags
  const name = readCString(buf, offset, end);
  offset = name.next + 8; // numberToSkip, numberToReturn
  const { doc } = readDocument(buf, offset, end);
  // Legacy drivers may wrap the command as {$query: cmd, $readPreference: ...}.
  const query = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Document) : doc;
  return { kind: 'query', header, fullCollectionName: name.value, query };
}

/** Parses one whole message (as cut by MessageReader). */
export function parseMessage(buf: Buffer): ParsedMessage {
  const header = readHeader(buf);
  if (header.opCode === OpCode.MSG) return parseOpMsg(buf, header);
  if (header.opCode === OpCode.QUERY) return parseOpQuery(buf, header);
  throw new UnsupportedOpCodeError(`unsupported opcode ${header.opCode}`);
}
