// Realistic benign parameter values for the tests and the benchmark, from a seeded generator so
// every run sees the same ones: names in many scripts, free text, ids, emails, dates, searches.

/**
 * Which half of each open-ended vocabulary (names, cities, words, user agents) a generator draws
 * from: a model trained on 'train' values and checked on 'holdout' values meets names, cities and
 * words it never saw, as it will in production.
 */
export type Split = 'train' | 'holdout' | 'all';

export class Rng {
  private state: number;

  constructor(
    seed: number,
    readonly split: Split = 'all',
  ) {
    this.state = seed >>> 0 || 1;
  }

  /** Uniform in [0, 1): mulberry32. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** From this generator's half of an open vocabulary (every other item), or all of it. */
  pickOpen<T>(items: readonly T[]): T {
    if (this.split === 'all') return this.pick(items);
    const offset = this.split === 'train' ? 0 : 1;
    const index = offset + 2 * Math.floor(this.next() * Math.floor((items.length - offset) / 2));
    const item = items[index];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

// Open vocabularies are listed in adjacent pairs that share their character traits (an
// apostrophe, a hyphen, a script), so the 'train' half (even items) and the 'holdout' half (odd
// items) hold different strings with the same repertoire: unseen names, not unseen alphabets.
const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Chen', 'Wei', 'Priya', 'Arjun', 'Fatima', 'Mohammed',
  'Aisha', 'Kwame', 'Olga', 'Dmitri', 'Yuki', 'Hiroshi', 'Sven', 'Ingrid', 'Pierre', 'Lucas', 'Liam', 'Emma', 'Noah', 'Olivia',
  'José', 'María', 'Zoë', 'Chloé', 'Søren', 'Åsa', 'François', 'Amélie', 'Björn', 'Jürgen', 'Nguyễn', 'Thảo', 'Siobhán', 'Seán',
  'Çağla', 'Şebnem', 'Łukasz', 'Michał', 'Renée', 'Noël', 'Zsófia', 'Ioana', 'Anne-Marie', 'Jean-Luc', 'Mary Ann', 'Jo Ann',
  'Анна', 'Дмитрий', 'Владимир', 'Ольга', 'Μαρία', 'Γιώργος', '太郎', '花子', '伟', '芳', '민준', '서연', 'محمد', 'فاطمة',
];

const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez',
  'Nguyen', 'Tran', 'Le', 'Pham', 'Okafor', 'Mensah', 'Patel', 'Sharma', 'Singh', 'Kumar', 'Tanaka', 'Suzuki', 'Rossi', 'Bianchi',
  "O'Brien", "O'Connor", "D'Angelo", "D'Souza", 'McDonald', 'MacLeod', 'van der Berg', 'de la Cruz', 'von Trapp', 'da Silva',
  'Smith-Jones', 'García-López', 'Müller', 'Schröder', 'Wiśniewski', 'Dvořák', 'Søndergaard', 'Ødegaard', 'Yılmaz', 'Öztürk',
  'Lefèvre', 'Núñez', 'Петров', 'Иванова', 'Παπαδόπουλος', 'Οικονόμου', '山田', '佐藤', '王', '李', '김', '박', 'الرشيد', 'حداد',
];

const CITIES = [
  'London', 'Paris', 'Berlin', 'Madrid', 'New York', 'San Francisco', 'Lagos', 'Nairobi', 'Mumbai', 'Bengaluru', 'Sydney',
  'Auckland', 'Toronto', 'Chicago', 'Amsterdam', 'Den Haag', 'Kyiv', 'Warsaw', 'Oslo', 'Bergen', 'São Paulo', 'Zürich',
  'Kraków', 'Göteborg', 'Reykjavík', 'Düsseldorf', 'Málaga', 'Montréal', 'Wrocław', 'Tromsø', "St. John's", "L'Aquila",
  'Washington, D.C.', 'Portland, Oregon', 'Saint-Étienne', 'Stratford-upon-Avon', 'Москва', 'Санкт-Петербург', '東京', '大阪',
  '서울', '부산', 'القاهرة', 'الرياض', 'Ho Chi Minh City', 'Rio de Janeiro',
];

const WORDS = (
  'the order arrived late and the box was damaged but support was quick to help me out with a replacement ' +
  'great product works as described would buy again shipping took about a week delivery driver left package at door ' +
  'please call me before delivering i am not home during the day thanks for the fast service colour is slightly different ' +
  'from the picture size runs small so order one size up battery lasts two days the app keeps crashing after update ' +
  'refund still pending after three weeks can you check status invoice address changed last month my account was charged twice'
).split(' ');

