// The HTML character references evasions use: numeric ones (with or without the `;`, as
// browsers accept them) and the named ones that spell markup, quotes, separators and whitespace.

const NAMED: Readonly<Record<string, string>> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', sol: '/', bsol: '\\', colon: ':', semi: ';',
  lpar: '(', rpar: ')', lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']', lbrace: '{', rbrace: '}', lcub: '{', rcub: '}',
  comma: ',', period: '.', excl: '!', quest: '?', equals: '=', plus: '+', num: '#', percnt: '%', dollar: '$',
  ast: '*', midast: '*', verbar: '|', vert: '|', grave: '`', lowbar: '_', hyphen: '-', dash: '-', tab: '\t', newline: '\n',
  commat: '@', hat: '^', tilde: '~',
};

const REF = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]{2,8}));?/g;

/** `&lt;`, `&#60;`, `&#x3c` → `<`; unknown names stay as written. */
export function decodeHtmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(REF, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name.toLowerCase()] ?? whole;
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}
