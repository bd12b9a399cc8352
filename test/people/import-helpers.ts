/** What the people-import tests share: the corpus, uploading it, reading the problems table, counting writes. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { PendingImport } from '../../src/people/people-import.model.js';
import { Round } from '../../src/rounds/round.model.js';
import { User } from '../../src/users/user.model.js';
import { tokenFor } from '../helpers/factories.js';

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/people-import/${name}`, import.meta.url));
}

/** Uploads a file to the import form as a browser would (the CSRF token in the form's action). */
export async function upload(agent: TestAgent, file: Buffer, name = 'people.csv'): Promise<request.Response> {
  const token = await tokenFor(agent, '/admin/users/import');
  return agent.post(`/admin/users/import?_csrf=${encodeURIComponent(token)}`).attach('file', file, name);
}

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .trim();

/** The problems table as [row, column, message] triples, as the person reads it. */
export function problemsIn(html: string): string[][] {
  const table = /<table class="cards-on-phone import-problems">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [
    ...table.matchAll(
      /<tr><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><\/tr>/g,
    ),
  ].map((m) => [decode(m[1]!), decode(m[2]!), decode(m[3]!)]);
}

export interface Counts {
  users: number;
  pending: number;
  enrolments: number;
  members: number;
}

export async function counts(): Promise<Counts> {
  const rounds = await Round.find({}, { memberIds: 1 }).lean();
  return {
    users: await User.countDocuments({}),
    pending: await PendingImport.countDocuments({}),
    enrolments: await Enrolment.countDocuments({}),
    members: rounds.reduce((n, r) => n + r.memberIds.length, 0),
  };
}

/** Nothing at all was written: no account, no kept import, no enrolment, no round member. */
export async function expectNothingWritten(before: Counts): Promise<void> {
  expect(await counts()).to.deep.equal({ ...before, pending: 0 });
}
