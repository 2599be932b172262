import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { capNesting, MAX_DOM_DEPTH } from '../../../src/sources/formats/html-depth';

/** Deepest element nesting of the DOM linkedom builds from `html`. */
function domDepth(html: string): number {
  const { document } = parseHTML(html);
  let deepest = 0;
  const stack: Array<[{ children: ArrayLike<unknown> }, number]> = [[document as never, 0]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, depth] = entry;
    deepest = Math.max(deepest, depth);
    for (const child of Array.from(node.children)) stack.push([child as never, depth + 1]);
  }
  return deepest;
}

describe('capNesting', () => {
  it('leaves pages that nest less than the cap exactly as they are, however their tags close', () => {
    const paragraphs = Array.from({ length: 2_000 }, (_, i) => `<p>Paragraph ${i} of the report`).join('\n');
    const items = Array.from({ length: 2_000 }, (_, i) => `<li>Item ${i}`).join('');
    const svg = `<svg>${'<path d="M0 0"/>'.repeat(2_000)}</svg>`;
    const script = `<script>${'document.write("<div>");'.repeat(2_000)}</script>`;
    const page = `<!DOCTYPE html><html><head><title>A <div> title</title>${script}</head><body><!-- <div><div> -->
      ${paragraphs}<ul>${items}</ul>${svg}<br><img src="x"><hr>${'<b>'.repeat(300)}bold</body></html>`;
    expect(capNesting(page)).toBe(page);
  });

  it('unwraps what nests past the cap, keeping all the text, so the DOM never gets deeper than the cap', () => {
    const depth = 50_000;
    const html = `<!DOCTYPE html><html><body>${'<div class="x">'.repeat(depth)}deep text${'</div>'.repeat(depth)}<p>after</p></body></html>`;
    const capped = capNesting(html);
    expect(domDepth(capped)).toBeLessThanOrEqual(MAX_DOM_DEPTH + 2);
    expect(parseHTML(capped).document.body.textContent).toBe('deep textafter');
  });

  it('caps deep nesting of unclosed elements and of mixed tags', () => {
    const html = `<!DOCTYPE html><html><body>${'<span><em>'.repeat(20_000)}words</body></html>`;
    expect(domDepth(capNesting(html))).toBeLessThanOrEqual(MAX_DOM_DEPTH + 2);
    expect(parseHTML(capNesting(html)).document.body.textContent).toBe('words');
  });
});
