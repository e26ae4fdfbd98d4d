// Realistic benign parameter values for the tests and the benchmark, from a seeded generator so
// every run sees the same ones: names in many scripts, free text, ids, emails, dates, searches.

export class Rng {
  private state: number;

  constructor(seed: number) {
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

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Chen', 'Wei', 'Priya', 'Arjun', 'Fatima', 'Mohammed', 'Aisha',
  'Olga', 'Dmitri', 'Yuki', 'Hiroshi', 'Sven', 'Ingrid', 'Pierre', 'Amélie', 'José', 'María', 'Zoë', 'Łukasz', 'Søren',
  'François', 'Björn', 'Chloé', 'Jürgen', 'Ana', 'Nguyễn', 'Thảo', 'Anne-Marie', 'Jean-Luc', 'Mary Ann', 'Kwame', 'Ngozi',
  'Siobhán', 'Seán', 'Ole', 'Åsa', 'Renée', 'Noël', 'Çağla', 'Şebnem', 'Ioana', 'Zsófia', 'Анна', 'Владимир', 'Дмитрий',
  'Μαρία', 'Γιώργος', '太郎', '花子', '伟', '芳', '민준', '서연', 'محمد', 'فاطمة', 'Liam', 'Emma', 'Noah', 'Olivia', 'Ava', 'Lucas',
];

const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez',
  "O'Brien", "O'Connor", "D'Angelo", 'McDonald', 'MacLeod', 'van der Berg', 'de la Cruz', 'von Trapp', 'Smith-Jones',
  'Müller', 'Schröder', 'Kowalski', 'Wiśniewski', 'Nowak', 'Dvořák', 'Novák', 'Søndergaard', 'Ødegaard', 'Häkkinen',
  'Yılmaz', 'Öztürk', 'Popescu', 'Nagy', 'Kovács', 'Ivanova', 'Петров', 'Иванова', 'Παπαδόπουλος', '山田', '佐藤', '王', '李',
  '김', '박', 'Nguyen', 'Tran', 'Le', 'Pham', 'Okafor', 'Mensah', 'Patel', 'Sharma', 'Singh', 'Kumar', 'Tanaka', 'Suzuki',
  'Rossi', 'Bianchi', 'Ferrari', 'Dubois', 'Lefèvre', 'García Márquez', 'Núñez', 'Peña', 'Ó Súilleabháin', 'al-Rashid',
];

const CITIES = [
  'London', 'Paris', 'Berlin', 'New York', 'San Francisco', 'São Paulo', 'México City', 'Zürich', 'Kraków', 'Göteborg',
  'Москва', 'Санкт-Петербург', '東京', '大阪', '서울', 'القاهرة', 'Reykjavík', 'Düsseldorf', 'Málaga', 'Ho Chi Minh City',
  'Washington, D.C.', "St. John's", 'Saint-Étienne', 'Stratford-upon-Avon', 'Lagos', 'Nairobi', 'Mumbai', 'Bengaluru',
  'Sydney', 'Auckland', 'Toronto', 'Montréal', 'Amsterdam', 'Den Haag', 'Kyiv', 'Wrocław', 'Brno', 'Oslo', 'Tromsø',
];

const WORDS = (
  'the order arrived late and the box was damaged but support was quick to help me out with a replacement ' +
  'great product works as described would buy again shipping took about a week delivery driver left package at door ' +
  'please call me before delivering i am not home during the day thanks for the fast service colour is slightly different ' +
  'from the picture size runs small so order one size up battery lasts two days the app keeps crashing after update ' +
  'refund still pending after three weeks can you check status invoice address changed last month my account was charged twice'
).split(' ');

