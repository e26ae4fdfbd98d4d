// The kinds of sensitive data a response can expose, the finding group each belongs to, its
// base severity and the words a person reads for it.

export const SENSITIVE_KINDS = [
  'private_key',
  'aws_access_key',
  'gcp_key',
  'azure_key',
  'github_token',
  'slack_token',
  'stripe_key',
  'google_api_key',
  'jwt',
  'password_field',
  'password_hash',
  'card',
  'iban',
  'ssn',
  'email',
  'phone',
] as const;

export type SensitiveKind = (typeof SENSITIVE_KINDS)[number];

/**
 * One finding is made per response and group: a group is what an analyst acts on together (rotate
 * a key, reset credentials, a PCI scope question, a privacy question), and each has its rule id so
 * a suppression can silence one without the others.
 */
export const KIND_GROUPS = ['secret', 'credential', 'payment', 'national_id', 'personal_bulk'] as const;
export type KindGroup = (typeof KIND_GROUPS)[number];

export type Severity = 1 | 2 | 3 | 4;

interface KindInfo {
  group: KindGroup;
  /** Severity of one plain hit; bulk kinds and hits capture redacted are adjusted by the detector. */
  severity: Severity;
  singular: string;
  plural: string;
}

export const KIND_INFO: Record<SensitiveKind, KindInfo> = {
  private_key: { group: 'secret', severity: 4, singular: 'private key', plural: 'private keys' },
  aws_access_key: { group: 'secret', severity: 3, singular: 'AWS access key id', plural: 'AWS access key ids' },
  gcp_key: { group: 'secret', severity: 4, singular: 'GCP service account key', plural: 'GCP service account keys' },
  azure_key: { group: 'secret', severity: 4, singular: 'Azure storage account key', plural: 'Azure storage account keys' },
  github_token: { group: 'secret', severity: 4, singular: 'GitHub token', plural: 'GitHub tokens' },
  slack_token: { group: 'secret', severity: 4, singular: 'Slack token', plural: 'Slack tokens' },
  stripe_key: { group: 'secret', severity: 4, singular: 'Stripe live secret key', plural: 'Stripe live secret keys' },
  // Browser keys (Maps, Firebase) are public by design and restricted by referrer; still worth a look.
  google_api_key: { group: 'secret', severity: 2, singular: 'Google API key', plural: 'Google API keys' },
  jwt: { group: 'credential', severity: 2, singular: 'JWT', plural: 'JWTs' },
  password_field: { group: 'credential', severity: 2, singular: 'password or secret field', plural: 'password or secret fields' },
  password_hash: { group: 'credential', severity: 1, singular: 'password hash', plural: 'password hashes' },
  card: { group: 'payment', severity: 3, singular: 'card number', plural: 'card numbers' },
  iban: { group: 'payment', severity: 2, singular: 'IBAN', plural: 'IBANs' },
  ssn: { group: 'national_id', severity: 3, singular: 'US SSN', plural: 'US SSNs' },
  email: { group: 'personal_bulk', severity: 2, singular: 'email address', plural: 'email addresses' },
  phone: { group: 'personal_bulk', severity: 2, singular: 'phone number', plural: 'phone numbers' },
};

export const GROUP_RULES: Record<KindGroup, { name: string; techniques: string[] }> = {
  // T1552 Unsecured Credentials (.004 private keys): a key or token handed to a client is a credential in the open.
  secret: { name: 'Secret key or cloud credential in a response', techniques: ['T1552'] },
  credential: { name: 'Token or password in a response', techniques: ['T1552'] },
  // T1213 Data from Information Repositories: records read out of the API's data store.
  payment: { name: 'Payment data in a response', techniques: ['T1213'] },
  national_id: { name: 'National id number in a response', techniques: ['T1213'] },
  personal_bulk: { name: 'Bulk personal data in a response', techniques: ['T1213'] },
};

export function nounFor(kind: SensitiveKind, count: number): string {
  const info = KIND_INFO[kind];
  return count === 1 ? info.singular : info.plural;
}
