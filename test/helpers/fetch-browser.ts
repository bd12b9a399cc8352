/** A tiny browser: a cookie jar and form posts with the page's CSRF token. */
export class Browser {
  private cookies = new Map<string, string>();
  constructor(private base: string) {}
  on(base: string): this {
    this.base = base;
    return this;
  }
  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
  }
  async get(path: string): Promise<Response> {
    const res = await fetch(this.base + path, {
      headers: { cookie: this.cookieHeader() },
      redirect: 'manual',
    });
    this.keep(res);
    return res;
  }
  async post(path: string, fields: Record<string, string>, tokenFrom = '/'): Promise<Response> {
    const page = await (await this.get(tokenFrom)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, ...fields }),
    });
    this.keep(res);
    return res;
  }
}
