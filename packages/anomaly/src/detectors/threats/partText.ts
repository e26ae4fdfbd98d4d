// How a request part reads in a finding: where it sits ("query q", "json $.user.name") and its
// matched fragment, masked when the part holds a secret.
import { containsHashedSecret } from '../../parameterProfiles/secretValue';
import { excerptOf, nameText } from '../../parameterProfiles/deviationText';
import type { RequestPart } from '../../threats/requestPart';

/** "query q", "query name a'b", "path segment 2", "json $.items[0].name", "header user-agent". */
export function partPhrase(p: RequestPart): string {
  const name = nameText(p.name);
  if (p.location === 'path') return p.document ? 'path' : `path segment ${name}`;
  if (p.location === 'xml' && p.document) return 'xml document';
  if (p.key) return `${p.location} ${p.location === 'json' ? 'key' : 'name'} ${name}`;
  return `${p.location} ${name}`;
}

/** Words of names that hold secrets, looked for with separators and case removed. */
const SECRET_NAME_WORDS = ['password', 'passwd', 'passphrase', 'pwd', 'secret', 'apikey', 'token', 'auth', 'session', 'credential', 'jwt', 'csrf', 'xsrf', 'cardnumber', 'creditcard', 'privatekey', 'cvv', 'ssn', 'otp'];

/** True when the part's name says it holds a secret, or its value carries a redaction hash. */
export function isSensitivePart(p: RequestPart): boolean {
  if (containsHashedSecret(p.value)) return true;
  const folded = p.name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_NAME_WORDS.some((w) => folded.includes(w));
}

/** The fragment as evidence: escaped and bounded, or only its length when the part is sensitive. */
export function fragmentText(p: RequestPart, fragment: string): string {
  return isSensitivePart(p) ? `[masked: ${fragment.length} characters]` : excerptOf(fragment);
}
