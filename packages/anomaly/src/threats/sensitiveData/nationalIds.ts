// US Social Security numbers as the SSA issues them: never area 000, 666 or 900-999, group 00 or
// serial 0000, nor the numbers printed on sample cards and in advertising.

const NEVER_ISSUED = new Set(['078051120', '219099999', '457555462', '123456789']);

export function ssnValid(digits: string): boolean {
  if (digits.length !== 9 || NEVER_ISSUED.has(digits)) return false;
  const area = digits.slice(0, 3);
  if (area === '000' || area === '666' || area.charCodeAt(0) === 0x39) return false;
  return digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}
