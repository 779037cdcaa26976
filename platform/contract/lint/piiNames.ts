/**
 * Field names that usually hold personal data. A reviewer would ask for `x-pii` on these; the lint does too.
 * Names are split into words (snake_case, kebab-case, camelCase) and compared word by word, so that
 * `customer_email` matches and `emailed_at` or `product_name` do not.
 */
const SINGLE_WORDS = new Set([
  'email', 'mail', 'phone', 'mobile', 'telephone', 'fax', 'address', 'street', 'postcode', 'zipcode', 'zip', 'postal',
  'ssn', 'passport', 'iban', 'birthdate', 'dob', 'birthday', 'surname', 'firstname', 'lastname', 'fullname', 'username',
  'ip', 'geolocation', 'latitude', 'longitude', 'salary', 'gender',
]);

const WORD_PAIRS: readonly (readonly [string, string])[] = [
  ['first', 'name'], ['last', 'name'], ['full', 'name'], ['given', 'name'], ['family', 'name'], ['middle', 'name'],
  ['maiden', 'name'], ['customer', 'name'], ['contact', 'name'], ['person', 'name'], ['user', 'name'],
  ['birth', 'date'], ['date', 'of'], ['social', 'security'], ['credit', 'card'], ['card', 'number'], ['tax', 'id'],
  ['national', 'id'], ['ip', 'address'], ['postal', 'code'], ['zip', 'code'], ['home', 'address'], ['account', 'number'],
];

/** Splits an identifier into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** Whether a field name looks like it holds personal data; returns the reason, or `undefined`. */
export function piiReason(name: string): string | undefined {
  const words = nameWords(name);
  if (words.length === 1 && words[0] === 'name') return 'a bare "name" field usually names a person';
  for (const word of words) if (SINGLE_WORDS.has(word)) return `"${word}" usually identifies a person`;
  for (let i = 0; i + 1 < words.length; i++) {
    for (const [a, b] of WORD_PAIRS) if (words[i] === a && words[i + 1] === b) return `"${a}_${b}" usually identifies a person`;
  }
  return undefined;
}
