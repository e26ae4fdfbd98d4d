// Recognisable value formats of the shape model (integer, number, hex, uuid, email, date, letters,
// word, printable): the simplified stand-in for the paper's learned grammar. A value may match
// several; a parameter whose every training value matched a format expects it.
import {
  CLASS_C1,
  CLASS_CONTROL,
  CLASS_DIGIT,
  CLASS_INVALID,
  CLASS_LETTER_OTHER,
  CLASS_LOWER,
  CLASS_UPPER,
  PUNCTUATION,
} from './charClasses';

export const FORMAT_NAMES = ['integer', 'number', 'hex', 'uuid', 'email', 'date', 'letters', 'word', 'printable'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** How each format reads in a sentence ("is not an integer"). */
export const FORMAT_PHRASES: Record<FormatName, string> = {
  integer: 'an integer',
  number: 'a number',
  hex: 'hexadecimal',
  uuid: 'a UUID',
  email: 'an email address',
  date: 'an ISO 8601 date',
  letters: 'letters only',
  word: 'a single word',
  printable: 'printable text',
};

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^[0-9a-fA-F]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

const p = (ch: string): number => 1 << PUNCTUATION.indexOf(ch);
const LETTERS = CLASS_LOWER | CLASS_UPPER | CLASS_LETTER_OTHER;
const ALNUM = LETTERS | CLASS_DIGIT;
const ASCII_ALNUM = CLASS_DIGIT | CLASS_LOWER | CLASS_UPPER;
// Tabs and line breaks are left out: multi-line text is still printable.
const NOT_PRINTABLE = CLASS_CONTROL | CLASS_C1 | CLASS_INVALID;
const DASH = p('-');
const AT = p('@');
const SIGNS = p('+') | DASH;
const NUMBER_PUNCT = SIGNS | p('.');
const WORD_PUNCT = p('_') | DASH | p('.');
const DATE_PUNCT = DASH | p(':') | p('.') | p(',') | p('+');

// Bit i stands for FORMAT_NAMES[i].
const F_INTEGER = 1 << 0;
const F_NUMBER = 1 << 1;
const F_HEX = 1 << 2;
const F_UUID = 1 << 3;
const F_EMAIL = 1 << 4;
const F_DATE = 1 << 5;
const F_LETTERS = 1 << 6;
const F_WORD = 1 << 7;
const F_PRINTABLE = 1 << 8;

/**
 * Bit i set when the value matches FORMAT_NAMES[i]; `classes` and `punct` are its feature masks,
 * which decide most formats alone and gate the regexes, so a typical value runs one or none.
 */
export function formatsOf(value: string, classes: number, punct: number): number {
  let formats = (classes & NOT_PRINTABLE) === 0 ? F_PRINTABLE : 0;
  if (value.length === 0) return formats;
  if ((classes & ~LETTERS) === 0 && punct === 0) formats |= F_LETTERS;
  if ((classes & ~ALNUM) === 0 && (punct & ~WORD_PUNCT) === 0) formats |= F_WORD;
  if (classes === CLASS_DIGIT && punct === 0) return formats | F_INTEGER | F_NUMBER | F_HEX;
  if ((classes & ~ASCII_ALNUM) === 0) {
    const digits = (classes & CLASS_DIGIT) !== 0;
    if (digits && (punct & ~SIGNS) === 0 && INTEGER.test(value)) formats |= F_INTEGER;
    if (digits && (punct & ~NUMBER_PUNCT) === 0 && NUMBER.test(value)) formats |= F_NUMBER;
    if (punct === 0 && HEX.test(value)) formats |= F_HEX;
    else if (punct === DASH && value.length === 36 && UUID.test(value)) formats |= F_UUID;
  }
  if ((punct & AT) !== 0 && EMAIL.test(value)) formats |= F_EMAIL;
  if ((classes & CLASS_DIGIT) !== 0 && (punct & ~DATE_PUNCT) === 0 && value.length >= 10 && value.length <= 40 && DATE.test(value)) formats |= F_DATE;
  return formats;
}
