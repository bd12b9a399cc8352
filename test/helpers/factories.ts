/** Small factories: each test makes exactly the people it needs. */
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createUser, type SessionUser } from '../../src/users/users.service.js';
import type { Role } from '../../src/users/user.model.js';
import { Settings, SETTINGS_ID } from '../../src/settings/settings.model.js';

export const DEFAULT_PASSWORD = 'quiet river lantern 42';

let counter = 0;

export interface TestUser extends SessionUser {
  password: string;
}

export async function makeUser(
  options: { roles?: Role[]; email?: string; password?: string; displayName?: string; locale?: string } = {},
): Promise<TestUser> {
  counter += 1;
  const roles = options.roles ?? ['member'];
  const password = options.password ?? DEFAULT_PASSWORD;
  const user = await createUser({
    email: options.email ?? `${roles.join('-')}-${counter}-${Date.now()}@example.org`,
    displayName: options.displayName ?? `${roles[0] ?? 'member'} ${counter}`,
    password,
    roles,
    locale: options.locale,
  });
  return { ...user, password };
}

export const makeMember = () => makeUser({ roles: ['member'] });
export const makeTrainer = () => makeUser({ roles: ['trainer'] });
export const makeCoordinator = () => makeUser({ roles: ['coordinator'] });
export const makeAdmin = () => makeUser({ roles: ['admin'] });

/** The organisation exists as after first-run setup (settings + an admin), so pages are not sent to /setup. */
export async function completeFirstRun(): Promise<TestUser> {
  await Settings.create({ _id: SETTINGS_ID, organisationName: 'Test Network', setupCompletedAt: new Date() });
  return makeAdmin();
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token in page');
  return match[1];
}

/** A supertest agent with a session cookie jar, plus the CSRF token of the page it last loaded. */
export async function agentWithToken(
  app: Express,
  path = '/login',
): Promise<{ agent: TestAgent; token: string }> {
  const agent = request.agent(app);
  const page = await agent.get(path);
  return { agent, token: csrfFrom(page.text) };
}

export async function loginAgent(
  app: Express,
  user: { email: string; password: string },
): Promise<TestAgent> {
  const { agent, token } = await agentWithToken(app);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: token, email: user.email, password: user.password });
  if (res.status !== 303) throw new Error(`login failed with ${res.status}`);
  return agent;
}

/** A fresh CSRF token for an agent that is already signed in (login regenerates the session and its token). */
export async function tokenFor(agent: TestAgent, path = '/'): Promise<string> {
  const page = await agent.get(path);
  return csrfFrom(page.text);
}
