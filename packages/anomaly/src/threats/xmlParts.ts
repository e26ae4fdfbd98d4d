// XML body parts: the whole document (for engines that judge declarations and entities, such as
// XXE), and every text node and attribute value by its element path (`/order/item/@id`), read
// with a forgiving scan rather than a parser so a hostile document costs one pass.
import { decodeHtmlEntities } from './htmlEntities';
import type { PartBudget } from './partBudget';

const MAX_DEPTH = 64;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function collectXmlParts(content: string, budget: PartBudget): void {
  if (!budget.add('xml', 'document', content, 'plain', 'document')) return;
  const stack: string[] = [];
  const path = (): string => '/' + stack.join('/');
  let i = 0;
  const n = content.length;
  while (i < n) {
    const lt = content.indexOf('<', i);
    const text = content.slice(i, lt < 0 ? n : lt).trim();
    if (text !== '' && !budget.add('xml', path(), decodeHtmlEntities(text), 'plain')) return;
    if (lt < 0) return;
    if (content.startsWith('<!--', lt)) {
      i = after(content, '-->', lt + 4);
    } else if (content.startsWith('<![CDATA[', lt)) {
      const end = content.indexOf(']]>', lt + 9);
      if (!budget.add('xml', path(), content.slice(lt + 9, end < 0 ? n : end), 'plain')) return;
      i = end < 0 ? n : end + 3;
    } else if (content.startsWith('<!', lt)) {
      // A DOCTYPE's internal subset holds '>' of its own: it ends at ']>' when it has one.
      const gt = content.indexOf('>', lt);
      const bracket = content.indexOf('[', lt);
      i = bracket >= 0 && (gt < 0 || bracket < gt) ? after(content, ']>', bracket) : after(content, '>', lt);
    } else if (content.startsWith('<?', lt)) {
      i = after(content, '?>', lt + 2);
    } else if (content.startsWith('</', lt)) {
      stack.pop();
      i = after(content, '>', lt);
    } else {
      const gt = content.indexOf('>', lt);
      const tag = content.slice(lt + 1, gt < 0 ? n : gt);
      const nameEnd = tag.search(/[\s/]/);
      const name = (nameEnd < 0 ? tag : tag.slice(0, nameEnd)) || '?';
      const here = `${path() === '/' ? '' : path()}/${name}`;
      for (const m of tag.matchAll(ATTRIBUTE)) {
        if (!budget.add('xml', `${here}/@${m[1]}`, decodeHtmlEntities(m[2] ?? m[3] ?? ''), 'plain')) return;
      }
      if (!tag.endsWith('/') && stack.length < MAX_DEPTH) stack.push(name);
      i = gt < 0 ? n : gt + 1;
    }
  }
}

function after(s: string, token: string, from: number): number {
  const at = s.indexOf(token, from);
  return at < 0 ? s.length : at + token.length;
}
