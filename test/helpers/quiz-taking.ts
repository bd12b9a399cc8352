/** A member taking a quiz through its pages, as a browser would: start, autosave, submit. */
import { randomBytes } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import type request from 'supertest';
import { claimFirstRun, markFirstRunDone } from '../../src/settings/settings.service.js';
import { tokenFor } from './factories.js';

/** The organisation is set up (pages are not sent to first-run setup), without an administrator's account. */
export async function openOrganisation(): Promise<void> {
  await claimFirstRun('Test Network');
  await markFirstRunDone();
}

/**
 * The agent's CSRF token, read once from a page: it stays the same for the whole sign-in, so a test that
 * sends many forms need not load a page before each.
 */
const tokens = new WeakMap<TestAgent, string>();
export async function csrfOf(agent: TestAgent): Promise<string> {
  let token = tokens.get(agent);
  if (!token) tokens.set(agent, (token = await tokenFor(agent, '/me')));
  return token;
}

/** Posts a form as the signed-in agent, with its CSRF token. */
export async function send(
  agent: TestAgent,
  path: string,
  fields: Record<string, unknown> = {},
): Promise<request.Response> {
  // The token first: a request takes the agent's cookies when it is made, and reading the token sets one.
  const token = await csrfOf(agent);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: token, ...fields });
}

/** Presses "Start" on the quiz page; gives the answer as it came (a redirect to the attempt, or a refusal). */
export function pressStart(agent: TestAgent, quizPage: string): Promise<request.Response> {
  return send(agent, `${quizPage}/start`);
}

/** Starts (or resumes) an attempt and gives its id. */
export async function startAttempt(agent: TestAgent, quizPage: string): Promise<string> {
  const res = await pressStart(agent, quizPage);
  if (res.status !== 303) throw new Error(`start failed with ${res.status}`);
  return String(res.headers.location).split('/').pop()!;
}

/** One autosave from the browser's script. */
export async function autosave(
  agent: TestAgent,
  attemptId: string,
  body: Record<string, unknown>,
): Promise<request.Response> {
  const token = await csrfOf(agent);
  return agent.post(`/attempts/${attemptId}/answers`).set('x-csrf-token', token).send(body);
}

/**
 * Sends the attempt page's form with one of its buttons ("save" or "submit") and the answers in `a`. The
 * submit token is the page's own, unless `token` replaces it; with `reload: false` the form is sent as it
 * was shown earlier, without opening the attempt's page again (which closes an attempt past its time).
 */
export async function sendAttemptForm(
  agent: TestAgent,
  attemptId: string,
  fields: { action: 'save' | 'submit'; a?: Record<string, unknown>; token?: string },
  options: { reload?: boolean } = {},
): Promise<request.Response> {
  const page = options.reload === false ? undefined : await agent.get(`/attempts/${attemptId}`);
  const pageToken = page && /name="token" value="([^"]+)"/.exec(page.text)?.[1];
  const { token = pageToken ?? randomBytes(16).toString('base64url'), ...rest } = fields;
  return send(agent, `/attempts/${attemptId}/submit`, { token, ...rest });
}

/** Starts an attempt and submits it with these answers, from the form as first shown; gives its id. */
export async function takeQuiz(
  agent: TestAgent,
  quizPage: string,
  answers: Record<string, unknown>,
): Promise<string> {
  const id = await startAttempt(agent, quizPage);
  const res = await sendAttemptForm(agent, id, { action: 'submit', a: answers }, { reload: false });
  if (res.status !== 303) throw new Error(`submit failed with ${res.status}`);
  return id;
}
