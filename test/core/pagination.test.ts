import { expect } from 'chai';
import { pageFromQuery, pageHref, paginate } from '../../src/core/pagination.js';

describe('pagination', () => {
  it('reads ?page as a whole number from 1, and anything else as page 1', () => {
    expect(pageFromQuery({ page: '3' })).to.equal(3);
    for (const bad of [undefined, '', 'abc', '-2', '0', '1e9', '2.5', ['2', '3'], { $gt: 1 }])
      expect(pageFromQuery({ page: bad }), JSON.stringify(bad)).to.equal(1);
    expect(pageFromQuery({ page: '999999' })).to.equal(10_000);
  });

  it('asks for the right slice and counts the pages; a page past the end is empty with the real total', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => i);
    const find = (skip: number, limit: number) => Promise.resolve(rows.slice(skip, skip + limit));
    const count = () => Promise.resolve(rows.length);

    const second = await paginate(2, 50, find, count);
    expect(second).to.deep.include({ total: 120, page: 2, pages: 3, perPage: 50 });
    expect(second.items[0]).to.equal(50);
    expect(second.items).to.have.length(50);
    expect((await paginate(3, 50, find, count)).items).to.have.length(20);
    const beyond = await paginate(7, 50, find, count);
    expect(beyond.items).to.deep.equal([]);
    expect(beyond.pages).to.equal(3);
    expect(
      (
        await paginate(
          1,
          50,
          () => Promise.resolve([]),
          () => Promise.resolve(0),
        )
      ).pages,
    ).to.equal(1);
  });

  it('links to another page keeping the other parameters, and page 1 without ?page', () => {
    expect(pageHref('/admin/users', { q: 'zahra', page: '2' }, 3)).to.equal('/admin/users?q=zahra&page=3');
    expect(pageHref('/admin/users', { page: '2' }, 1)).to.equal('/admin/users');
    expect(pageHref('/admin/users', { evil: ['a', 'b'] }, 2)).to.equal('/admin/users?page=2');
  });
});
