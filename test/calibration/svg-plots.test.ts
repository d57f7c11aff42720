import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { histogramChart, lineChart } from '../../src/calibration/svg-plots.js';

/**
 * A small XML well-formedness check (no parser dependency): every tag closes in order, attributes
 * are quoted, and text holds no raw '<' or unescaped '&'.
 */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  let roots = 0;
  while ((m = token.exec(body))) {
    pos = token.lastIndex;
    const [, closing, name, attrs, selfClosing, text] = m;
    if (text !== undefined) {
      assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(text), `unescaped & in ${JSON.stringify(text)}`);
      if (stack.length === 0) assert.match(text, /^\s*$/, 'text outside the root');
      continue;
    }
    if (attrs) assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(attrs), `unescaped & in attributes of <${name}>`);
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    }
  }
  assert.equal(pos, body.length, `unparsable from ${JSON.stringify(body.slice(pos, pos + 40))}`);
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1);
}

describe('SVG plots', () => {
  it('draws a well-formed line chart, escaping text and leaving gaps for missing values', () => {
    const svg = lineChart({
      title: 'Precision & recall <by threshold>',
      xLabel: 'threshold',
      yLabel: 'value',
      yMax: 1,
      marker: { x: 0.5, label: 'recommended "0.50"' },
      series: [
        {
          name: 'precision',
          points: [
            [0.2, 0.5],
            [0.5, null],
            [0.8, 1],
          ],
        },
        {
          name: 'recall',
          points: [
            [0.2, 1],
            [0.5, 0.7],
            [0.8, 0.1],
          ],
        },
      ],
    });
    assertWellFormed(svg);
    assert.match(svg, /^<\?xml/);
    assert.match(svg, /Precision &amp; recall &lt;by threshold&gt;/);
    assert.equal((svg.match(/<polyline/g) ?? []).length, 1, 'recall is one line; precision has only isolated points');
    assert.equal((svg.match(/<circle/g) ?? []).length, 2);
  });

  it('draws a well-formed histogram with one bar per non-empty count', () => {
    const svg = histogramChart({
      title: 'Scores',
      xLabel: 'score',
      yLabel: 'pairs',
      bins: [
        { from: 0, to: 0.5 },
        { from: 0.5, to: 1 },
      ],
      series: [
        { name: 'useful', counts: [1, 4] },
        { name: 'not useful', counts: [3, 0] },
      ],
    });
    assertWellFormed(svg);
    assert.equal((svg.match(/<rect [^>]*fill-opacity/g) ?? []).length, 3);
  });

  it('has a checker that rejects broken XML', () => {
    assert.throws(() => assertWellFormed('<svg><g></svg>'), { name: 'AssertionError', message: /<\/svg> closes the wrong element/ });
    assert.throws(() => assertWellFormed('<svg><text>a & b</text></svg>'), { name: 'AssertionError', message: /unescaped & in/ });
  });
});
