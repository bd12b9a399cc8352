/** Downloads read back as a person would open them: a CSV as rows of cells, a PDF as bytes with its headers. */
import { parse } from 'csv-parse/sync';
import type { IncomingHttpHeaders } from 'node:http';
import type TestAgent from 'supertest/lib/agent.js';

export function csvRows(text: string): string[][] {
  const rows: string[][] = parse(text.replace(/^\uFEFF/, ''));
  return rows;
}

/** Downloads a CSV as a signed-in agent; anything but a 200 fails the test. */
export async function getCsv(agent: TestAgent, url: string): Promise<{ header: string[]; rows: string[][] }> {
  const res = await agent.get(url).buffer(true);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  const [header = [], ...rows] = csvRows(res.text);
  return { header, rows };
}

/** A binary download (a PDF) with its headers, in one request; anything but a 200 fails the test. */
export async function getDownload(
  agent: TestAgent,
  url: string,
): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  const res = await agent
    .get(url)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return { headers: res.headers, body: res.body as Buffer };
}