const ACCENTED_WORDS = ['café', 'naïve', 'déjà vu', 'über', 'jalapeño', 'crème brûlée', 'façade', 'résumé'];
const EMOJI = ['😀', '👍', '🙏', '❤️', '🎉', '😅'];
const SEARCH_WORDS = [
  'headphones', 'shoes', 'case', 'cable', 'jacket', 'watch', 'grinder', 'desk', 'mouse', 'monitor', 'mat', 'powder', 'toys',
  'hose', 'strip', 'stand', 'fryer', 'boots', 'light', 'charger', 'tent', 'backpack', 'coat', 'food', 'wireless', 'running',
  'standing', 'gaming', 'garden', 'winter', 'kids', 'dog', 'black', 'red', 'large', 'small', 'iPhone', 'Samsung', 'Nike',
  'Adidas', 'USB-C', 'Wi-Fi', '4k', '15', "women's", "men's", 'café', 'crème', 'Müller', 'Löwe', 'ノートパソコン', 'テレビ',
  'телефон', 'ноутбук',
];
const DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.co.uk', 'example.org', 'mail.example-corp.com', 'uni-hamburg.de', 'proton.me', 'company.io'];
const ASCII_FIRST = ['james', 'mary', 'robert', 'patricia', 'john', 'jen', 'mike', 'linda', 'david', 'liz', 'chen', 'wei', 'priya', 'arjun', 'olga', 'sven', 'pierre', 'ana', 'kwame', 'yuki'];
const ASCII_LAST = ['smith', 'johnson', 'brown', 'garcia', 'miller', 'obrien', 'mueller', 'nowak', 'nguyen', 'patel', 'rossi', 'dubois', 'tanaka', 'okafor'];
const FILE_STEMS = ['invoice', 'report', 'statement', 'receipt', 'contract', 'photo', 'export', 'summary'];
const FILE_EXTS = ['pdf', 'csv', 'xlsx', 'png', 'jpg', 'docx', 'txt', 'json'];
/** A closed vocabulary (an app's own tags): both halves use all of it. */
const TAGS = ['new', 'sale', 'gift', 'vip', 'returning', 'b2b', 'priority', 'fragile', 'express', 'bulk', 'eu', 'us', 'apac', 'beta', 'trial', 'churn-risk', 'referral', 'student', 'nonprofit', 'partner', 'wholesale', 'retail'];

