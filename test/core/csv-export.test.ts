import { expect } from 'chai';
import express from 'express';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { neutralise, sendCsv } from '../../src/core/csv-export.js';

describe('core: CSV downloads', () => {
  it('neutralises what a spreadsheet would run, but leaves plain numbers (negative ones too) as numbers', () => {
    expect(neutralise('=HYPERLINK("x")')).to.equal(`'=HYPERLINK("x")`);
    expect(neutralise('+93 700')).to.equal(`'+93 700`);
    expect(neutralise('@SUM(A1)')).to.equal(`'@SUM(A1)`);
    expect(neutralise('-2+3')).to.equal(`'-2+3`);
    expect(neutralise('\tx')).to.equal(`'\tx`);
    expect(neutralise('-10.5')).to.equal('-10.5');
    expect(neutralise('-0.25')).to.equal('-0.25');
    expect(neutralise('42')).to.equal('42');
  });

  it('a client that hangs up part way ends the download and stops reading the rows', async () => {
    let produced = 0;
    let finished = false;
    const app = express();
    app.get('/big.csv', async (_req, res) => {
      // Rows from a database cursor: each one a moment later.
      async function* rows() {
        for (let i = 0; i < 200_000; i++) {
          produced += 1;
          await Promise.resolve();
          yield [`person ${i}`, 'x'.repeat(200)];
        }
      }
      await sendCsv(res, 'big.csv', ['name', 'padding'], rows());
      finished = true;
    });
    const server = app.listen(0);
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => {
      const req = httpRequest({ port, path: '/big.csv' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.end();
    });
    for (let i = 0; i < 100 && !finished; i++) await new Promise((r) => setTimeout(r, 20));
    server.close();
    expect(finished, 'the handler finished').to.equal(true);
    expect(produced).to.be.lessThan(200_000);
  });
});
