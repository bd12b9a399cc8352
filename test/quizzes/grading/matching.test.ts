import { expect } from 'chai';
import { gradeResponse } from '../../../src/quizzes/grading/grade.js';
import { matching, untrusted } from './questions.js';

const unanswered = { score: 0, fraction: 0, feedback: null };
const chosen = (value: unknown) => untrusted({ type: 'matching', chosen: value });

describe('grading: matching', () => {
  const q = matching(
    [
      ['p1', 'کابل', 'Kabul'],
      ['p2', 'هرات', 'Herat'],
      ['p3', 'بلخ', 'Mazar'],
      ['p4', 'ننگرهار', 'Jalalabad'],
    ],
    2,
  );

  it('every pair matched rightly earns full points, with no feedback', () => {
    expect(gradeResponse(q, chosen({ p1: 'p1', p2: 'p2', p3: 'p3', p4: 'p4' }))).to.deep.equal({
      score: 2,
      fraction: 1,
      feedback: null,
    });
  });

  it('each right pair earns points / pairs', () => {
    expect(gradeResponse(q, chosen({ p1: 'p1', p2: 'p3', p3: 'p2', p4: 'p4' }))).to.include({
      score: 1,
      fraction: 0.5,
    });
    expect(gradeResponse(q, chosen({ p1: 'p1' }))).to.include({ score: 0.5, fraction: 0.25 });
  });

  it('every pair matched wrongly earns 0', () => {
    expect(gradeResponse(q, chosen({ p1: 'p2', p2: 'p1', p3: 'p4', p4: 'p3' }))).to.deep.equal(unanswered);
  });

  it('one right side picked for every item earns only the one right pair', () => {
    expect(gradeResponse(q, chosen({ p1: 'p1', p2: 'p1', p3: 'p1', p4: 'p1' }))).to.include({ score: 0.5 });
  });

  it('a right side that reads the same as the expected one counts as right', () => {
    const twins = matching([
      ['a', 'Kabul', 'Afghanistan'],
      ['b', 'Herat', 'Afghanistan'],
      ['c', 'Tehran', 'Iran'],
    ]);
    expect(gradeResponse(twins, chosen({ a: 'b', b: 'a', c: 'c' }))).to.include({ score: 1 });
    expect(gradeResponse(twins, chosen({ a: 'c' }))).to.include({ score: 0 });
  });

  it('unknown ids, non-string picks and inherited property names are ignored', () => {
    const sneaky = JSON.parse(
      '{"p1":"p1","zzz":"p2","p2":"nope","p3":7,"__proto__":"p4","constructor":"p1","p4":["p4"]}',
    ) as unknown;
    expect(gradeResponse(q, chosen(sneaky))).to.include({ score: 0.5 });
    const proto = matching([
      ['constructor', 'a', 'A'],
      ['toString', 'b', 'B'],
    ]);
    expect(gradeResponse(proto, chosen({}))).to.deep.equal(unanswered);
    expect(gradeResponse(proto, chosen({ toString: 'toString' }))).to.include({ score: 0.5 });
    const inherited: unknown = Object.assign(Object.create({ p2: 'p2' }) as object, { p1: 'p1' });
    expect(gradeResponse(q, chosen(inherited))).to.include({ score: 0.5 });
  });

  it('no pick, or a malformed response, is unanswered', () => {
    for (const value of [{}, { zzz: 'p1' }, null, undefined, 'p1', ['p1', 'p2'], 5]) {
      expect(gradeResponse(q, chosen(value)), JSON.stringify(value)).to.deep.equal(unanswered);
    }
  });

  it('two blank right sides in a damaged record are not taken as the same answer', () => {
    const blank = matching([
      ['a', 'x', ''],
      ['b', 'y', ''],
    ]);
    expect(gradeResponse(blank, chosen({ a: 'b', b: 'a' }))).to.deep.equal(unanswered);
  });
});