/** Client families are a closed set; their version numbers drift from day to day. */
export function userAgent(r: Rng): string {
  const chrome = `${r.int(118, 126)}.0.${r.int(5900, 6500)}.${r.int(0, 200)}`;
  const ios = `${r.int(15, 17)}_${r.int(0, 6)}${r.chance(0.5) ? `_${r.int(1, 3)}` : ''}`;
  switch (r.int(0, 14)) {
    case 0: return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Safari/537.36`;
    case 1: return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Safari/537.36 Edg/${chrome}`;
    case 2: return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${r.int(15, 17)}.${r.int(0, 5)} Safari/605.1.15`;
    case 3: return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:${r.int(115, 126)}.0) Gecko/20100101 Firefox/${r.int(115, 126)}.0`;
    case 4: return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Safari/537.36`;
    case 5: return `Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:${r.int(115, 126)}.0) Gecko/20100101 Firefox/${r.int(115, 126)}.0`;
    case 6: return `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${r.int(15, 17)}.${r.int(0, 5)} Mobile/15E148 Safari/604.1`;
    case 7: return `Mozilla/5.0 (iPad; CPU OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${r.int(15, 17)}.${r.int(0, 5)} Mobile/15E148 Safari/604.1`;
    case 8: return `Mozilla/5.0 (Linux; Android ${r.int(11, 14)}; Pixel ${r.int(5, 8)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Mobile Safari/537.36`;
    case 9: return `Mozilla/5.0 (Linux; Android ${r.int(11, 14)}; SM-S${r.int(900, 928)}B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Mobile Safari/537.36`;
    case 10: return `okhttp/4.${r.int(9, 12)}.${r.int(0, 3)}`;
    case 11: return `MyShop/5.${r.int(0, 4)}.${r.int(0, 9)} (iPhone; iOS ${ios.replace(/_/g, '.')}; Scale/3.00)`;
    case 12: return `MyShop/5.${r.int(0, 4)}.${r.int(0, 9)} (Android ${r.int(11, 14)}; Pixel ${r.int(5, 8)}; build 5${r.int(100, 499)})`;
    case 13: return `python-requests/2.${r.int(28, 32)}.${r.int(0, 3)}`;
    default: return `axios/1.${r.int(4, 7)}.${r.int(0, 9)}`;
  }
}

export function personName(r: Rng): string {
  const first = r.pickOpen(FIRST_NAMES);
  const middle = r.chance(0.08) ? ` ${String.fromCharCode(65 + r.int(0, 25))}.` : '';
  return r.chance(0.1) ? first : `${first}${middle} ${r.pickOpen(LAST_NAMES)}`;
}

export function city(r: Rng): string {
  return r.pickOpen(CITIES);
}

export function comment(r: Rng): string {
  const sentences: string[] = [];
  const count = r.chance(0.3) ? 1 : r.int(1, 5);
  for (let s = 0; s < count; s++) {
    const words: string[] = [];
    const length = r.int(3, 18);
    for (let w = 0; w < length; w++) {
      if (r.chance(0.03)) words.push(r.pickOpen(ACCENTED_WORDS));
      else if (r.chance(0.04)) words.push(String(r.int(1, 500)));
      else words.push(r.pickOpen(WORDS));
    }
    let sentence = words.join(' ');
    if (r.chance(0.15)) sentence = sentence.replace(' ', ', ');
    if (r.chance(0.05)) sentence = sentence.replace(' ', ' - ');
    if (r.chance(0.05)) sentence = sentence.replace(' i ', " I'm ");
    if (r.chance(0.04)) sentence = sentence.replace(' the ', ' the "best" ');
    if (r.chance(0.03)) sentence += ' (again)';
    if (r.chance(0.03)) sentence = sentence.replace(' ', ': ');
    if (r.chance(0.03)) sentence = sentence.replace(' i ', ' I’m ');
    sentence = sentence.charAt(0).toUpperCase() + sentence.slice(1);
    sentence += r.chance(0.75) ? '.' : r.chance(0.5) ? '!' : '?';
    if (r.chance(0.04)) sentence += ` ${r.pickOpen(EMOJI)}`;
    // The rarer things people type into a comment box, each in a few percent of sentences.
    if (r.chance(0.02)) sentence += ` Order #${r.int(10000, 99999)}.`;
    if (r.chance(0.02)) sentence += ` It cost $${r.int(5, 200)}.99.`;
    if (r.chance(0.015)) sentence += ` About ${r.int(5, 80)}% off.`;
    if (r.chance(0.015)) sentence = sentence.replace(' and ', ' & ');
    if (r.chance(0.01)) sentence += ' See https://shop.example.com/orders/' + String(r.int(1000, 9999));
    if (r.chance(0.01)) sentence += ` Reach me at ${email(r)}`;
    if (r.chance(0.01)) sentence = sentence.replace(' but ', '; but ');
    if (r.chance(0.02)) sentence = sentence.replace(' the ', ' the “new” ');
    sentences.push(sentence);
  }
  return sentences.join(r.chance(0.1) ? '\n' : ' ');
}

export function searchTerm(r: Rng): string {
  const words = Array.from({ length: r.chance(0.4) ? 1 : r.int(2, 4) }, () => r.pickOpen(SEARCH_WORDS));
  let term = words.join(' ');
  if (r.chance(0.1)) term = term.charAt(0).toUpperCase() + term.slice(1);
  if (r.chance(0.04)) term = `"${term}"`;
  return term;
}

/** Ids of 1 to 10 digits, spread evenly over the number of digits. */
export function numericId(r: Rng): string {
  const digits = r.int(1, 10);
  let id = String(r.int(1, 9));
  for (let i = 1; i < digits; i++) id += String(r.int(0, 9));
  return id;
}

export function email(r: Rng): string {
  const first = r.pickOpen(ASCII_FIRST);
  const last = r.pickOpen(ASCII_LAST);
  let local: string;
  switch (r.int(0, 5)) {
    case 0: local = `${first}.${last}`; break;
    case 1: local = `${first}${r.int(1, 99)}`; break;
    case 2: local = `${first}_${last}`; break;
    case 3: local = `${first.charAt(0)}${last}`; break;
    case 4: local = `${first}.${last}+${r.pick(['shop', 'news', 'work'])}`; break;
    default: local = `${first}-${last}${r.int(1970, 2005)}`;
  }
  if (r.chance(0.1)) local = local.charAt(0).toUpperCase() + local.slice(1);
  return `${local}@${r.pickOpen(DOMAINS)}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function isoDate(r: Rng): string {
  return `${r.int(1940, 2010)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`;
}

export function isoTimestamp(r: Rng): string {
  return `2024-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}T${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}.${pad(r.int(0, 999), 3)}Z`;
}

export function uuid(r: Rng): string {
  const hex = (k: number): string => Array.from({ length: k }, () => r.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${r.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
}

export function fileName(r: Rng): string {
  const stem = r.pickOpen(FILE_STEMS);
  const ext = r.pickOpen(FILE_EXTS);
  switch (r.int(0, 3)) {
    case 0: return `${stem}-${r.int(2019, 2024)}-${pad(r.int(1, 12))}.${ext}`;
    case 1: return `${stem}_${r.int(1000, 99999)}.${ext}`;
    case 2: return `${stem}.${ext}`;
    default: return `${stem.charAt(0).toUpperCase()}${stem.slice(1)} ${r.int(1, 12)}.${ext}`;
  }
}

export function tag(r: Rng): string {
  return r.pick(TAGS);
}

export function sku(r: Rng): string {
  return r.chance(0.7) ? `SKU-${r.int(1000, 999999)}` : `${r.pick(['AB', 'CX', 'ZT', 'QM'])}-${r.int(100, 9999)}-${r.pick(['X', 'L', 'M', 'S'])}`;
}

/** Quantities: mostly one, sometimes a few, rarely dozens. */
export function quantity(r: Rng): string {
  return String(r.chance(0.6) ? 1 : r.chance(0.7) ? r.int(2, 5) : r.int(6, 60));
}

/** Page numbers: most people stay on the first pages. */
export function page(r: Rng): string {
  return String(r.chance(0.5) ? 1 : r.chance(0.7) ? r.int(2, 10) : r.int(11, 400));
}
