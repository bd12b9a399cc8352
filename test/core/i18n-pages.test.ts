import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { agentWithToken, completeFirstRun, loginAgent, makeMember, tokenFor } from '../helpers/factories.js';

describe('languages and right-to-left pages', () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
  });

  it('English is the default: lang="en" dir="ltr"', async () => {
    const res = await request(app).get('/login');
    expect(res.text).to.contain('<html lang="en" dir="ltr">');
    expect(res.text).to.contain('<h1>Sign in</h1>');
  });

  it('with the Dari cookie the page is lang="fa-AF" dir="rtl" with Dari text', async () => {
    const res = await request(app).get('/login').set('Cookie', 'lang=fa-AF');
    expect(res.text).to.contain('<html lang="fa-AF" dir="rtl">');
    expect(res.text).to.contain('<h1>ورود</h1>');
    expect(res.text).to.contain('آدرس ایمیل');
    expect(res.text).not.to.contain('Email address');
  });

  it('with the Pashto cookie the page is lang="ps-AF" dir="rtl" with Pashto text', async () => {
    const res = await request(app).get('/login').set('Cookie', 'lang=ps-AF');
    expect(res.text).to.contain('<html lang="ps-AF" dir="rtl">');
    expect(res.text).to.contain('<h1>ننوتل</h1>');
    expect(res.text).to.contain('برېښنالیک پته');
  });

  it('a browser asking for Persian gets Dari, and one asking for Pashto gets Pashto', async () => {
    const fa = await request(app).get('/login').set('Accept-Language', 'fa-IR,fa;q=0.9,en;q=0.5');
    const ps = await request(app).get('/login').set('Accept-Language', 'ps');
    expect(fa.text).to.contain('lang="fa-AF"');
    expect(ps.text).to.contain('lang="ps-AF"');
  });

  it('the language switch works without JavaScript: it sets a cookie and returns to the page', async () => {
    const { agent, token } = await agentWithToken(app);

    const res = await agent.post('/lang/ps-AF').type('form').send({ _csrf: token, returnTo: '/login' });

    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login');
    expect(String(res.headers['set-cookie'])).to.match(/lang=ps-AF;.*HttpOnly/i);
    expect((await agent.get('/login')).text).to.contain('dir="rtl"');
  });

  it('a signed-in person keeps their language on the account, across devices', async () => {
    const member = await makeMember();
    const agent = await loginAgent(app, member);
    const token = await tokenFor(agent);

    await agent.post('/lang/fa-AF').type('form').send({ _csrf: token, returnTo: '/' });

    expect((await User.findById(member.id).lean())?.locale).to.equal('fa-AF');
    const otherDevice = await loginAgent(app, member);
    const home = await otherDevice.get('/');
    expect(home.text).to.contain('<html lang="fa-AF" dir="rtl">');
    expect(home.text).to.contain('خوش آمدید');
    // Today's date in the Solar Hijri calendar: the year is 14xx in Extended Arabic-Indic digits.
    expect(home.text).to.match(/۱۴[۰-۹]{2}/);
  });

  it('an unknown language is 404 and changes nothing', async () => {
    const { agent, token } = await agentWithToken(app);
    const res = await agent.post('/lang/xx').type('form').send({ _csrf: token });
    expect(res.status).to.equal(404);
    const cookies = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
    expect(cookies.filter((c) => c.startsWith('lang='))).to.deep.equal([]);
  });
});
