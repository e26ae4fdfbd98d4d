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
// Tabs and line breaks are left out: multi-line text is still printable.
const NOT_PRINTABLE = CLASS_CONTROL | CLASS_C1 | CLASS_INVALID;
const SIGNS = p('+') | p('-');
const WORD_PUNCT = p('_') | p('-') | p('.');
const DATE_PUNCT = p('-') | p(':') | p('.') | p(',') | p('+');

/** Bit i set when the value matches FORMAT_NAMES[i]; `classes` and `punct` are its feature masks. */
export function formatsOf(value: string, classes: number, punct: number): number {
  if (value.length === 0) return classes & NOT_PRINTABLE ? 0 : 1 << 8;
  let formats = 0;
  const noPunctBeyond = (allowed: number): boolean => (punct & ~allowed) === 0;
  if ((classes & ~CLASS_DIGIT) === 0 && noPunctBeyond(SIGNS)) {
    if (INTEGER.test(value)) formats |= 1 << 0;
  }
  if ((classes & ~(CLASS_DIGIT | CLASS_LOWER | CLASS_UPPER)) === 0 && noPunctBeyond(SIGNS | p('.'))) {
    if (NUMBER.test(value)) formats |= 1 << 1;
  }
  if ((classes & ~(CLASS_DIGIT | CLASS_LOWER | CLASS_UPPER)) === 0) {
    if (punct === 0 && HEX.test(value)) formats |= 1 << 2;
    else if (value.length === 36 && punct === p('-') && UUID.test(value)) formats |= 1 << 3;
  }
  if ((punct & p('@')) !== 0 && EMAIL.test(value)) formats |= 1 << 4;
  if ((classes & CLASS_DIGIT) !== 0 && noPunctBeyond(DATE_PUNCT) && value.length >= 10 && value.length <= 40 && DATE.test(value)) formats |= 1 << 5;
  if ((classes & ~LETTERS) === 0 && punct === 0) formats |= 1 << 6;
  if ((classes & ~ALNUM) === 0 && noPunctBeyond(WORD_PUNCT)) formats |= 1 << 7;
  if ((classes & NOT_PRINTABLE) === 0) formats |= 1 << 8;
  return formats;
}
