import { parseIsoTime } from './isoTime';

// Deterministic pseudo-random times over the whole range Date can print with a four-digit year.
function* times(n: number): Generator<number> {
  let x = 0x9e3779b9;
  const span = Date.UTC(9999, 11, 31, 23, 59, 59, 999) - Date.UTC(0, 0, 1) + 1;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const y = (Math.imul(x ^ (x >>> 13), 0x297a2d39) >>> 0) / 2 ** 32;
    yield Math.floor(Date.UTC(0, 0, 1) + ((x / 2 ** 32) * span + y * 1e6) % span);
  }
}

const same = (text: string): void => {
  expect([text, parseIsoTime(text)]).toEqual([text, Date.parse(text)]);
};

describe('parseIsoTime', () => {
  it('reads what toISOString writes as Date.parse does, across years 0000-9999', () => {
    const wrong: string[] = [];
    for (const ms of times(50_000)) {
      const text = new Date(ms).toISOString();
      if (text.length !== 24 || parseIsoTime(text) !== ms || Date.parse(text) !== ms) wrong.push(text);
    }
    expect(wrong).toEqual([]);
  });

  it('agrees with Date.parse at the edges of days, months, leap years and the epoch', () => {
    const wrong: string[] = [];
    const check = (text: string): void => {
      if (!Object.is(parseIsoTime(text), Date.parse(text))) wrong.push(text);
    };
    const years = [0, 1, 4, 99, 100, 399, 400, 1582, 1899, 1900, 1969, 1970, 1999, 2000, 2023, 2024, 2100, 2400, 9999];
    for (const y of years) {
      const yyyy = String(y).padStart(4, '0');
      for (let m = 0; m <= 13; m++) {
        const mm = String(m).padStart(2, '0');
        for (const dd of ['00', '01', '28', '29', '30', '31', '32', '99']) {
          for (const clock of ['00:00:00.000', '23:59:59.999', '24:00:00.000', '24:00:00.001', '24:30:00.000', '12:60:00.000', '12:00:60.000', '25:00:00.000']) {
            check(`${yyyy}-${mm}-${dd}T${clock}Z`);
          }
        }
      }
    }
    check('1969-12-31T23:59:59.999Z');
    check('1970-01-01T00:00:00.000Z');
    expect(wrong).toEqual([]);
    // The table above holds both kinds: read here, and left to Date.parse (NaN or rolled over).
    expect(parseIsoTime('2024-02-29T23:59:59.999Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(parseIsoTime('2023-02-30T00:00:00.000Z')).toBe(Date.UTC(2023, 2, 2));
    expect(parseIsoTime('2023-01-01T24:00:00.000Z')).toBe(Date.UTC(2023, 0, 2));
    expect(parseIsoTime('2023-13-01T00:00:00.000Z')).toBeNaN();
  });

  it('leaves every other form to Date.parse', () => {
    for (const text of [
      '',
      'not a time',
      '2023-11-14T22:13:20Z',
      '2023-11-14T22:13:20.0Z',
      '2023-11-14T22:13:20.000+00:00',
      '2023-11-14T22:13:20.000z',
      '2023-11-14 22:13:20.000Z',
      '2023-11-14T22:13:20,000Z',
      '2023/11/14T22:13:20.000Z',
      '+002023-11-14T22:13:20.000Z',
      '-000001-01-01T00:00:00.000Z',
      '2023-11-14',
      '2023-11-14T22:13',
      '2023-1a-14T22:13:20.000Z',
      '2023-11-14T22:13:2 .000Z',
      '2023-11-14T22:13:20.00xZ',
      '２023-11-14T22:13:20.000Z',
      '2023-11-14T22:13:20.000ZZ',
      'Tue, 14 Nov 2023 22:13:20 GMT',
      ' 2023-11-14T22:13:20.000Z',
    ]) {
      same(text);
    }
  });
});
