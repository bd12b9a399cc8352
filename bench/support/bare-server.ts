/**
 * The baseline of bench/pages: bare Express 5 rendering one EJS template to a page of a given size, with
 * nothing else (no session, no database). Started as its own process; prints its URL.
 */
import type { AddressInfo } from 'node:net';
import ejs from 'ejs';
import express from 'express';

const bytes = Number(process.env.PAGE_BYTES ?? 5000);
const template = ejs.compile(
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title><%= title %></title></head><body>
<main><h1><%= title %></h1><% for (const p of paragraphs) { %><p><%= p %></p><% } %></main></body></html>`,
);
const paragraphs = Array.from(
  { length: Math.max(1, Math.round(bytes / 60)) },
  (_, i) => `Paragraph ${i} of a page about advocacy.`,
);

const app = express();
app.get('/', (_req, res) => {
  res.type('html').send(template({ title: 'Welcome', paragraphs }));
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
