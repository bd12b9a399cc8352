import { expect } from 'chai';
import { renderMarkdown } from '../../src/core/markdown.js';

describe('lesson Markdown renders inert', () => {
  const cases: [string, string][] = [
    ['a script element', 'Hello <script>alert(1)</script> world'],
    ['a javascript: link', '[click](javascript:alert(1))'],
    ['an encoded javascript: link', '[click](jav&#x61;script:alert(1))'],
    ['a javascript: link in HTML', '<a href="JaVaScRiPt:alert(1)">x</a>'],
    ['an inline event handler', '<img src="/files/abc" onerror="alert(1)"> <p onclick="alert(1)">p</p>'],
    ['a data: image', '![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)'],
    [
      'an iframe, a form and a style',
      '<iframe src="https://e.org"></iframe><form action="/x"><input></form><style>*{}</style>',
    ],
    ['an SVG with a script', '<svg><script>alert(1)</script></svg>'],
    ['a vbscript: link', '<a href="vbscript:msgbox(1)">x</a>'],
  ];
  for (const [name, md] of cases)
    it(name, () => {
      const html = renderMarkdown(md);
      expect(html).not.to.match(
        /<script|javascript:|vbscript:|data:|\bon\w+=|<iframe|<form|<style|<svg|<input/i,
      );
    });

  it('keeps the document: headings one level down, emphasis, lists, tables, safe links with rel', () => {
    const html = renderMarkdown(
      '# Title\n\n**Bold** and *it*\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[law](https://example.org/law)',
    );
    expect(html).to.contain('<h2>Title</h2>');
    expect(html).to.contain('<strong>Bold</strong>').and.to.contain('<em>it</em>');
    expect(html).to.contain('<li>one</li>').and.to.contain('<td>1</td>');
    expect(html).to.contain('<a href="https://example.org/law" rel="noopener noreferrer">law</a>');
  });

  it('keeps images stored here and drops images from elsewhere (a lesson must not make phones fetch off-site)', () => {
    expect(renderMarkdown('![map](/files/Ab3_-x9ZkQ)')).to.contain('<img src="/files/Ab3_-x9ZkQ" alt="map"');
    expect(renderMarkdown('![x](https://tracker.example/p.png)')).not.to.contain('<img');
    expect(renderMarkdown('![x](//tracker.example/p.png)')).not.to.contain('<img');
  });

  it('right-to-left text comes through unchanged', () => {
    expect(renderMarkdown('**قاچاق انسان** جرم است')).to.equal(
      '<p><strong>قاچاق انسان</strong> جرم است</p>\n',
    );
  });
});
