/** Signs in over HTTP as a browser does (the CSRF cookie and token, then the form); returns the session cookie. */
export async function signIn(base: string, who: { email: string; password: string }): Promise<string> {
  const page = await fetch(`${base}/login`);
  const csrfCookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: token, email: who.email, password: who.password }),
  });
  const sid = res.headers.getSetCookie().findLast((c) => c.startsWith('sid='));
  if (res.status !== 303 || !sid) throw new Error(`sign-in failed: ${res.status}`);
  return sid.split(';')[0]!;
}
