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
    if (name !== undefined) return NAMED[name.toLowerCase()] ?? legacyRef(whole, name);
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** The references HTML still honours with no `;` and letters right after them (`&ltscript&gt`). */
const LEGACY = ['quot', 'nbsp', 'amp', 'lt', 'gt'] as const;

/** `&ltscript` → `<script`: a legacy name at the start of a longer run of letters; else as written. */
function legacyRef(whole: string, name: string): string {
  const lower = name.toLowerCase();
  for (const legacy of LEGACY) if (lower.startsWith(legacy)) return NAMED[legacy] + whole.slice(1 + legacy.length);
  return whole;
}
