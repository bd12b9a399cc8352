import { expect } from 'chai';
import { Long } from 'bson';
import { CursorRegistry } from '../../../src/embedded-mongo/state/cursor-registry.js';

/** Open cursors: batches, ownership by namespace, connection and session, and their ends. */
describe('state: cursor registry', () => {
  const docs = (n: number) => Array.from({ length: n }, (_, i) => ({ _id: i }));
  const code = (action: () => unknown): number | undefined => {
    try {
      action();
    } catch (e) {
      return (e as { code: number }).code;
    }
    return undefined;
  };

  it('gives 101 documents first by default, then the rest in the asked batch sizes, and forgets a finished cursor', () => {
    const cursors = new CursorRegistry(60_000);
    const { firstBatch, id } = cursors.open('d.c', docs(250), undefined, false, 1, undefined);
    expect(firstBatch).to.have.length(101);
    expect(cursors.size).to.equal(1);
    const second = cursors.next(id, 100, undefined, 'd.c');
    expect(second.nextBatch.map((d) => d._id as number)).to.deep.equal(
      docs(201)
        .slice(101)
        .map((d) => d._id),
    );
    const last = cursors.next(id, 0, undefined, 'd.c');
    expect(last.nextBatch).to.have.length(49);
    expect(last.id.isZero()).to.equal(true);
    expect(cursors.size).to.equal(0);
    expect(code(() => cursors.next(id, 1, undefined, 'd.c'))).to.equal(43);
  });

  it('opens no cursor when everything fits, or for a single batch', () => {
    const cursors = new CursorRegistry(60_000);
    expect(cursors.open('d.c', docs(5), 10, false, 1, undefined).id.isZero()).to.equal(true);
    expect(cursors.open('d.c', docs(50), 10, true, 1, undefined).id.isZero()).to.equal(true);
    expect(cursors.size).to.equal(0);
  });

  it('stops a batch before it would pass 16 MB, but always sends one document', () => {
    const cursors = new CursorRegistry(60_000);
    const big = Array.from({ length: 4 }, (_, i) => ({ _id: i, blob: 'x'.repeat(6 * 1024 * 1024) }));
    const { firstBatch, id } = cursors.open('d.c', big, 100, false, 1, undefined);
    expect(firstBatch).to.have.length(2);
    expect(cursors.next(id, 100, undefined, 'd.c').nextBatch).to.have.length(2);
  });

  it('continues a cursor only on its namespace and from its session (13)', () => {
    const cursors = new CursorRegistry(60_000);
    const { id } = cursors.open('d.c', docs(20), 2, false, 1, 'session-a');
    expect(code(() => cursors.next(id, 2, 'session-a', 'd.other'))).to.equal(13);
    expect(code(() => cursors.next(id, 2, 'session-b', 'd.c'))).to.equal(13);
    expect(cursors.next(id, 2, 'session-a', 'd.c').nextBatch).to.have.length(2);
  });

  it('answers QueryPlanKilled (175) once for a cursor whose collection or database went away', () => {
    const cursors = new CursorRegistry(60_000);
    const a = cursors.open('d.c', docs(20), 2, false, 1, undefined).id;
    const b = cursors.open('d.other', docs(20), 2, false, 1, undefined).id;
    const c = cursors.open('e.c', docs(20), 2, false, 1, undefined).id;
    cursors.killNamespace('d.', 'database dropped');
    expect(code(() => cursors.next(a, 2, undefined, 'd.c'))).to.equal(175);
    expect(code(() => cursors.next(a, 2, undefined, 'd.c'))).to.equal(43);
    expect(code(() => cursors.next(b, 2, undefined, 'd.other'))).to.equal(175);
    expect(cursors.next(c, 2, undefined, 'e.c').nextBatch).to.have.length(2);
  });

  it('closes the cursors of a connection, of a session, and those left idle past the timeout', () => {
    const cursors = new CursorRegistry(1_000);
    const open = (conn: number, session?: string) =>
      cursors.open('d.c', docs(20), 2, false, conn, session).id;
    const kept = open(1);
    open(2);
    open(3, 's');
    cursors.killConnection(2);
    cursors.killSession('s');
    expect(cursors.size).to.equal(1);
    expect(cursors.reapIdle(Date.now() + 500)).to.equal(0);
    expect(cursors.reapIdle(Date.now() + 1_500)).to.equal(1);
    expect(cursors.kill(kept)).to.equal(false);
    expect(cursors.kill(Long.fromNumber(12345))).to.equal(false);
  });
});
