import { expect } from 'chai';
import { markdownToParagraphs, renderMarkdown } from '../../src/core/markdown.js';

describe('Markdown for print: plain paragraphs', () => {
  it('headings, list items, quotes and code become paragraphs of plain text, in order', () => {
    expect(
      markdownToParagraphs(
        '# Law & order\n\n- one <b>bold</b>\n- two & "three"\n\n> quoted\n\n```\ncode <x>\n```',
      ),
    ).to.deep.equal(['Law & order', 'one bold', 'two & "three"', 'quoted', 'code <x>']);
  });

  it('characters HTML escapes come back as the author typed them, and a line break splits the paragraph', () => {
    expect(markdownToParagraphs("Use 5 < 6 and AT&T, it's <tag>")).to.deep.equal([
      "Use 5 < 6 and AT&T, it's",
    ]);
    expect(markdownToParagraphs('Line<br>break')).to.deep.equal(['Line', 'break']);
  });

  it('a single line break inside a paragraph is a space, as on screen; a code block keeps its lines', () => {
    expect(
      markdownToParagraphs('What does the law say about a victim\nwho was moved across a border?\n\nNext'),
    ).to.deep.equal(['What does the law say about a victim who was moved across a border?', 'Next']);
    expect(markdownToParagraphs('```\nfirst line\nsecond line\n```')).to.deep.equal([
      'first line',
      'second line',
    ]);
  });

  it('no markup, script text or spare whitespace reaches the page', () => {
    const paragraphs = markdownToParagraphs(
      '**Bold**   and  *it*\n\n<script>alert(1)</script>\n\n<style>p{}</style>\n\n[a link](https://example.org)',
    );
    expect(paragraphs).to.deep.equal(['Bold and it', 'a link']);
  });
});

describe('lesson Markdown: what the sanitizer keeps', () => {
  it('a numbered list keeps its first number, and headings deeper than h4 stay h4', () => {
    const html = renderMarkdown('3. three\n4. four\n\n##### five\n\n###### six');
    expect(html).to.contain('<ol start="3">\n<li>three</li>');
    expect(html).to.contain('<h4>five</h4>').and.to.contain('<h4>six</h4>');
    expect(html).not.to.match(/<h[56]/);
  });

  it('a table keeps its column alignment, and any block its writing direction', () => {
    const html = renderMarkdown('<p dir="rtl">متن</p>\n\n| a | b |\n|:--|--:|\n| 1 | 2 |');
    expect(html).to.contain('<p dir="rtl">متن</p>');
    expect(html).to.contain('<th align="left">a</th>').and.to.contain('<td align="right">2</td>');
  });

  it('every link gets rel="noopener noreferrer" whatever the author wrote, and no target; mailto links stay', () => {
    const html = renderMarkdown(
      '<a href="https://example.org" rel="opener" target="_blank" title="Law">x</a> [write](mailto:info@example.org)',
    );
    expect(html).to.contain('<a href="https://example.org" rel="noopener noreferrer" title="Law">x</a>');
    expect(html).to.contain('<a href="mailto:info@example.org" rel="noopener noreferrer">write</a>');
    expect(html).not.to.contain('target');
    expect(html).not.to.contain('"opener"');
  });

  it('an image keeps only its address, text and title; one whose address is not a plain stored file is dropped', () => {
    expect(renderMarkdown('<img src="/files/abc" width="1" style="x" onerror="y" alt="m">')).to.equal(
      '<img src="/files/abc" alt="m" />',
    );
    expect(renderMarkdown(`![a](/files/${'a'.repeat(65)})`)).not.to.contain('<img');
    expect(renderMarkdown('![a](/files/abc?x=1)')).not.to.contain('<img');
    expect(renderMarkdown('![a](/files/../admin)')).not.to.contain('<img');
  });

  it('unknown tags go but their text stays; strikethrough, superscript and bdi are kept', () => {
    expect(
      renderMarkdown('<span style="color:red">kept</span> ~~old~~ x<sup>2</sup> <bdi>TIP</bdi>'),
    ).to.equal('<p>kept <del>old</del> x<sup>2</sup> <bdi>TIP</bdi></p>\n');
  });
});
