// Axis arithmetic and number and time formats shared by the charts, written so the same data gives
// the same page in any locale and time zone (times are UTC).

/** Round axis steps: 1, 2 or 5 times a power of ten, giving at most `ticks` steps up to max. */
export function niceScale(max: number, ticks = 4): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 1 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const wholeStep = Math.max(1, step);
  return { top: Math.ceil(max / wholeStep) * wholeStep, step: wholeStep };
}

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  const whole = String(Math.round(n));
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A bucket start as short as its width allows: seconds, minutes, or the day only. */
export function formatBucketTime(ms: number, bucketMs: number): string {
  const iso = new Date(ms).toISOString();
  if (bucketMs >= 24 * 3600 * 1000) return iso.slice(0, 10);
  if (bucketMs >= 60 * 1000) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 19);
}

/** A bucket width in words: "5 s", "10 min", "3 h", "7 d". */
export function formatWidth(ms: number): string {
  if (ms % (24 * 3600 * 1000) === 0) return `${ms / (24 * 3600 * 1000)} d`;
  if (ms % (3600 * 1000) === 0) return `${ms / (3600 * 1000)} h`;
  if (ms % (60 * 1000) === 0) return `${ms / (60 * 1000)} min`;
  return `${ms / 1000} s`;
}

/** An ISO time shown to people: "2024-05-01 12:00:04 UTC". */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined) return '-';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
