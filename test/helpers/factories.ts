/** Small factories: each test makes exactly the people it needs. */
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createUser, type SessionUser } from '../../src/users/users.service.js';
import type { Role } from '../../src/core/roles.js';
import { claimFirstRun, markFirstRunDone, updateSettings } from '../../src/settings/settings.service.js';

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
  await claimFirstRun('Test Network');
  await markFirstRunDone();
  return makeAdmin();
}

/** Opens self-registration, as an admin would on the settings page. */
export async function openRegistration(): Promise<void> {
  await updateSettings({ organisationName: 'Test Network', registrationMode: 'open' });
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

/** The path of the one-time password link a staff page shows. */
export function linkFrom(html: string): string {
  const m = /id="reset-link"[^>]*>(https?:\/\/[^<"/]+\/reset\/[\w-]+)</.exec(html);
  if (!m?.[1]) throw new Error('no password link on page');
  return new URL(m[1]).pathname;
}

/** Opens a password link in a fresh browser and sets the password through it; returns the form's answer. */
export async function usePasswordLink(
  app: Express,
  path: string,
  password: string,
): Promise<request.Response> {
  const browser = request.agent(app);
  const page = await browser.get(path);
  if (page.status !== 200) return page;
  return browser
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), password, passwordConfirm: password });
}

/** Posts a form as a signed-in agent, with a CSRF token taken from `tokenPath` first. */
export async function postForm(
  agent: TestAgent,
  path: string,
  fields: Record<string, string | string[]> = {},
  tokenPath = '/',
): Promise<request.Response> {
  const token = await tokenFor(agent, tokenPath);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: token, ...fields });
}

/** True when the agent's session is still signed in (the home page greets rather than redirects). */
export async function isSignedIn(agent: TestAgent): Promise<boolean> {
  return (await agent.get('/')).status === 200;
}

/** Signs the agent out (its browser keeps its other cookies, as a real one would). */
export async function signOut(agent: TestAgent): Promise<void> {
  const res = await postForm(agent, '/logout');
  if (res.status !== 303) throw new Error(`sign-out failed with ${res.status}`);
}