const ACCENTED_WORDS = ['café', 'naïve', 'déjà vu', 'über', 'jalapeño', 'crème brûlée', 'façade', 'résumé'];
const EMOJI = ['😀', '👍', '🙏', '❤️', '🎉'];
const SEARCH_TERMS = [
  'wireless headphones', 'running shoes', 'iphone 15 case', 'usb-c cable', "women's jacket", "men's watch", 'coffee grinder',
  'standing desk', 'gaming mouse', '4k monitor', 'yoga mat', 'protein powder', 'kids toys', 'garden hose', 'led strip',
  'café table', 'crème', 'Müller', 'laptop stand', 'wi-fi extender', 'air fryer', 'rain boots', 'hdmi 2.1', 'book light',
  'ノートパソコン', 'телефон', 'sunglasses', 'phone charger', 'tent 4 person', 'backpack', 'winter coat', 'dog food',
];
const DOMAINS = ['gmail.com', 'yahoo.co.uk', 'example.org', 'mail.example-corp.com', 'outlook.com', 'proton.me', 'uni-hamburg.de', 'company.io'];
const ASCII_FIRST = ['james', 'mary', 'robert', 'patricia', 'john', 'jen', 'mike', 'linda', 'david', 'liz', 'chen', 'wei', 'priya', 'arjun', 'olga', 'sven', 'pierre', 'ana', 'kwame'];
const ASCII_LAST = ['smith', 'johnson', 'brown', 'garcia', 'miller', 'obrien', 'mueller', 'nowak', 'nguyen', 'patel', 'rossi', 'dubois', 'tanaka', 'okafor'];
const FILE_STEMS = ['invoice', 'report', 'statement', 'receipt', 'contract', 'photo', 'export', 'summary'];
const FILE_EXTS = ['pdf', 'csv', 'xlsx', 'png', 'jpg', 'docx', 'txt'];
const TAGS = ['new', 'sale', 'gift', 'vip', 'returning', 'b2b', 'priority', 'fragile', 'express', 'bulk', 'eu', 'us', 'apac', 'beta', 'trial', 'churn-risk', 'referral', 'student', 'nonprofit', 'partner', 'wholesale', 'retail'];

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.6312.122 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.6312.99 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67',
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'okhttp/4.12.0',
  'MyShop/5.3.1 (iPhone; iOS 17.4.1; Scale/3.00)',
  'MyShop/5.2.0 (Android 14; Pixel 7; build 5200)',
  'python-requests/2.31.0',
  'axios/1.6.8',
];

export function personName(r: Rng): string {
  const first = r.pick(FIRST_NAMES);
  const middle = r.chance(0.08) ? ` ${String.fromCharCode(65 + r.int(0, 25))}.` : '';
  return r.chance(0.1) ? first : `${first}${middle} ${r.pick(LAST_NAMES)}`;
}

export function city(r: Rng): string {
  return r.pick(CITIES);
}

export function comment(r: Rng): string {
  const sentences: string[] = [];
  const count = r.chance(0.3) ? 1 : r.int(1, 5);
  for (let s = 0; s < count; s++) {
    const words: string[] = [];
    const length = r.int(3, 18);
    for (let w = 0; w < length; w++) {
      if (r.chance(0.03)) words.push(r.pick(ACCENTED_WORDS));
      else if (r.chance(0.04)) words.push(String(r.int(1, 500)));
      else words.push(r.pick(WORDS));
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
    if (r.chance(0.04)) sentence += ` ${r.pick(EMOJI)}`;
    sentences.push(sentence);
  }
  return sentences.join(r.chance(0.1) ? '\n' : ' ');
}

export function searchTerm(r: Rng): string {
  const term = r.pick(SEARCH_TERMS);
  if (r.chance(0.2)) return `${term} ${r.pick(SEARCH_TERMS).split(' ')[0] ?? ''}`;
  if (r.chance(0.1)) return term.split(' ')[0] ?? term;
  if (r.chance(0.05)) return `"${term}"`;
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
  const first = r.pick(ASCII_FIRST);
  const last = r.pick(ASCII_LAST);
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
  return `${local}@${r.pick(DOMAINS)}`;
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
  const stem = r.pick(FILE_STEMS);
  const ext = r.pick(FILE_EXTS);
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
