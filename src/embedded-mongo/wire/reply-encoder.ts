import { BSON, type Document } from 'bson';
import { HEADER_SIZE, OpCode } from './protocol.js';

/** Replies as the wire carries them: OP_MSG, and OP_REPLY for the legacy handshake only. */

let nextRequestId = 1;
function requestId(): number {
  nextRequestId = (nextRequestId + 1) & 0x7fffffff;
  return nextRequestId;
}

/** A reply buffer with its standard header written; the caller fills `prefixSize` bytes, then the body follows. */
function replyBuffer(opCode: number, responseTo: number, prefixSize: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + prefixSize + body.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId(), 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(opCode, 12);
  out.set(body, HEADER_SIZE + prefixSize);
  return out;
}

export function encodeOpMsg(responseTo: number, reply: Document): Buffer {
  const out = replyBuffer(OpCode.MSG, responseTo, 5, BSON.serialize(reply));
  out.writeUInt32LE(0, 16); // flagBits
  out.writeUInt8(0, 20); // section kind 0
  return out;
}

export function encodeOpReply(responseTo: number, reply: Document): Buffer {
  const out = replyBuffer(OpCode.REPLY, responseTo, 20, BSON.serialize(reply));
  out.writeInt32LE(0, 16); // responseFlags
  out.writeBigInt64LE(0n, 20); // cursorID
  out.writeInt32LE(0, 28); // startingFrom
  out.writeInt32LE(1, 32); // numberReturned
  return out;
}
